import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A built Rapport executable started as a real process, for tests that stop, kill and restart
/// services the way an orchestrator would.
public final class ServiceProcess: @unchecked Sendable {
    // `process` is only touched by the owning test, sequentially, through start/stop/kill.
    public let executable: String
    public let port: Int
    public let environment: [String: String]
    public let logFile: URL
    private var process: Process?

    /// `executable` is a product name such as `rapport-loyalty`, looked up beside the test bundle.
    public init(_ executable: String, environment: [String: String]) throws {
        self.executable = executable
        self.port = try RedisServer.freePort()
        var environment = environment
        environment["RAPPORT_HTTP_PORT"] = String(port)
        environment["RAPPORT_HTTP_HOST"] = "127.0.0.1"
        self.environment = environment
        self.logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(executable)-\(UUID().uuidString).log")
    }

    deinit { kill() }

    /// Where `swift build` put the products: beside the test bundle that is running.
    public static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    public func start() throws {
        let binary = Self.binDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestSupportError("\(binary.path) is missing: run `swift build --build-tests` first")
        }
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = binary
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { a, _ in a }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        ChildProcesses.started(process)
        self.process = process
    }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// Sends SIGTERM and waits for the exit; returns the exit status and how long it took.
    public func terminate(timeout: Duration = .seconds(10)) async -> (status: Int32, elapsed: Duration)? {
        guard let process, process.isRunning else { return nil }
        let start = ContinuousClock.now
        Glibc.kill(process.processIdentifier, SIGTERM)
        while process.isRunning, ContinuousClock.now - start < timeout {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else { return nil }
        ChildProcesses.stopped(process)
        self.process = nil
        return (process.terminationStatus, ContinuousClock.now - start)
    }

    /// Kills the process with SIGKILL, as a crash or an out-of-memory kill would.
    public func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        ChildProcesses.stopped(process)
        self.process = nil
    }

    /// GET `path` on the service; nil when nothing answers.
    public func get(_ path: String) async -> (status: Int, body: String)? {
        await request("GET", path)
    }

    /// Sends a request to the service; nil when nothing answers.
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil
    ) async -> (status: Int, body: String)? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 5
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Waits until `/health` answers 200.
    public func waitUntilHealthy(timeout: Duration = .seconds(20)) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(50)) {
            await self.get("/health")?.status == 200
        }
    }

    public var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}
