import Model

/// Appends events to streams from outside a consumer (intake's webhooks, API calls).
public struct StreamProducer: Sendable {
    /// Marks the delivery key and appends the entry in one step, so a redelivered webhook never
    /// makes a second event and an event is never marked without being stored.
    static let appendOnceScript = RedisScript("""
        if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', tonumber(ARGV[1])) then
          return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
        end
        return false
        """)

    private let redis: RedisClient

    public init(redis: RedisClient) { self.redis = redis }

    /// Appends `envelope` to `stream`; returns the entry id.
    @discardableResult
    public func append(_ envelope: Envelope, to stream: String) async throws -> String {
        var command = ["XADD", stream, "*"]
        for (name, value) in envelope.fields { command += [name, value] }
        let reply = try await redis.send(command)
        guard let id = reply.string else { throw RedisError.unexpectedReply("XADD", reply) }
        return id
    }

    /// Appends `envelope` unless `dedupeKey` was marked within `retention`. Returns the new entry
    /// id, or nil for a duplicate. The dedupe key must be in the same partition as the stream.
    public func appendOnce(
        _ envelope: Envelope, to stream: String, dedupeKey: String, retention: Duration
    ) async throws -> String? {
        let arguments = Self.appendOnceArguments(envelope, retention: retention)
        let reply = try await redis.withConnection { connection in
            try Self.appendOnceScript.run(on: connection, keys: [dedupeKey, stream], arguments: arguments)
        }
        return reply.string
    }

    /// ``appendOnce(_:to:dedupeKey:retention:)`` and one more script, pipelined on one connection
    /// in one round trip: for a producer that keeps an index beside the stream. The two are not
    /// one transaction (the script's keys may live in another partition); each is atomic on its
    /// own keys, so the caller's script must be safe to run again. Returns the new entry id (nil
    /// for a duplicate) and the script's reply.
    public func appendOnce(
        _ envelope: Envelope, to stream: String, dedupeKey: String, retention: Duration,
        alongside script: RedisScript, keys: [String], arguments: [String]
    ) async throws -> (entry: String?, reply: RedisValue) {
        let appendArguments = Self.appendOnceArguments(envelope, retention: retention)
        return try await redis.withConnection { connection in
            let calls = [
                (Self.appendOnceScript, [dedupeKey, stream], appendArguments),
                (script, keys, arguments),
            ]
            var replies = try connection.pipeline(calls.map { try $0.0.command(on: connection, keys: $0.1, arguments: $0.2) })
            for (index, call) in calls.enumerated() {
                if case .error(let message) = replies[index] {
                    // Redis forgot its scripts (a restart): this one did not run; `run` reloads it.
                    guard message.hasPrefix("NOSCRIPT") else { throw RedisError.server(message) }
                    replies[index] = try call.0.run(on: connection, keys: call.1, arguments: call.2)
                }
            }
            return (replies[0].string, replies[1])
        }
    }

    private static func appendOnceArguments(_ envelope: Envelope, retention: Duration) -> [String] {
        var arguments = [String(retention.milliseconds), envelope.id]
        for (name, value) in envelope.fields { arguments += [name, value] }
        return arguments
    }
}
