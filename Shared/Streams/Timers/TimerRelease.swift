import Logging
import Model
import ServiceLifecycle

/// Moves due timers onto their stream. The move is one Lua script, so however many replicas
/// race on the same partition, each timer is taken by exactly one of them and appended once.
public final class TimerRelease: Service {
    static let script = RedisScript("""
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, id in ipairs(due) do
          local payload = redis.call('HGET', KEYS[2], id)
          if payload then
            local fields = cjson.decode(payload)
            redis.call('XADD', KEYS[3], '*', 'timer', id, unpack(fields))
          end
          redis.call('ZREM', KEYS[1], id)
          redis.call('HDEL', KEYS[2], id)
        end
        return #due
        """)

    public let schedule: TimerSchedule
    private let redis: RedisClient
    private let partitioning: Partitioning
    private let clock: any TimeSource
    private let interval: Duration
    private let batch: Int
    private let logger: Logger

    public init(
        schedule: TimerSchedule, redis: RedisClient, partitioning: Partitioning,
        clock: any TimeSource, interval: Duration = .milliseconds(250), batch: Int = 500, logger: Logger
    ) {
        self.schedule = schedule
        self.redis = redis
        self.partitioning = partitioning
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    /// Releases every timer of `partition` due at the clock's current time; returns how many.
    @discardableResult
    public func releaseDue(in partition: Partition) async throws -> Int {
        let service = schedule.service
        let now = clock.now()
        let limit = batch
        return try await redis.withConnection { connection in
            var total = 0
            while true {
                let reply = try Self.script.run(
                    on: connection,
                    keys: [
                        Keyspace.timers(service: service, partition),
                        Keyspace.timerPayloads(service: service, partition),
                        Keyspace.timerStream(service: service, partition),
                    ],
                    arguments: [String(now.unixMilliseconds), String(limit)])
                let released = Int(reply.int ?? 0)
                total += released
                if released < limit { return total }
            }
        }
    }

    public func run() async throws {
        var backoff = Backoff(base: .milliseconds(100), cap: .seconds(2))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for partition in partitioning.all { try await releaseDue(in: partition) }
                backoff.reset()
                await pause(interval)
            } catch {
                logger.warning("timer release failed; retrying", metadata: ["error": "\(error)"])
                await pause(backoff.next())
            }
        }
    }
}
