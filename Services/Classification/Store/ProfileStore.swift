import Foundation
import Model
import Streams

/// Who and what caused a change, for derived event ids and the audit trail.
struct ChangeCause: Sendable {
    /// The envelope the published events derive from (their id, correlation and cause).
    var parent: Envelope
    /// Prefix of the derived ids' suffix, so one parent can change several customers
    /// (a partition job names each customer).
    var suffixPrefix: String
    /// The service, or the token name of an API call.
    var actor: String

    static func event(_ envelope: Envelope) -> ChangeCause {
        ChangeCause(parent: envelope, suffixPrefix: "", actor: ClassificationKeys.service)
    }

    /// An API call by `actor`: `id` names the call; the events it publishes derive from it.
    static func apiCall(_ id: String, customer: String, actor: String, at now: Timestamp) -> ChangeCause {
        let parent = Envelope(
            id: id, type: "classification.api_call", version: 1, customer: customer, occurred: now, recorded: now,
            source: ClassificationKeys.service, correlation: id, cause: nil, data: "{}")
        return ChangeCause(parent: parent, suffixPrefix: "", actor: actor)
    }
}

/// Reads and writes profiles through a transaction, keeping the indexes, the published events
/// and the audit trail in the same commit as the profile itself.
struct ProfileStore: Sendable {
    let settings: ClassificationSettings
    let timers = TimerSchedule(service: ClassificationKeys.service)

    static let erasureMemory: Duration = .days(30)
    static let exportRetention: Duration = .days(7)

    var policy: TierPolicy { settings.policy }

    static func decode(_ text: String) throws -> CustomerProfile {
        try JSONDocumentDecoder().decode(CustomerProfile.self, from: text)
    }

    static func encode(_ profile: CustomerProfile) throws -> String {
        try SortedJSONEncoder().encodeText(profile)
    }

    func load(_ customer: String, keys: ClassificationKeys, in transaction: StateTransaction) throws -> CustomerProfile? {
        try transaction.get(keys.profile(customer)).map(Self.decode)
    }

    /// Whether an erasure of `customer` happened after `occurred`: such a late event must not
    /// bring the erased profile back.
    func erasedAfter(_ occurred: Timestamp, customer: String, keys: ClassificationKeys, in transaction: StateTransaction) throws -> Bool {
        guard let text = try transaction.get(keys.erased(customer)), let erasedAt = Int64(text) else { return false }
        return occurred.unixMilliseconds <= erasedAt
    }

    /// Stores an evaluated profile: the value, its indexes, the events its changes publish and
    /// an audit record naming the changed fields.
    func save(
        _ outcome: ProfileOutcome, replacing old: CustomerProfile?, keys: ClassificationKeys,
        cause: ChangeCause, in transaction: StateTransaction
    ) throws {
        let profile = outcome.profile
        let customer = profile.customer
        let now = transaction.now
        guard profile != old else { return }
        transaction.set(keys.profile(customer), try Self.encode(profile))

        if old == nil {
            transaction.queue(["ZADD", keys.everyone, "0", customer])
            if let id = try? CustomerID.parse(customer) {
                transaction.queue(["ZADD", keys.store(source: id.source, store: id.store), "0", customer])
            }
        }
        if let move = outcome.tierMove {
            if let previous = move.previous { transaction.queue(["ZREM", keys.tier(previous), customer]) }
            transaction.queue(["ZADD", keys.tier(move.current), "0", customer])
            recordMovement(move, keys: keys, at: now, in: transaction)
        }
        if let move = outcome.segmentMove {
            if let previous = move.previous { transaction.queue(["ZREM", keys.segment(previous), customer]) }
            if let current = move.current { transaction.queue(["ZADD", keys.segment(current), "0", customer]) }
        }
        if let score = profile.churn?.score.total, score != old?.churn?.score.total {
            transaction.queue(["ZADD", keys.churn, String(score), customer])
        }
        updateRFMInputs(old: old, new: profile, keys: keys, at: now, in: transaction)
        try publish(outcome, cause: cause, keys: keys, at: now, in: transaction)

        let fields = profile.changedFields(from: old)
        if !fields.isEmpty {
            transaction.audit(
                AuditRecord(
                    customer: customer, fields: fields, action: old == nil ? "profile.created" : "profile.updated",
                    cause: cause.parent.id, actor: cause.actor, service: ClassificationKeys.service, at: now),
                partition: keys.partition)
        }
    }

    /// Removes the profile and every index entry, remembers the erasure so late events that
    /// happened before `requestedAt` cannot bring the profile back, and records it in the audit trail.
    func erase(
        _ customer: String, requestedAt: Timestamp, keys: ClassificationKeys, cause: ChangeCause, in transaction: StateTransaction
    ) throws {
        let old = try load(customer, keys: keys, in: transaction)
        transaction.delete(keys.profile(customer))
        transaction.set(keys.erased(customer), String(requestedAt.unixMilliseconds), expiresAfter: Self.erasureMemory)
        var tiers = Set(policy.names)
        if let held = old?.tier?.current { tiers.insert(held) }
        for tier in tiers.sorted() { transaction.queue(["ZREM", keys.tier(tier), customer]) }
        for segment in Segment.allCases { transaction.queue(["ZREM", keys.segment(segment), customer]) }
        for index in [keys.everyone, keys.churn, keys.recencyValues, keys.frequencyValues, keys.monetaryValues] {
            transaction.queue(["ZREM", index, customer])
        }
        if let id = try? CustomerID.parse(customer) {
            transaction.queue(["ZREM", keys.store(source: id.source, store: id.store), customer])
        }
        timers.cancel(timerID: Self.floorTimerID(customer), partition: keys.partition, in: transaction)
        transaction.audit(
            AuditRecord(
                customer: customer, fields: old == nil ? [] : ["profile"], action: "erased",
                cause: cause.parent.id, actor: cause.actor, service: ClassificationKeys.service, at: transaction.now),
            partition: keys.partition)
    }

    static func floorTimerID(_ customer: String) -> String { "floor:\(customer)" }

    // MARK: - Pieces of a save

    private func recordMovement(_ move: TierMove, keys: ClassificationKeys, at now: Timestamp, in transaction: StateTransaction) {
        let key = keys.movement(RollingWindow.period(of: now))
        transaction.queue(["HINCRBY", key, "\(move.previous ?? "none")>\(move.current)", "1"])
        if let previous = move.previous {
            transaction.queue(["HINCRBY", key, policy.isHigher(move.current, than: previous) ? "upgrades" : "downgrades", "1"])
        } else {
            transaction.queue(["HINCRBY", key, "new", "1"])
        }
        // Reports look back a few periods; three years bounds the memory movements take.
        transaction.queue(["EXPIRE", key, String(3 * 366 * 86_400)])
    }

    private func updateRFMInputs(
        old: CustomerProfile?, new: CustomerProfile, keys: ClassificationKeys, at now: Timestamp, in transaction: StateTransaction
    ) {
        let months = policy.windowMonths
        let before = old.flatMap { RFMInputs($0.figures(at: now, windowMonths: months), currency: policy.currency) }
        let after = RFMInputs(new.figures(at: now, windowMonths: months), currency: policy.currency)
        guard before != after else { return }
        let customer = new.customer
        if let after {
            transaction.queue(["ZADD", keys.recencyValues, String(after.lastPurchase.unixMilliseconds), customer])
            transaction.queue(["ZADD", keys.frequencyValues, String(after.purchases), customer])
            transaction.queue(["ZADD", keys.monetaryValues, String(after.spend), customer])
        } else {
            for index in [keys.recencyValues, keys.frequencyValues, keys.monetaryValues] {
                transaction.queue(["ZREM", index, customer])
            }
        }
    }

    private func publish(
        _ outcome: ProfileOutcome, cause: ChangeCause, keys: ClassificationKeys, at now: Timestamp, in transaction: StateTransaction
    ) throws {
        let stream = Keyspace.stream("customers", keys.partition)
        let customer = outcome.profile.customer
        func emit<E: DomainEvent>(_ event: E, _ name: String) throws {
            let envelope = try cause.parent.derive(
                event, suffix: cause.suffixPrefix + name, customer: customer, occurred: now, recorded: now,
                source: ClassificationKeys.service)
            transaction.emit(envelope, to: stream)
        }
        if let move = outcome.tierMove {
            try emit(TierChanged(previous: move.previous, current: move.current, reason: move.reason, changedAt: now), "tier")
        }
        if let move = outcome.segmentMove {
            let rfm = outcome.profile.rfm
            try emit(
                SegmentChanged(
                    previous: move.previous?.rawValue, current: move.current?.rawValue, recency: rfm?.recency,
                    frequency: rfm?.frequency, monetary: rfm?.monetary, changedAt: now),
                "segment")
        }
        switch outcome.churnAlert {
        case .raised(let score):
            try emit(ChurnRiskRaised(score: score, threshold: settings.churnThreshold, raisedAt: now), "churn")
        case .cleared(let score):
            try emit(ChurnRiskCleared(score: score, threshold: settings.churnThreshold, clearedAt: now), "churn")
        case nil:
            break
        }
    }
}
