import Synchronization

/// A Lua script run with `EVALSHA`, loaded on first use and again after a `NOSCRIPT` (Redis
/// restarted or the script cache was flushed), so callers never send the source on the hot path.
public final class RedisScript: Sendable {
    public let source: String
    private let sha = Mutex<String?>(nil)

    public init(_ source: String) { self.source = source }

    /// Runs the script on `connection`; error replies are thrown with Redis's message.
    public func run(on connection: RedisConnection, keys: [String], arguments: [String]) throws -> RedisValue {
        let digest = try loadedDigest(on: connection, reload: false)
        do {
            return try connection.send(["EVALSHA", digest, String(keys.count)] + keys + arguments)
        } catch {
            guard error.serverMessage?.hasPrefix("NOSCRIPT") == true else { throw error }
            let fresh = try loadedDigest(on: connection, reload: true)
            return try connection.send(["EVALSHA", fresh, String(keys.count)] + keys + arguments)
        }
    }

    /// The `EVALSHA` command for this script, for queuing inside `MULTI` or a pipeline.
    public func command(on connection: RedisConnection, keys: [String], arguments: [String]) throws -> [String] {
        ["EVALSHA", try loadedDigest(on: connection, reload: false), String(keys.count)] + keys + arguments
    }

    private func loadedDigest(on connection: RedisConnection, reload: Bool) throws -> String {
        if !reload, let known = sha.withLock({ $0 }) { return known }
        let reply = try connection.send(["SCRIPT", "LOAD", source])
        guard let digest = reply.string else { throw RedisError.unexpectedReply("SCRIPT LOAD", reply) }
        sha.withLock { $0 = digest }
        return digest
    }
}
