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
        var arguments = [String(retention.milliseconds), envelope.id]
        for (name, value) in envelope.fields { arguments += [name, value] }
        let finalArguments = arguments
        let reply = try await redis.withConnection { connection in
            try Self.appendOnceScript.run(on: connection, keys: [dedupeKey, stream], arguments: finalArguments)
        }
        return reply.string
    }
}
