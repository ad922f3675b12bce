/// A failure talking to Redis. The message says what happened and, where it helps, what to check.
public struct RedisError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable, Equatable {
        case connect(String)
        case io(String)
        case server(String)
        case protocolViolation(String)
        case unexpectedReply(String)
        case closed
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func connect(_ endpoint: String, _ reason: String) -> RedisError {
        RedisError(.connect("cannot connect to Redis at \(endpoint): \(reason); check RAPPORT_REDIS_URL and that redis-server is running"))
    }
    static func io(_ reason: String) -> RedisError { RedisError(.io("lost the connection to Redis: \(reason)")) }
    static func server(_ message: String) -> RedisError { RedisError(.server(message)) }
    static func protocolViolation(_ reason: String) -> RedisError { RedisError(.protocolViolation(reason)) }
    public static func unexpectedReply(_ command: String, _ reply: RedisValue) -> RedisError {
        RedisError(.unexpectedReply("unexpected reply to \(command): \(reply)"))
    }
    static let closed = RedisError(.closed)

    /// The error text Redis itself sent (`WRONGTYPE ...`, `NOSCRIPT ...`), when this is a server reply.
    public var serverMessage: String? {
        if case .server(let message) = kind { return message }
        return nil
    }

    /// True when the connection failed (connect, read or write), so the same command may succeed later.
    public var isConnectionFailure: Bool {
        switch kind {
        case .connect, .io, .closed: true
        default: false
        }
    }

    public var description: String {
        switch kind {
        case .connect(let text), .io(let text), .protocolViolation(let text), .unexpectedReply(let text): text
        case .server(let message): "Redis answered with an error: \(message)"
        case .closed: "the Redis client was shut down"
        }
    }
}
