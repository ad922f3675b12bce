import Foundation
import Model
import ServiceSupport
import Streams

/// Where loyalty keeps its state in Redis and how a decision is committed there. Every key of
/// a customer lives in the customer's partition, so one commit touches one partition:
///
/// - `rapport:{p}:loyalty:ledger:<customer>`: the customer's ``PointsLedger`` as JSON
/// - `rapport:{p}:loyalty:store:<source>:<store>`: set of the store's customers with a ledger,
///   to find them when the whole shop is erased
/// - `rapport:{p}:loyalty:export:<request>:<customer>`: a data export, kept 7 days
/// - `rapport:{p}:loyalty:outbox`: referral credits waiting for ``ReferralRelay``
/// - timers in `rapport:{p}:timers:loyalty`, output events on `rapport:{p}:stream:loyalty`
struct LedgerStore: Sendable {
    static let service = ServiceName.loyalty
    static let exportRetention: Duration = .seconds(7 * 86_400)

    let partitioning: Partitioning
    let schedule = TimerSchedule(service: "loyalty")

    static func ledgerKey(_ customer: String, _ partition: Partition) -> String {
        Keyspace.state(service: "loyalty", partition, "ledger", customer)
    }

    static func storeKey(source: String, store: String, _ partition: Partition) -> String {
        Keyspace.state(service: "loyalty", partition, "store", source, store)
    }

    static func exportKey(request: String, customer: String, _ partition: Partition) -> String {
        Keyspace.state(service: "loyalty", partition, "export", request, customer)
    }

    static func outboxKey(_ partition: Partition) -> String {
        Keyspace.state(service: "loyalty", partition, "outbox")
    }

    func partition(of customer: String) -> Partition {
        partitioning.partition(ofCustomer: customer)
    }

    func load(_ customer: String, in transaction: StateTransaction) throws -> PointsLedger? {
        guard let text = try transaction.get(Self.ledgerKey(customer, partition(of: customer))) else { return nil }
        return try JSONDocumentDecoder().decode(PointsLedger.self, from: text)
    }

    /// Queues a decision: the ledger, its output events, timers, referral messages and the
    /// audit record. A decision that changed nothing writes nothing.
    func commit(
        _ decision: LedgerDecision, previous: PointsLedger?, origin: Origin, in transaction: StateTransaction
    ) throws {
        let customer = decision.ledger.customer
        let before = previous ?? PointsLedger(customer: customer)
        guard decision.ledger != before else { return }
        let partition = partition(of: customer)
        let now = transaction.now
        transaction.set(Self.ledgerKey(customer, partition), try Self.encode(decision.ledger))
        if previous == nil, let id = try? CustomerID.parse(customer) {
            transaction.queue(["SADD", Self.storeKey(source: id.source, store: id.store, partition), customer])
        }
        for output in decision.outputs {
            let envelope = try origin.envelope(output.event, suffix: output.suffix, customer: customer, now: now)
            transaction.emit(envelope, to: Keyspace.stream("loyalty", partition))
        }
        for change in decision.timers {
            switch change {
            case .schedule(let timer, let id):
                let envelope = try Envelope.make(
                    timer, id: "loyalty-timer:\(id):\(timer.due.unixMilliseconds)", customer: customer,
                    occurred: now, recorded: now, source: "loyalty", correlation: origin.correlation, cause: origin.id)
                try schedule.schedule(envelope, timerID: id, at: timer.due, partition: partition, in: transaction)
            case .cancel(let id):
                schedule.cancel(timerID: id, partition: partition, in: transaction)
            }
        }
        for relay in decision.relays {
            let envelope = try origin.envelope(relay.credit, suffix: relay.suffix, customer: relay.customer, now: now)
            transaction.append(to: Self.outboxKey(partition), fields: envelope.fields)
        }
        let fields = decision.ledger.changedFields(since: before)
        if !fields.isEmpty {
            transaction.audit(
                AuditRecord(
                    customer: customer, fields: fields, action: origin.action, cause: origin.id,
                    actor: origin.actor, service: Self.service.rawValue, at: now),
                partition: partition)
        }
    }

    /// Deletes the customer's ledger, exports and timers (erasure). Returns false when there
    /// was nothing to erase.
    @discardableResult
    func erase(_ customer: String, origin: Origin, in transaction: StateTransaction) throws -> Bool {
        guard let ledger = try load(customer, in: transaction) else { return false }
        let partition = partition(of: customer)
        transaction.delete(Self.ledgerKey(customer, partition))
        for request in ledger.exports.keys {
            transaction.delete(Self.exportKey(request: request, customer: customer, partition))
        }
        for id in ledger.timers.keys {
            schedule.cancel(timerID: id, partition: partition, in: transaction)
        }
        if let id = try? CustomerID.parse(customer) {
            transaction.queue(["SREM", Self.storeKey(source: id.source, store: id.store, partition), customer])
        }
        transaction.audit(
            AuditRecord(
                customer: customer, fields: ["ledger"], action: "erased", cause: origin.id,
                actor: origin.actor, service: Self.service.rawValue, at: transaction.now),
            partition: partition)
        return true
    }

    /// Erases every customer of a store that has a ledger in `partition` (`shop.redacted`).
    func eraseStore(source: String, store: String, partition: Partition, origin: Origin, in transaction: StateTransaction) throws {
        let key = Self.storeKey(source: source, store: store, partition)
        let members = try transaction.read(["SMEMBERS", key], watching: [key]).array?.compactMap(\.string) ?? []
        for customer in members.sorted() {
            var customerOrigin = origin
            customerOrigin.customer = customer
            try erase(customer, origin: customerOrigin, in: transaction)
        }
        transaction.delete(key)
    }

    static func encode(_ ledger: PointsLedger) throws -> String {
        try SortedJSONEncoder().encodeText(ledger)
    }
}

extension PointsLedger {
    /// The parts of the ledger that differ from `other`, named for the audit trail. Timers are
    /// bookkeeping, not customer data, and are left out.
    func changedFields(since other: PointsLedger) -> [String] {
        var fields: [String] = []
        if entries != other.entries { fields.append("entries") }
        if orders != other.orders { fields.append("orders") }
        if tier != other.tier { fields.append("tier") }
        if birthday != other.birthday { fields.append("birthday") }
        if referral != other.referral || referralsCredited != other.referralsCredited { fields.append("referral") }
        if requests != other.requests { fields.append("requests") }
        if exports != other.exports { fields.append("exports") }
        return fields
    }
}
