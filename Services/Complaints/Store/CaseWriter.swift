import Foundation
import Model
import Streams

/// Where the events of one change come from: their id prefix, correlation and cause.
struct EventOrigin: Sendable, Hashable {
    /// Ids of the change's events are `<idPrefix>/<n>`: deterministic, so a re-run of the same
    /// decision writes the same ids.
    var idPrefix: String
    var correlation: String
    /// The event that caused the change; nil for an API call.
    var cause: String?

    /// Events caused by a consumed entry.
    static func entry(_ envelope: Envelope, correlation: String? = nil) -> EventOrigin {
        EventOrigin(idPrefix: "\(envelope.id)/complaints", correlation: correlation ?? envelope.correlation, cause: envelope.id)
    }

    /// Events of an API call: the case id and its new revision name the change.
    static func api(_ record: ComplaintCase) -> EventOrigin {
        EventOrigin(idPrefix: "\(record.id)@\(record.revision)", correlation: record.correlation, cause: nil)
    }
}

/// Writes one change of a case into a transaction: the case value, its index and report
/// entries, the output events, the timer changes and the audit record, all in one commit.
struct CaseWriter: Sendable {
    let policy: CasePolicy
    let schedule: TimerSchedule

    static let source = "complaints"

    func save(
        old: ComplaintCase?, new record: ComplaintCase, outputs: [CaseOutput], origin: EventOrigin,
        partition: Partition, in transaction: StateTransaction
    ) throws {
        transaction.set(CaseKeys.record(partition, record.id), try CaseCodec.encode(record))
        updateIndexes(old: old, new: record, partition: partition, in: transaction)
        if old.map(CaseFacts.init) != CaseFacts(record) {
            transaction.queue(["HSET", CaseKeys.facts(partition), record.id, try CaseCodec.encode(CaseFacts(record))])
        }
        for (number, output) in outputs.enumerated() {
            let envelope = try Self.envelope(output, of: record, id: "\(origin.idPrefix)/\(number + 1)", origin: origin, recorded: transaction.now)
            transaction.emit(envelope, to: Keyspace.stream("complaints", partition))
        }
        for plan in CaseTimers.plans(from: old, to: record, policy: policy) {
            switch plan {
            case .schedule(let slot, let want):
                let timer = CaseTimer(caseID: record.id, slotName: slot.name, cycle: want.cycle, due: want.due)
                let envelope = try Envelope.make(
                    timer, id: "\(record.id)/timer/\(slot.name)/\(want.cycle)/\(want.due.unixMilliseconds)",
                    customer: record.customer, occurred: want.due, recorded: transaction.now, source: Self.source,
                    correlation: record.correlation, cause: origin.cause)
                try schedule.schedule(envelope, timerID: CaseTimers.timerID(caseID: record.id, slot), at: want.due, partition: partition, in: transaction)
            case .cancel(let slot):
                schedule.cancel(timerID: CaseTimers.timerID(caseID: record.id, slot), partition: partition, in: transaction)
            }
        }
    }

    /// Appends an audit record for a change made by `actor` (a token name or the service).
    func audit(
        _ record: ComplaintCase, action: String, fields: [String], cause: String, actor: String,
        partition: Partition, in transaction: StateTransaction
    ) {
        transaction.audit(
            AuditRecord(
                customer: record.customer, fields: fields, action: action, cause: cause, actor: actor,
                service: Self.source, at: transaction.now),
            partition: partition)
    }

    private func updateIndexes(old: ComplaintCase?, new record: ComplaintCase, partition: Partition, in transaction: StateTransaction) {
        let before = old.map(CaseIndex.memberships) ?? []
        let after = CaseIndex.memberships(of: record)
        let member = CaseIndex.member(of: record)
        for index in before.subtracting(after) {
            transaction.queue(["ZREM", CaseKeys.index(partition, index), member])
        }
        for index in after.subtracting(before) {
            transaction.queue(["ZADD", CaseKeys.index(partition, index), "0", member])
        }
        if old == nil, let customer = try? CustomerID.parse(record.customer) {
            transaction.queue(["SADD", CaseKeys.storeCustomers(partition, source: customer.source, store: customer.store), record.customer])
        }
    }

    /// The stream envelope of one output event.
    static func envelope(_ output: CaseOutput, of record: ComplaintCase, id: String, origin: EventOrigin, recorded: Timestamp) throws -> Envelope {
        let (id, customer, correlation, cause) = (id, record.customer, origin.correlation, origin.cause)
        let (caseID, priority, category) = (record.id, record.priority, record.category)
        func make<E: DomainEvent>(_ event: E, at: Timestamp) throws -> Envelope {
            try Envelope.make(
                event, id: id, customer: customer, occurred: at, recorded: recorded, source: source,
                correlation: correlation, cause: cause)
        }
        switch output {
        case .opened(let at):
            return try make(ComplaintOpened(
                complaintID: caseID, priority: priority, category: category, at: at, channel: record.channel,
                orderID: record.orderID, priorityHandling: record.priorityHandling), at: at)
        case .acknowledged(let at):
            return try make(ComplaintAcknowledged(complaintID: caseID, priority: priority, category: category, at: at), at: at)
        case .escalated(let level, let reason, let at):
            return try make(ComplaintEscalated(
                complaintID: caseID, priority: priority, category: category, at: at, level: level, reason: reason), at: at)
        case .slaWarning(let deadline, let at):
            return try make(ComplaintSLAWarning(complaintID: caseID, priority: priority, category: category, at: at, which: deadline), at: at)
        case .slaBreached(let deadline, let at):
            return try make(ComplaintSLABreached(complaintID: caseID, priority: priority, category: category, at: at, which: deadline), at: at)
        case .resolved(let rootCause, let compensation, let at):
            return try make(ComplaintResolved(
                complaintID: caseID, priority: priority, category: category, at: at, rootCause: rootCause,
                compensation: compensation), at: at)
        case .compensated(let points, let at):
            return try make(ComplaintCompensated(complaintID: caseID, points: points, grantedAt: at), at: at)
        case .reopened(let reason, let at):
            return try make(ComplaintReopened(complaintID: caseID, priority: priority, category: category, at: at, reason: reason), at: at)
        case .followUpDue(let at):
            return try make(ComplaintFollowUpDue(complaintID: caseID, priority: priority, category: category, at: at), at: at)
        case .rated(let score, let at):
            return try make(ComplaintRated(complaintID: caseID, priority: priority, category: category, at: at, score: score), at: at)
        }
    }
}

/// The one JSON form of stored case data.
enum CaseCodec {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        try SortedJSONEncoder().encodeText(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDocumentDecoder().decode(type, from: text)
    }
}
