import NIOCore
import NIOPosix
import Synchronization

/// One Lua script call: the script, its keys and its arguments.
public struct ScriptCall: Sendable {
    public let script: RedisScript
    public let keys: [String]
    public let arguments: [String]

    public init(_ script: RedisScript, keys: [String], arguments: [String]) {
        self.script = script
        self.keys = keys
        self.arguments = arguments
    }
}

/// Shares round trips between concurrent script callers (``RedisClient/runScripts(_:)``).
///
/// Callers queue their calls; the first caller to find no drain under way starts one on the
/// client's thread pool, which sends everything queued as one pipeline, hands each caller its
/// own replies, and repeats until the queue is empty. So under load one thread wake-up and one
/// write to Redis serve many requests, while a lone caller waits no longer than one round trip:
/// nothing is held back on a timer. Each script stays atomic on its own keys; callers' scripts
/// are only sent together, never merged into one transaction, and one caller's error reply is
/// that caller's alone. A lost connection fails every caller of that round trip, as it would
/// have failed each of their own round trips.
final class ScriptPipeline: Sendable {
    struct Waiter: Sendable {
        let calls: [ScriptCall]
        let continuation: CheckedContinuation<[RedisValue], any Error>
        /// The event loop the caller ran on, if any. Its task is resumed from there, so an HTTP
        /// handler continues on its connection's loop and writes its answer without a thread
        /// switch, instead of on whichever loop the executor would pick from a pool thread.
        let home: (any EventLoop)?

        init(calls: [ScriptCall], continuation: CheckedContinuation<[RedisValue], any Error>) {
            self.calls = calls
            self.continuation = continuation
            self.home = MultiThreadedEventLoopGroup.currentEventLoop
        }

        func finish(_ result: Result<[RedisValue], any Error>) {
            continuation.resume(with: result, on: home)
        }
    }

    private struct State {
        var waiting: [Waiter] = []
        var draining = false
    }

    /// Bounds one round trip, so a burst is sent in several writes rather than one huge one.
    let maxCallsPerRoundTrip: Int
    private let state = Mutex(State())

    init(maxCallsPerRoundTrip: Int = 256) {
        self.maxCallsPerRoundTrip = max(1, maxCallsPerRoundTrip)
    }

    /// Queues `waiter`; true when no drain is under way, so the caller must start one.
    func enqueue(_ waiter: Waiter) -> Bool {
        state.withLock { state in
            state.waiting.append(waiter)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
    }

    /// Sends what is queued, round trip after round trip, until nothing waits. Runs on a pool
    /// thread holding `connection` for the whole drain.
    func drain(on connection: RedisConnection) {
        while let batch = nextBatch() {
            Self.run(batch, on: connection)
        }
    }

    /// Fails everything queued and ends the drain: the thread pool would not run it.
    func failAll(_ error: any Error) {
        let failed = state.withLock { state in
            state.draining = false
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for waiter in failed { waiter.finish(.failure(error)) }
    }

    /// The next waiters to send, at least one; nil ends the drain (under the same lock that
    /// `enqueue` checks, so a caller arriving now starts a new drain and is never stranded).
    private func nextBatch() -> [Waiter]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.draining = false
                return nil
            }
            var count = 0
            var calls = 0
            for waiter in state.waiting {
                if count > 0 && calls + waiter.calls.count > maxCallsPerRoundTrip { break }
                count += 1
                calls += waiter.calls.count
            }
            let batch = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(count)
            return batch
        }
    }

    private static func run(_ batch: [Waiter], on connection: RedisConnection) {
        let replies: [RedisValue]
        do {
            var commands: [[String]] = []
            commands.reserveCapacity(batch.reduce(0) { $0 + $1.calls.count })
            for waiter in batch {
                for call in waiter.calls {
                    commands.append(try call.script.command(on: connection, keys: call.keys, arguments: call.arguments))
                }
            }
            replies = try connection.pipeline(commands)
        } catch {
            for waiter in batch { waiter.finish(.failure(error)) }
            return
        }
        var offset = 0
        for waiter in batch {
            var own = Array(replies[offset..<(offset + waiter.calls.count)])
            offset += waiter.calls.count
            do {
                for (index, call) in waiter.calls.enumerated() {
                    // Redis forgot its scripts (a restart): this call did not run; `run` reloads it.
                    guard case .error(let message) = own[index], message.hasPrefix("NOSCRIPT") else { continue }
                    do {
                        own[index] = try call.script.run(on: connection, keys: call.keys, arguments: call.arguments)
                    } catch let error as RedisError {
                        // The script's own error reply stays a value, as it would have without the reload.
                        guard let serverMessage = error.serverMessage else { throw error }
                        own[index] = .error(serverMessage)
                    }
                }
                waiter.finish(.success(own))
            } catch {
                waiter.finish(.failure(error))
            }
        }
    }
}
