import Foundation
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` for one test suite: its own temporary folder, an ephemeral loopback
/// port, stopped when the value is released. Tests never mock Redis.
public final class RedisServer: @unchecked Sendable {
    // Mutable state (`process`) is only touched by the owning test through start/stop/kill,
    // which tests call sequentially.
    public let port: Int
    public let directory: URL
    public let appendOnly: Bool
    private var process: Process?

    public var endpoint: RedisEndpoint { RedisEndpoint(host: "127.0.0.1", port: port) }
    public var url: String { "redis://127.0.0.1:\(port)" }

    public init(appendOnly: Bool = false) throws {
        self.port = try Self.freePort()
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-redis-\(UUID().uuidString)")
        self.appendOnly = appendOnly
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        if let process, process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            ChildProcesses.stopped(process)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts (or restarts) the server on the same port and data folder.
    public func start() throws {
        guard let binary = Self.locate("redis-server") else {
            throw TestSupportError("redis-server is not installed: run scripts/test.sh, which installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path,
            "--save", "", "--daemonize", "no", "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if appendOnly { arguments += ["--appendonly", "yes", "--appendfsync", "always"] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        ChildProcesses.started(process)
        self.process = process
        try waitUntilReady()
    }

    /// Stops the server abruptly, as a crash would.
    public func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        ChildProcesses.stopped(process)
        self.process = nil
    }

    public func makeClient(threads: Int = 8) -> RedisClient {
        var options = RedisClient.Options()
        options.threads = threads
        options.connectTimeout = .milliseconds(500)
        return RedisClient(endpoint: endpoint, options: options)
    }

    /// Runs one command on a fresh connection, for test setup and assertions.
    public func send(_ command: [String]) async throws -> RedisValue {
        let client = makeClient(threads: 2)
        do {
            let reply = try await client.send(command)
            await client.shutdown()
            return reply
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(socket)
            if connected == 0 { return }
            usleep(20_000)
        }
        throw TestSupportError("redis-server did not start on port \(port); see \(directory.path)/redis.log")
    }

    /// A port nothing listens on now: bind to port 0 and read what the kernel chose.
    public static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("cannot bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func locate(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/sbin", "/usr/local/bin"]
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A setup failure in test support, with what to do about it.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes; tests wait this way, never by sleeping
/// a fixed time and hoping.
public func eventually(
    timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
