import CHiredis
import Foundation

/// One hiredis connection. Every call blocks the calling thread, so it must only be used from
/// ``RedisClient``'s thread pool, and by one thread at a time.
///
/// A connection that fails (I/O error, EOF, protocol error) is dropped and reopened on the next
/// call, no sooner than its ``Backoff`` allows, so a lost Redis does not turn into a busy loop.
public final class RedisConnection {
    public let endpoint: RedisEndpoint
    public let connectTimeout: Duration
    public let commandTimeout: Duration
    private var context: UnsafeMutablePointer<redisContext>?
    private var backoff = Backoff()
    private var notBefore = ContinuousClock.now

    init(endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    deinit { close() }

    /// Sends one command and waits for its reply. A top-level error reply is thrown.
    public func send(_ arguments: [String]) throws(RedisError) -> RedisValue {
        let reply = try pipeline([arguments])[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends all commands in one write and reads their replies in order (error replies stay
    /// values, so one failed command does not hide the others' results).
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        let context = try connected()
        for command in commands {
            let status = Self.withArgv(command) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            if status != REDIS_OK { throw fail(context) }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil { throw fail(context) }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.decode(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Closes the socket; the next call reconnects.
    public func close() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Changes the read timeout, for blocking reads that wait longer than ordinary commands.
    func setReadTimeout(_ timeout: Duration) throws(RedisError) {
        let context = try connected()
        if redisSetTimeout(context, Self.timeval(timeout)) != REDIS_OK { throw fail(context) }
    }

    private func connected() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        let now = ContinuousClock.now
        if now < notBefore {
            throw RedisError.connect(endpoint.description, "still waiting before the next reconnect attempt")
        }
        guard let fresh = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), Self.timeval(connectTimeout)) else {
            throw RedisError.connect(endpoint.description, "out of memory")
        }
        if fresh.pointee.err != 0 {
            let reason = Self.errorText(fresh)
            redisFree(fresh)
            notBefore = now + backoff.next()
            throw RedisError.connect(endpoint.description, reason)
        }
        redisSetTimeout(fresh, Self.timeval(commandTimeout))
        redisEnableKeepAlive(fresh)
        context = fresh
        do {
            try handshake()
        } catch {
            close()
            notBefore = now + backoff.next()
            throw error
        }
        backoff.reset()
        return fresh
    }

    private func handshake() throws(RedisError) {
        var commands: [[String]] = []
        if let password = endpoint.password {
            commands.append(endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if endpoint.database != 0 { commands.append(["SELECT", String(endpoint.database)]) }
        guard !commands.isEmpty else { return }
        for reply in try pipeline(commands) {
            if case .error(let message) = reply {
                throw RedisError.connect(endpoint.description, message)
            }
        }
    }

    private func fail(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let error = RedisError.io(Self.errorText(context))
        close()
        notBefore = ContinuousClock.now + backoff.next()
        return error
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            let text = String(decoding: bytes[..<end], as: UTF8.self)
            return text.isEmpty ? "connection closed" : text
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// Lays the arguments out in one buffer and hands hiredis pointers into it, avoiding one
    /// allocation per argument on the hot path.
    private static func withArgv<R>(
        _ arguments: [String],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var buffer: [UInt8] = []
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            var argument = argument
            argument.withUTF8 { buffer.append(contentsOf: $0) }
            lengths.append(argument.utf8.count)
        }
        buffer.append(0)
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(arguments.count)
            var offset = 0
            for length in lengths {
                pointers.append(base + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengthPointer in
                    body(Int32(arguments.count), argv.baseAddress!, lengthPointer.baseAddress!)
                }
            }
        }
    }

    private static func decode(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(value))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(Int(value.elements))
            for index in 0..<Int(value.elements) {
                if let element = value.element[index] { elements.append(decode(element)) }
                else { elements.append(.null) }
            }
            return .array(elements)
        default:
            return .error("unknown reply type \(value.type)")
        }
    }

    private static func bytes(_ value: redisReply) -> [UInt8] {
        guard let str = value.str, value.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: Int(value.len)))
    }
}
