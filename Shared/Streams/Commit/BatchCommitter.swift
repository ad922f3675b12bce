import Foundation
import Model

/// An entry as read from a stream, before its envelope is decoded.
public struct RawEntry: Sendable {
    public let id: String
    public let fields: [String: String]
    public let deliveries: Int

    public init(id: String, fields: [String: String], deliveries: Int) {
        self.id = id
        self.fields = fields
        self.deliveries = deliveries
    }
}

/// What one committed batch did.
public struct BatchOutcome: Sendable, Equatable {
    public var applied = 0
    public var duplicates = 0
    public var skippedTypes: [String] = []
    /// Entries whose handler threw; they stay pending and are retried after the claim timeout.
    public var failed = 0
    public var deadLettered = 0
    /// Times `EXEC` was rejected because a watched key changed, before the commit went through.
    public var retries = 0
}

/// Applies a batch of entries of one stream of one partition with the exactly-once commit:
/// `WATCH` the processed markers and the state read, decide, then one `MULTI ... EXEC` holding
/// the state writes, output events, audit entries, the new markers and the `XACK`s. A rejected
/// `EXEC` (another replica changed a watched key) decides the whole batch again.
public struct BatchCommitter: Sendable {
    public let configuration: ConsumerConfiguration
    public let handler: any EntryHandler
    public let clock: any TimeSource

    public init(configuration: ConsumerConfiguration, handler: any EntryHandler, clock: any TimeSource) {
        self.configuration = configuration
        self.handler = handler
        self.clock = clock
    }

    /// Commits `entries` read from logical stream `stream` of `partition`. Blocks: call it on
    /// a Redis thread.
    public func commit(
        _ entries: [RawEntry], stream: String, partition: Partition, on connection: RedisConnection
    ) throws -> BatchOutcome {
        guard !entries.isEmpty else { return BatchOutcome() }
        let streamKey = Keyspace.stream(stream, partition)
        let service = configuration.service
        var decoded: [(raw: RawEntry, result: Result<ConsumedEntry, Error>)] = []
        decoded.reserveCapacity(entries.count)
        for raw in entries {
            decoded.append((raw, Result {
                ConsumedEntry(
                    stream: stream, partition: partition, entryID: raw.id,
                    envelope: try Envelope(fields: raw.fields), deliveries: raw.deliveries)
            }))
        }

        var retries = 0
        while true {
            var outcome = BatchOutcome()
            outcome.retries = retries
            let candidates = decoded.compactMap { try? $0.result.get() }
            let markers = candidates.map { Keyspace.processed(service: service, eventID: $0.envelope.id, partition) }
            let prefetch = Array(Set(candidates
                .filter { handler.handledTypes.contains($0.envelope.type) }
                .flatMap { handler.prefetchKeys(for: $0) }))
            let known = try readWatched(markers + prefetch, on: connection)
            var prefetched: [String: String?] = [:]
            for key in prefetch { prefetched[key] = .some(known[key] ?? nil) }
            let transaction = StateTransaction(connection: connection, now: clock.now(), prefetched: prefetched)
            var seen = Set<String>()
            // One XACK for the whole batch, queued last inside the same MULTI.
            var acknowledged: [String] = []
            acknowledged.reserveCapacity(decoded.count)

            for (raw, result) in decoded {
                let entry: ConsumedEntry
                do {
                    entry = try result.get()
                } catch {
                    deadLetter(raw, stream: streamKey, reason: "cannot decode the entry: \(error)", into: transaction, partition: partition)
                    acknowledged.append(raw.id)
                    outcome.deadLettered += 1
                    continue
                }
                let marker = Keyspace.processed(service: service, eventID: entry.envelope.id, partition)
                if (known[marker] ?? nil) != nil || !seen.insert(entry.envelope.id).inserted {
                    acknowledged.append(raw.id)
                    outcome.duplicates += 1
                    continue
                }
                guard handler.handledTypes.contains(entry.envelope.type) else {
                    acknowledged.append(raw.id)
                    outcome.skippedTypes.append(entry.envelope.type)
                    continue
                }
                // Delivered more often than allowed yet never acknowledged: the earlier attempts
                // neither succeeded nor failed (a failure is dead-lettered at the limit), so the
                // service stopped on it or lost its connection each time. No further attempt, so
                // an entry that stops the process cannot stop it again and again.
                if raw.deliveries > configuration.maxDeliveries {
                    let reason = "delivered \(raw.deliveries) times without being acknowledged; the service may stop on it"
                    deadLetter(raw, stream: streamKey, reason: reason, into: transaction, partition: partition)
                    acknowledged.append(raw.id)
                    outcome.deadLettered += 1
                    continue
                }
                transaction.beginEntry()
                do {
                    try handler.apply(entry, in: transaction)
                    transaction.endEntry()
                    transaction.set(marker, "1", expiresAfter: configuration.markerRetention)
                    acknowledged.append(raw.id)
                    outcome.applied += 1
                } catch let error as RedisError where error.isConnectionFailure {
                    throw error
                } catch {
                    transaction.rollbackEntry()
                    if raw.deliveries >= configuration.maxDeliveries {
                        deadLetter(raw, stream: streamKey, reason: String(describing: error), into: transaction, partition: partition)
                        acknowledged.append(raw.id)
                        outcome.deadLettered += 1
                    } else {
                        outcome.failed += 1
                    }
                }
            }

            if !acknowledged.isEmpty { transaction.queue(["XACK", streamKey, service] + acknowledged) }
            if try transaction.execute() { return outcome }
            retries += 1
            if retries >= configuration.maxCommitAttempts {
                throw CommitError.contended(attempts: retries)
            }
        }
    }

    /// `WATCH`es `keys` and reads them in one round trip.
    private func readWatched(_ keys: [String], on connection: RedisConnection) throws -> [String: String?] {
        guard !keys.isEmpty else { return [:] }
        let replies = try connection.pipeline([["WATCH"] + keys, ["MGET"] + keys])
        guard let values = replies[1].array, values.count == keys.count else {
            throw RedisError.unexpectedReply("MGET", replies[1])
        }
        var map: [String: String?] = [:]
        for (key, value) in zip(keys, values) { map[key] = .some(value.string) }
        return map
    }

    private func deadLetter(
        _ raw: RawEntry, stream streamKey: String, reason: String,
        into transaction: StateTransaction, partition: Partition
    ) {
        var fields = raw.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        fields.append(("dead.stream", streamKey))
        fields.append(("dead.entry", raw.id))
        fields.append(("dead.error", reason))
        fields.append(("dead.deliveries", String(raw.deliveries)))
        fields.append(("dead.at", String(transaction.now.unixMilliseconds)))
        transaction.append(to: Keyspace.deadLetters(service: configuration.service, partition), fields: fields)
    }
}

/// A commit that could not be completed.
public struct CommitError: Error, CustomStringConvertible {
    private enum Kind { case contended(Int) }
    private let kind: Kind

    static func contended(attempts: Int) -> CommitError { CommitError(kind: .contended(attempts)) }

    public var description: String {
        switch kind {
        case .contended(let attempts):
            "a batch was rejected \(attempts) times because other replicas kept changing the same keys; it stays pending and will be read again"
        }
    }
}
