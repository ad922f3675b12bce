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
        let replies = try await redis.runScripts([ScriptCall(Self.appendOnceScript, keys: [dedupeKey, stream], arguments: arguments)])
        let reply = replies[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply.string
    }

    /// ``appendOnce(_:to:dedupeKey:retention:)`` and one more script, pipelined in one round trip
    /// (shared with other concurrent appends, see ``RedisClient/runScripts(_:)``): for a producer
    /// that keeps an index beside the stream. The two are not one transaction (the script's keys may live in another partition); each is atomic on its
    /// own keys, so the caller's script must be safe to run again. Returns the new entry id (nil
    /// for a duplicate) and the script's reply.
    public func appendOnce(
        _ envelope: Envelope, to stream: String, dedupeKey: String, retention: Duration,
        alongside script: RedisScript, keys: [String], arguments: [String]
    ) async throws -> (entry: String?, reply: RedisValue) {
        let appendArguments = Self.appendOnceArguments(envelope, retention: retention)
        let replies = try await redis.runScripts([
            ScriptCall(Self.appendOnceScript, keys: [dedupeKey, stream], arguments: appendArguments),
            ScriptCall(script, keys: keys, arguments: arguments),
        ])
        for case .error(let message) in replies { throw RedisError.server(message) }
        return (replies[0].string, replies[1])
    }

    private static func appendOnceArguments(_ envelope: Envelope, retention: Duration) -> [String] {
        var arguments = [String(retention.milliseconds), envelope.id]
        for (name, value) in envelope.fields { arguments += [name, value] }
        return arguments
    }
}
