import Foundation
import Model
import Streams

/// The recurring work over a whole partition: the daily recompute (RFM quintiles, churn scores,
/// expired floors) and the periodic tier review (downgrades after the grace period).
///
/// Both are one timer per partition rather than one per customer: the timer set stays two
/// entries per partition whatever the number of customers, and a review is a business date on
/// which every customer is looked at, as the seed policies describe it. When a job fires it
/// does not evaluate customers in its own commit, which could hold a whole partition; it
/// appends ``EvaluationBatch`` entries of ``batchSize`` customers to classification's own timer
/// stream, each consumed (and committed) like any other entry.
///
/// Quintiles are computed per partition. Customers are spread over partitions by a hash of
/// their id, so each partition is a random sample of the customer base, and with thousands of
/// customers per partition the cut values differ from the global ones by far less than one
/// quintile's width; computing them globally would need a commit across partitions, which
/// Rapport never makes. With very few customers per partition the quintiles are coarse.
struct PartitionJobs: Sendable {
    let settings: ClassificationSettings
    let timers = TimerSchedule(service: ClassificationKeys.service)
    static let batchSize = 200

    /// Schedules the partition's jobs when it has none yet: the first recompute at once, the
    /// first review one interval later.
    func ensureScheduled(keys: ClassificationKeys, in transaction: StateTransaction) throws {
        guard try transaction.get(keys.schedule) == nil else { return }
        let now = transaction.now
        let schedule = PartitionSchedule(recompute: now, review: now + settings.reviewInterval)
        try scheduleRecompute(at: schedule.recompute, keys: keys, in: transaction)
        try scheduleReview(at: schedule.review, keys: keys, in: transaction)
        transaction.set(keys.schedule, try Self.encode(schedule))
    }

    /// The daily job: new quintiles from the partition's RFM inputs, then every customer
    /// evaluated in batches.
    func runRecompute(_ entry: ConsumedEntry, keys: ClassificationKeys, in transaction: StateTransaction) throws {
        let job = try entry.envelope.decode(DailyRecompute.self)
        let now = transaction.now
        // The inputs change with every order; the quintiles are a statistic of the whole
        // partition, so the job reads them without watching them (it watches only its own
        // cuts key) instead of being rejected by every concurrent order.
        func values(_ key: String) throws -> [Int64] {
            let reply = try transaction.read(["ZRANGE", key, "0", "-1", "WITHSCORES"], watching: [keys.cuts])
            let items = reply.array ?? []
            return stride(from: 1, to: items.count, by: 2).compactMap { items[$0].string.flatMap(Self.score) }
        }
        let recency = try values(keys.recencyValues)
        if let r = Quintiles(values: recency),
           let f = Quintiles(values: try values(keys.frequencyValues)),
           let m = Quintiles(values: try values(keys.monetaryValues)) {
            let cuts = RFMCuts(recency: r, frequency: f, monetary: m, population: recency.count, computedAt: now)
            transaction.set(keys.cuts, try Self.encode(cuts))
        }
        let everyone = try members(of: keys.everyone, watching: keys.cuts, in: transaction)
        try fanOut(everyone, purpose: .recompute, from: entry.envelope, keys: keys, in: transaction)

        var schedule = try currentSchedule(keys: keys, in: transaction)
        schedule.recompute = Self.next(after: job.due, every: settings.recomputeInterval, now: now)
        try scheduleRecompute(at: schedule.recompute, keys: keys, in: transaction)
        transaction.set(keys.schedule, try Self.encode(schedule))
    }

    /// The periodic review: every customer above the base tier is evaluated with downgrades
    /// allowed (base-tier customers have nothing to lose).
    func runReview(_ entry: ConsumedEntry, keys: ClassificationKeys, in transaction: StateTransaction) throws {
        let job = try entry.envelope.decode(TierReview.self)
        var customers = Set<String>()
        for tier in settings.policy.names.dropLast() {
            customers.formUnion(try members(of: keys.tier(tier), watching: keys.schedule, in: transaction))
        }
        try fanOut(customers.sorted(), purpose: .review, from: entry.envelope, keys: keys, in: transaction)

        var schedule = try currentSchedule(keys: keys, in: transaction)
        schedule.review = Self.next(after: job.due, every: settings.reviewInterval, now: transaction.now)
        try scheduleReview(at: schedule.review, keys: keys, in: transaction)
        transaction.set(keys.schedule, try Self.encode(schedule))
    }

    // MARK: - Helpers

    private func members(of key: String, watching: String, in transaction: StateTransaction) throws -> [String] {
        try transaction.read(["ZRANGE", key, "0", "-1"], watching: [watching]).array?.compactMap(\.string) ?? []
    }

    private func fanOut(
        _ customers: [String], purpose: EvaluationBatch.Purpose, from parent: Envelope,
        keys: ClassificationKeys, in transaction: StateTransaction
    ) throws {
        let stream = Keyspace.timerStream(service: ClassificationKeys.service, keys.partition)
        for (index, start) in stride(from: 0, to: customers.count, by: Self.batchSize).enumerated() {
            let slice = Array(customers[start..<min(start + Self.batchSize, customers.count)])
            let batch = try parent.derive(
                EvaluationBatch(purpose: purpose, customers: slice), suffix: "batch-\(index)", customer: "",
                occurred: transaction.now, recorded: transaction.now, source: ClassificationKeys.service)
            transaction.emit(batch, to: stream)
        }
    }

    private func currentSchedule(keys: ClassificationKeys, in transaction: StateTransaction) throws -> PartitionSchedule {
        if let text = try transaction.get(keys.schedule) {
            return try JSONDocumentDecoder().decode(PartitionSchedule.self, from: text)
        }
        let now = transaction.now
        return PartitionSchedule(recompute: now, review: now + settings.reviewInterval)
    }

    private func scheduleRecompute(at due: Timestamp, keys: ClassificationKeys, in transaction: StateTransaction) throws {
        let envelope = try Self.jobEnvelope(DailyRecompute(due: due), name: "recompute", due: due, keys: keys, now: transaction.now)
        try timers.schedule(envelope, timerID: "recompute", at: due, partition: keys.partition, in: transaction)
    }

    private func scheduleReview(at due: Timestamp, keys: ClassificationKeys, in transaction: StateTransaction) throws {
        let envelope = try Self.jobEnvelope(TierReview(due: due), name: "review", due: due, keys: keys, now: transaction.now)
        try timers.schedule(envelope, timerID: "review", at: due, partition: keys.partition, in: transaction)
    }

    /// One id per partition and due time, so a run is applied once however often it is released.
    private static func jobEnvelope<E: DomainEvent>(
        _ event: E, name: String, due: Timestamp, keys: ClassificationKeys, now: Timestamp
    ) throws -> Envelope {
        let id = "classification:\(name):\(keys.partition):\(due.unixMilliseconds)"
        return try Envelope.make(
            event, id: id, customer: "", occurred: due, recorded: now, source: ClassificationKeys.service,
            correlation: id, cause: nil)
    }

    /// The next due time on the job's cadence that is after `now` (missed runs are not replayed).
    static func next(after due: Timestamp, every interval: Duration, now: Timestamp) -> Timestamp {
        var next = due + interval
        if next <= now {
            let step = max(1, interval.milliseconds)
            let behind = (now.unixMilliseconds - next.unixMilliseconds) / step + 1
            next = next + .milliseconds(behind * step)
        }
        return next
    }

    private static func score(_ text: String) -> Int64? {
        if let value = Int64(text) { return value }
        return Double(text).flatMap { Int64(exactly: $0.rounded()) }
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        try SortedJSONEncoder().encodeText(value)
    }
}
