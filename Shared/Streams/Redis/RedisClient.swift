import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The one Redis client of Rapport: a pool of hiredis connections whose blocking calls run on
/// a dedicated `NIOThreadPool`, never on Swift's cooperative pool (which has one thread per
/// core and would stall every task while a command waits on the network).
public final class RedisClient: Sendable {
    /// Timeouts and pool sizes; the defaults suit a Redis on the same network.
    public struct Options: Sendable {
        public var connectTimeout: Duration = .seconds(2)
        public var commandTimeout: Duration = .seconds(5)
        /// Threads that may block in Redis calls at once. Each consumer loop holds one while it
        /// waits in `XREADGROUP ... BLOCK`, so size it above the number of loops.
        public var threads: Int = 8
        public init() {}
    }

    public let endpoint: RedisEndpoint
    public let options: Options
    private let threadPool: NIOThreadPool
    private let idle = Mutex<[PooledConnection]>([])
    private let isShutDown = Atomic<Bool>(false)
    private let scripts = ScriptPipeline()

    public init(endpoint: RedisEndpoint, options: Options = Options()) {
        self.endpoint = endpoint
        self.options = options
        self.threadPool = NIOThreadPool(numberOfThreads: max(2, options.threads))
        threadPool.start()
    }

    /// Runs `body` on the thread pool with a connection nobody else uses meanwhile. Use it for
    /// work that needs one connection across several commands (`WATCH` ... `EXEC`).
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        guard !isShutDown.load(ordering: .relaxed) else { throw RedisError.closed }
        return try await threadPool.runResumingCaller { [self] in
            let pooled = checkOut()
            defer { checkIn(pooled) }
            return try body(pooled.connection)
        }
    }

    /// Sends one command; a Redis error reply is thrown as ``RedisError`` carrying its message.
    public func send(_ arguments: [String]) async throws -> RedisValue {
        try await withConnection { try $0.send(arguments) }
    }

    /// Sends commands in one round trip and returns their replies in order.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        try await withConnection { try $0.pipeline(commands) }
    }

    /// Runs `calls` in order, in a round trip shared with other callers' concurrent script calls
    /// (see ``ScriptPipeline``), and returns their replies in order. Error replies stay values,
    /// except that a script Redis forgot is loaded and run again.
    public func runScripts(_ calls: [ScriptCall]) async throws -> [RedisValue] {
        guard !isShutDown.load(ordering: .relaxed) else { throw RedisError.closed }
        return try await withCheckedThrowingContinuation { continuation in
            guard scripts.enqueue(.init(calls: calls, continuation: continuation)) else { return }
            threadPool.submit { [self] work in
                guard case .active = work else {
                    scripts.failAll(RedisError.closed)
                    return
                }
                let pooled = checkOut()
                defer { checkIn(pooled) }
                scripts.drain(on: pooled.connection)
            }
        }
    }

    /// A connection reserved for one long-running loop (a consumer's blocking reads), so its
    /// waits never hold a pooled connection other callers need.
    public func makeSession(readTimeout: Duration? = nil) -> RedisSession {
        RedisSession(
            connection: PooledConnection(makeConnection(commandTimeout: readTimeout ?? options.commandTimeout)),
            threadPool: threadPool
        )
    }

    /// Answers whether Redis responds to `PING` now.
    public func ping() async -> Bool {
        (try? await send(["PING"]).string) == "PONG"
    }

    /// Closes the pool; calls after this throw.
    public func shutdown() async {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        try? await threadPool.shutdownGracefully()
        idle.withLock { $0.removeAll() }
    }

    private func makeConnection(commandTimeout: Duration) -> RedisConnection {
        RedisConnection(endpoint: endpoint, connectTimeout: options.connectTimeout, commandTimeout: commandTimeout)
    }

    private func checkOut() -> PooledConnection {
        idle.withLock { $0.popLast() } ?? PooledConnection(makeConnection(commandTimeout: options.commandTimeout))
    }

    private func checkIn(_ connection: PooledConnection) {
        idle.withLock { $0.append(connection) }
    }
}

/// A connection that lives either in the idle list or with exactly one thread-pool job, never
/// both: the pool hands it out under its lock and takes it back only after the job finished.
/// That exclusive ownership is what makes crossing threads safe for a non-thread-safe hiredis
/// context.
final class PooledConnection: @unchecked Sendable {
    let connection: RedisConnection
    init(_ connection: RedisConnection) { self.connection = connection }
}

/// One connection owned by one loop. Calls must not overlap: the owner awaits each before the
/// next, which is what makes handing the connection between pool threads safe.
public final class RedisSession: Sendable {
    private let pooled: PooledConnection
    private let threadPool: NIOThreadPool

    init(connection: PooledConnection, threadPool: NIOThreadPool) {
        self.pooled = connection
        self.threadPool = threadPool
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await threadPool.runResumingCaller { [pooled] in try body(pooled.connection) }
    }

    public func close() async {
        _ = try? await threadPool.runIfActive { [pooled] in pooled.connection.close() }
    }
}

extension NIOThreadPool {
    /// Runs blocking `body` on the pool, then resumes the caller on the event loop it ran on, if
    /// any (see ``ScriptPipeline/Waiter``): a request handler continues on its connection's loop
    /// rather than on whichever loop the executor picks from a pool thread.
    func runResumingCaller<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard let home = MultiThreadedEventLoopGroup.currentEventLoop else { return try await runIfActive(body) }
        return try await withCheckedThrowingContinuation { continuation in
            submit { state in
                let result: Result<T, any Error>
                if case .active = state {
                    result = Result { try body() }
                } else {
                    result = .failure(RedisError.closed)
                }
                continuation.resume(with: result, on: home)
            }
        }
    }
}

extension CheckedContinuation where T: Sendable {
    /// Resumes the task from `loop` when there is one, so it continues on that loop (the
    /// executor keeps a task on the loop it is enqueued from), else from the calling thread.
    func resume(with result: sending Result<T, E>, on loop: (any EventLoop)?) {
        guard let loop else { return resume(with: result) }
        let result = result
        loop.execute { self.resume(with: result) }
    }
}
