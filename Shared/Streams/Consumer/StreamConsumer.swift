import Logging
import Model
import ServiceLifecycle
import Synchronization

/// Runs a service's consumer group over its input streams in every partition: one loop per
/// partition, each with its own Redis connection, reading batches, taking over entries left idle
/// by crashed replicas, and committing each batch exactly once through ``BatchCommitter``.
///
/// On graceful shutdown each loop finishes the batch in hand (its commit acknowledges what it
/// applied) and returns; the longest wait is one `XREADGROUP` block.
public final class StreamConsumer: Service {
    public let configuration: ConsumerConfiguration
    private let redis: RedisClient
    private let committer: BatchCommitter
    private let logger: Logger
    private let metrics: ConsumerMetrics
    private let runningLoops = Atomic<Int>(0)

    public init(
        redis: RedisClient, configuration: ConsumerConfiguration,
        handler: any EntryHandler, clock: any TimeSource, logger: Logger
    ) {
        self.redis = redis
        self.configuration = configuration
        self.committer = BatchCommitter(configuration: configuration, handler: handler, clock: clock)
        self.logger = logger
        self.metrics = ConsumerMetrics(service: configuration.service)
    }

    /// True while every partition loop is reading; `/health` reports it.
    public var isRunning: Bool {
        runningLoops.load(ordering: .relaxed) == configuration.partitioning.count
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for partition in configuration.partitioning.all {
                group.addTask { await self.runLoop(partition) }
            }
        }
    }

    /// Creates the group on every input stream of every partition, reading from the start so a
    /// service that joins later still sees what was produced before it.
    public func createGroups() async throws {
        for partition in configuration.partitioning.all { try await createGroups(in: partition) }
    }

    private func createGroups(in partition: Partition) async throws {
        let commands = configuration.inputs.map {
            ["XGROUP", "CREATE", Keyspace.stream($0, partition), configuration.service, "0", "MKSTREAM"]
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply, !message.hasPrefix("BUSYGROUP") {
                throw RedisError.server(message)
            }
        }
    }

    private func runLoop(_ partition: Partition) async {
        let session = redis.makeSession(readTimeout: configuration.block + redis.options.commandTimeout)
        var backoff = Backoff(base: .milliseconds(100), cap: .seconds(2))
        var ready = false
        var lastClaim = ContinuousClock.now - configuration.claimInterval
        // This consumer's own unacknowledged entries (from before a restart under the same name,
        // or in flight when the connection dropped) are read back first, instead of waiting
        // for the claim timeout.
        var recoverOwn = true
        defer { if ready { runningLoops.subtract(1, ordering: .relaxed) } }

        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if !ready {
                    try await createGroups(in: partition)
                    ready = true
                    runningLoops.add(1, ordering: .relaxed)
                }
                let claimDue = ContinuousClock.now - lastClaim >= configuration.claimInterval
                if claimDue { lastClaim = ContinuousClock.now }
                let recovering = recoverOwn
                let outcomes = try await session.run { [self] connection in
                    try self.pass(partition: partition, claim: claimDue, recoverOwn: recovering, on: connection)
                }
                recoverOwn = false
                record(outcomes)
                backoff.reset()
            } catch {
                recoverOwn = true
                logger.warning("consumer loop failed; retrying", metadata: [
                    "partition": "\(partition.index)", "error": "\(error)",
                ])
                await pause(backoff.next())
            }
        }
        await session.close()
    }

    /// One pass of a loop: read back this consumer's own pending entries when asked, claim idle
    /// entries if due, read new ones, commit each stream's batch.
    private func pass(
        partition: Partition, claim: Bool, recoverOwn: Bool, on connection: RedisConnection
    ) throws -> [(String, BatchOutcome)] {
        var outcomes: [(String, BatchOutcome)] = []
        if recoverOwn {
            for input in configuration.inputs {
                var after = "0"
                while true {
                    let (entries, last) = try ownPending(input, partition: partition, after: after, on: connection)
                    if !entries.isEmpty { outcomes.append((input, try commitTimed(entries, input, partition, connection))) }
                    guard let last else { break }
                    after = last
                }
            }
        }
        if claim {
            for input in configuration.inputs {
                let entries = try claimIdle(input, partition: partition, on: connection)
                if !entries.isEmpty {
                    outcomes.append((input, try commitTimed(entries, input, partition, connection)))
                }
            }
        }
        let keys = configuration.inputs.map { Keyspace.stream($0, partition) }
        let reply = try connection.send(
            ["XREADGROUP", "GROUP", configuration.service, configuration.consumer,
             "COUNT", String(configuration.batchSize), "BLOCK", String(configuration.block.milliseconds),
             "STREAMS"] + keys + Array(repeating: ">", count: keys.count))
        for (key, entries) in StreamReplies.readGroup(reply) where !entries.isEmpty {
            guard let index = keys.firstIndex(of: key) else { continue }
            let input = configuration.inputs[index]
            outcomes.append((input, try commitTimed(entries, input, partition, connection)))
        }
        return outcomes
    }

    private func commitTimed(
        _ entries: [RawEntry], _ input: String, _ partition: Partition, _ connection: RedisConnection
    ) throws -> BatchOutcome {
        let start = ContinuousClock.now
        let outcome = try committer.commit(entries, stream: input, partition: partition, on: connection)
        metrics.commitLatency.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return outcome
    }

    /// Takes over entries of `input` that sat unacknowledged past the claim timeout, with the
    /// delivery count each now has, so a handler that keeps failing ends in the dead letters.
    func claimIdle(_ input: String, partition: Partition, on connection: RedisConnection) throws -> [RawEntry] {
        let key = Keyspace.stream(input, partition)
        let reply = try connection.send(
            ["XAUTOCLAIM", key, configuration.service, configuration.consumer,
             String(configuration.claimIdle.milliseconds), "0-0", "COUNT", String(configuration.batchSize)])
        guard let parts = reply.array, parts.count >= 2 else { throw RedisError.unexpectedReply("XAUTOCLAIM", reply) }
        return try withDeliveryCounts(StreamReplies.entries(parts[1], deliveries: { _ in 1 }), key: key, on: connection)
    }

    /// `entries`, now pending with this consumer, with the delivery count Redis keeps for each.
    private func withDeliveryCounts(_ entries: [RawEntry], key: String, on connection: RedisConnection) throws -> [RawEntry] {
        guard let first = entries.first?.id, let last = entries.last?.id else { return [] }
        let pending = try connection.send(
            ["XPENDING", key, configuration.service, first, last, String(entries.count * 2), configuration.consumer])
        let counts = StreamReplies.deliveryCounts(pending)
        return entries.map { RawEntry(id: $0.id, fields: $0.fields, deliveries: counts[$0.id] ?? 1) }
    }

    /// This consumer's pending entries of `input` after id `after`, oldest first, with their
    /// delivery counts, and the last id read (nil when there was none): a history read
    /// (`XREADGROUP ... <id>`) returns only entries delivered to this consumer and not yet
    /// acknowledged. Walking by id ends the recovery even when an entry fails again and stays
    /// pending; the claim takes it from there.
    func ownPending(
        _ input: String, partition: Partition, after: String, on connection: RedisConnection
    ) throws -> (entries: [RawEntry], last: String?) {
        let key = Keyspace.stream(input, partition)
        let reply = try connection.send(
            ["XREADGROUP", "GROUP", configuration.service, configuration.consumer,
             "COUNT", String(configuration.batchSize), "STREAMS", key, after])
        let items = reply.array?.first?.array?.last?.array ?? []
        let last = items.last?.array?.first?.string
        // An entry deleted while pending comes back without fields and is dropped here.
        let entries = StreamReplies.entries(.array(items), deliveries: { _ in 1 })
        return (try withDeliveryCounts(entries, key: key, on: connection), last)
    }

    private func record(_ outcomes: [(String, BatchOutcome)]) {
        for (stream, outcome) in outcomes {
            if outcome.applied > 0 { metrics.processed(stream).increment(by: Int64(outcome.applied)) }
            if outcome.duplicates > 0 { metrics.duplicates(stream).increment(by: Int64(outcome.duplicates)) }
            if outcome.failed > 0 { metrics.failures(stream).increment(by: Int64(outcome.failed)) }
            if outcome.deadLettered > 0 {
                metrics.deadLetters(stream).increment(by: Int64(outcome.deadLettered))
                logger.error("entries moved to the dead letters", metadata: [
                    "stream": "\(stream)", "count": "\(outcome.deadLettered)",
                ])
            }
            if outcome.retries > 0 { metrics.retries.increment(by: Int64(outcome.retries)) }
            for type in outcome.skippedTypes { metrics.skipped(type).increment() }
        }
    }
}
