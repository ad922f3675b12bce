import Foundation
import Testing

/// The backup and restore procedures of README.md ("Backups and restore"), run against a real
/// redis-server configured by Compose/redis.conf: what the README tells an operator must work.
@Suite(.timeLimit(.minutes(1)))
struct BackupRestoreTests {
    static let stream = "rapport:{p0}:stream:intake"
    static let balance = "rapport:{p0}:loyalty:balance:shopify:dev-shop.myshopify.com:1"

    /// Hot backup (BGSAVE, copy dump.rdb), then restore from that file alone: start with the AOF
    /// off, switch it on (Redis rewrites the AOF from memory), restart normally.
    @Test func restoreFromSnapshotKeepsStreamsGroupsAndPendingEntries() async throws {
        let work = try WorkFolder()
        defer { work.remove() }

        let live = try await RedisInstance.start(in: work.folder("live"))
        defer { live.kill() }
        try await Self.seed(live)

        // Backup: BGSAVE, wait until it has finished and covers every change, copy dump.rdb.
        _ = try await live.command("BGSAVE", "SCHEDULE")
        try await live.waitFor("the snapshot") { info in
            info["rdb_bgsave_in_progress"] == "0" && info["rdb_last_bgsave_status"] == "ok"
                && info["rdb_changes_since_last_save"] == "0"
        }
        let backup = work.folder("backup")
        try FileManager.default.copyItem(
            at: live.folder.appendingPathComponent("dump.rdb"), to: backup.appendingPathComponent("dump.rdb"))

        // Writes after the backup are not in it.
        _ = try await live.command("HSET", Self.balance, "points", "999")
        try await live.shutdown()

        // Restore into an empty data folder holding only the snapshot.
        let restored = work.folder("restored")
        try FileManager.default.copyItem(
            at: backup.appendingPathComponent("dump.rdb"), to: restored.appendingPathComponent("dump.rdb"))
        let first = try await RedisInstance.start(in: restored, extraArguments: ["--appendonly", "no"])
        defer { first.kill() }
        try await Self.expectBackupContents(first)
        _ = try await first.command("CONFIG", "SET", "appendonly", "yes")
        try await first.waitFor("the AOF rewrite") { info in
            info["aof_enabled"] == "1" && info["aof_rewrite_in_progress"] == "0"
                && info["aof_rewrite_scheduled"] == "0" && info["aof_last_bgrewrite_status"] == "ok"
        }
        try await first.shutdown()
        let manifest = restored.appendingPathComponent("appendonlydir/appendonly.aof.manifest")
        #expect(FileManager.default.fileExists(atPath: manifest.path), "no AOF after switching appendonly on")

        // Normal start (appendonly yes, as in production): the data comes back from the AOF.
        let normal = try await RedisInstance.start(in: restored)
        defer { normal.kill() }
        try await Self.expectBackupContents(normal)
        try await normal.shutdown()
    }

    /// Cold backup: the whole data folder (appendonlydir/ and dump.rdb) copied while Redis is
    /// stopped, put back in place, Redis started normally.
    @Test func restoreFromStoppedVolumeCopyKeepsEverything() async throws {
        let work = try WorkFolder()
        defer { work.remove() }

        let live = try await RedisInstance.start(in: work.folder("live"))
        defer { live.kill() }
        try await Self.seed(live)
        try await live.shutdown()

        let restored = work.root.appendingPathComponent("restored")
        try FileManager.default.copyItem(at: live.folder, to: restored)
        try? FileManager.default.removeItem(at: restored.appendingPathComponent("redis.sock"))
        let normal = try await RedisInstance.start(in: restored)
        defer { normal.kill() }
        try await Self.expectBackupContents(normal)
        try await normal.shutdown()
    }

    // MARK: - Data

    /// Entries in several partitions, a consumer group with one delivered, unacknowledged entry,
    /// and a ledger hash.
    static func seed(_ redis: RedisInstance) async throws {
        for partition in 0..<4 {
            _ = try await redis.command(
                "XADD", "rapport:{p\(partition)}:stream:intake", "*", "type", "order.paid", "id", "e\(partition)")
        }
        _ = try await redis.command("XADD", stream, "*", "type", "order.paid", "id", "e4")
        _ = try await redis.command("XGROUP", "CREATE", stream, "loyalty", "0")
        _ = try await redis.command("XREADGROUP", "GROUP", "loyalty", "replica-1", "COUNT", "1", "STREAMS", stream, ">")
        _ = try await redis.command("HSET", balance, "points", "120")
    }

    static func expectBackupContents(_ redis: RedisInstance) async throws {
        let length = try await redis.command("XLEN", stream)
        #expect(length == "2", "stream length after restore")
        for partition in 1..<4 {
            let other = try await redis.command("XLEN", "rapport:{p\(partition)}:stream:intake")
            #expect(other == "1", "partition \(partition) after restore")
        }
        // XINFO GROUPS, raw: name, loyalty, consumers, 1, pending, 1, ...
        let groups = try await redis.command("XINFO", "GROUPS", stream).split(separator: "\n").map(String.init)
        let name = groups.firstIndex(of: "name").map { groups[$0 + 1] }
        let pending = groups.firstIndex(of: "pending").map { groups[$0 + 1] }
        #expect(name == "loyalty", "consumer group after restore: \(groups)")
        #expect(pending == "1", "pending entries after restore: \(groups)")
        let points = try await redis.command("HGET", balance, "points")
        #expect(points == "120", "ledger after restore (999 was written after the backup)")
    }
}

/// A temporary folder with a short path (Unix socket paths are limited to about 100 bytes).
struct WorkFolder {
    let root: URL

    init() throws {
        let base = FileManager.default.fileExists(atPath: "/tmp") ? "/tmp" : NSTemporaryDirectory()
        root = URL(fileURLWithPath: base).appendingPathComponent("rapport-br-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func folder(_ name: String) -> URL {
        let url = root.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// redis-server with Compose/redis.conf (its `dir` pointed at a test folder), on a Unix socket
/// only, so that tests never compete for TCP ports.
final class RedisInstance {
    let folder: URL
    let socket: String
    let cli: String
    let process: Process

    private init(folder: URL, socket: String, cli: String, process: Process) {
        self.folder = folder
        self.socket = socket
        self.cli = cli
        self.process = process
    }

    static func start(in folder: URL, extraArguments: [String] = []) async throws -> RedisInstance {
        let server = try Deployment.requireExecutable("redis-server", package: "redis-server")
        let cli = try Deployment.requireExecutable("redis-cli", package: "redis-tools")

        let shipped = try String(
            contentsOf: Deployment.repoRoot.appendingPathComponent("Compose/redis.conf"), encoding: .utf8)
        let config = shipped.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("dir ") ? "dir \(folder.path)" : String($0) }
            .joined(separator: "\n")
        let configURL = folder.appendingPathComponent("redis.conf")
        try config.write(to: configURL, atomically: true, encoding: .utf8)

        let socket = folder.appendingPathComponent("redis.sock").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = [
            configURL.path, "--port", "0", "--unixsocket", socket, "--unixsocketperm", "700",
            "--logfile", folder.appendingPathComponent("redis.log").path,
        ] + extraArguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let redis = RedisInstance(folder: folder, socket: socket, cli: cli, process: process)
        for _ in 0..<200 {
            if try await redis.command("PING") == "PONG" {
                return redis
            }
            if !process.isRunning {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
        redis.kill()
        throw DeploymentTestFailure("redis-server did not start in \(folder.path):\n\(log.suffix(2000))")
    }

    /// One command through redis-cli; the raw reply, trimmed.
    func command(_ arguments: String...) async throws -> String {
        let output = try await Deployment.run(cli, ["-s", socket] + arguments)
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func info() async throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try await command("INFO", "persistence").split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 {
                values[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return values
    }

    func waitFor(_ what: String, _ done: ([String: String]) -> Bool) async throws {
        var last: [String: String] = [:]
        for _ in 0..<300 {
            last = try await info()
            if done(last) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DeploymentTestFailure("timed out waiting for \(what); INFO persistence: \(last)")
    }

    /// SHUTDOWN (which saves, as the README's procedures rely on), then wait for the exit.
    func shutdown() async throws {
        _ = try await command("SHUTDOWN")
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!process.isRunning, "redis-server did not stop after SHUTDOWN")
        kill()
    }

    func kill() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
