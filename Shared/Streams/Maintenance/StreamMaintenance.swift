import Logging
import Model
import ServiceLifecycle

/// Periodic upkeep of a service's streams: publishes its consumer lag and pending counts, and
/// trims the streams it owns (its output and its timer stream) with ``StreamTrimmer``.
public final class StreamMaintenance: Service {
    /// A stream this service owns, with the groups that consume it.
    public struct OwnedStream: Sendable {
        public var name: String
        public var consumers: Set<String>
        public init(name: String, consumers: Set<String>) {
            self.name = name
            self.consumers = consumers
        }
    }

    private let redis: RedisClient
    private let service: String
    private let inputs: [String]
    private let owned: [OwnedStream]
    private let partitioning: Partitioning
    private let interval: Duration
    /// A consumer that holds nothing and has not read for this long belongs to a replica that is
    /// gone (each process names itself anew), and is removed from the group.
    private let staleConsumerIdle: Duration = .seconds(24 * 3600)
    private let logger: Logger
    private let metrics: ConsumerMetrics

    public init(
        redis: RedisClient, service: String, inputs: [String], owned: [OwnedStream],
        partitioning: Partitioning, interval: Duration = .seconds(10), logger: Logger
    ) {
        self.redis = redis
        self.service = service
        self.inputs = inputs
        self.owned = owned
        self.partitioning = partitioning
        self.interval = interval
        self.logger = logger
        self.metrics = ConsumerMetrics(service: service)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.warning("stream maintenance failed", metadata: ["error": "\(error)"])
            }
            await pause(interval)
        }
    }

    /// One round of lag reporting and trimming over every partition.
    public func runOnce() async throws {
        let service = self.service, inputs = self.inputs, owned = self.owned, staleIdle = staleConsumerIdle
        let partitions = partitioning.all
        let lags = try await redis.withConnection { connection in
            var lags: [(String, Int, Int64, Int64)] = []
            for partition in partitions {
                for input in inputs {
                    let groups = (try? connection.send(["XINFO", "GROUPS", Keyspace.stream(input, partition)]).array) ?? []
                    for group in groups.map(\.fieldMap) where group["name"] == service {
                        lags.append((input, partition.index, Int64(group["lag"] ?? "") ?? 0, Int64(group["pending"] ?? "") ?? 0))
                        try Self.forgetStaleConsumers(Keyspace.stream(input, partition), group: service, idle: staleIdle, on: connection)
                    }
                }
                for stream in owned {
                    try StreamTrimmer().trim(Keyspace.stream(stream.name, partition), expectedGroups: stream.consumers, on: connection)
                }
            }
            return lags
        }
        for (input, partition, lag, pending) in lags {
            metrics.lag(input, partition).record(lag)
            metrics.pending(input, partition).record(pending)
        }
    }

    /// Removes consumers with no pending entries that have been idle past `idle`.
    static func forgetStaleConsumers(_ stream: String, group: String, idle: Duration, on connection: RedisConnection) throws {
        let consumers = try connection.send(["XINFO", "CONSUMERS", stream, group]).array ?? []
        for consumer in consumers.map(\.fieldMap) {
            guard let name = consumer["name"], consumer["pending"] == "0",
                  let idleMs = Int64(consumer["idle"] ?? ""), idleMs > idle.milliseconds else { continue }
            _ = try connection.send(["XGROUP", "DELCONSUMER", stream, group, name])
        }
    }
}
