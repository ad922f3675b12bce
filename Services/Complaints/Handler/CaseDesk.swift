import Model
import ServiceSupport
import Streams

/// The decisions of the complaints service inside one transaction: read the case, apply a
/// ``CaseLifecycle`` rule, write the change with ``CaseWriter``. The consumer handler and the
/// HTTP routes both go through here, so a case changes the same way whoever changes it.
struct CaseDesk: Sendable {
    let policy: CasePolicy
    let keys: CustomerKeys
    let schedule: TimerSchedule

    init(policy: CasePolicy, keys: CustomerKeys, schedule: TimerSchedule) {
        self.policy = policy
        self.keys = keys
        self.schedule = schedule
    }

    var lifecycle: CaseLifecycle { CaseLifecycle(policy: policy) }
    var writer: CaseWriter { CaseWriter(policy: policy, schedule: schedule) }
    var partitioning: Partitioning { keys.partitioning }

    /// How long a data export is kept for the customer to collect.
    static let exportRetention: Duration = .seconds(30 * 86_400)

    // MARK: reading

    func load(_ caseID: String, partition: Partition, in transaction: StateTransaction) throws -> ComplaintCase? {
        guard let text = try transaction.get(CaseKeys.record(partition, caseID)) else { return nil }
        return try CaseCodec.decode(ComplaintCase.self, from: text)
    }

    // MARK: opening

    /// Opens the case of a submission unless it exists already (a resubmission is the same
    /// case). The priority rules read the opened text here and nowhere else; it is never logged.
    /// Returns the case and whether this call created it.
    @discardableResult
    func open(
        _ new: NewCase, requested: ComplaintPriority?, origin: EventOrigin, partition: Partition,
        in transaction: StateTransaction
    ) throws -> (record: ComplaintCase, created: Bool) {
        if let existing = try load(new.caseID, partition: partition, in: transaction) { return (existing, false) }
        let tier = try transaction.get(CaseKeys.tier(partition, new.customer))
        let decision = policy.priority.decide(
            category: new.category, words: try words(of: new, in: transaction), tier: tier, requested: requested)
        let (record, outputs) = lifecycle.open(new, decision: decision, tier: tier, now: transaction.now)
        try writer.save(old: nil, new: record, outputs: outputs, origin: origin, partition: partition, in: transaction)
        writer.audit(
            record, action: "complaint.opened", fields: ["case"] + record.personal.keys.sorted(),
            cause: origin.cause ?? "POST /v1/complaints", actor: new.openedBy, partition: partition, in: transaction)
        return (record, true)
    }

    /// The complaint's text and demand, opened for the keyword rule. A case whose text cannot
    /// be read (erased key, damaged value) is judged without it rather than held back.
    private func words(of new: NewCase, in transaction: StateTransaction) throws -> [String] {
        guard !policy.priority.urgentKeywords.isEmpty else { return [] }
        let sealed = new.personal.filter { $0.key == "text" || $0.key == "demand" }
        guard !sealed.isEmpty else { return [] }
        do {
            return try keys.open(sealed, customer: new.customer, in: transaction).map { Array($0.values) } ?? []
        } catch let error as RedisError {
            throw error
        } catch {
            return []
        }
    }

    // MARK: changes

    /// Applies `action` to the case and writes the change with its events, timers and an audit
    /// record naming `actor`. Returns the case as it is afterwards; nil when there is no such case.
    func change(
        _ caseID: String, partition: Partition, actor: String, auditAction: String, auditFields: [String], cause: String,
        in transaction: StateTransaction,
        _ action: (inout ComplaintCase) throws -> [CaseOutput]
    ) throws -> ComplaintCase? {
        guard let old = try load(caseID, partition: partition, in: transaction) else { return nil }
        var record = old
        let outputs = try action(&record)
        guard record != old else { return record }
        try writer.save(old: old, new: record, outputs: outputs, origin: .api(record), partition: partition, in: transaction)
        writer.audit(record, action: auditAction, fields: auditFields, cause: cause, actor: actor, partition: partition, in: transaction)
        return record
    }

    /// Seals personal text of a case's customer (a reply, a note) for storage.
    func seal(_ fields: [String: String], for record: ComplaintCase, in transaction: StateTransaction) throws -> [String: String]? {
        let present = fields.filter { !$0.value.isEmpty }
        guard !present.isEmpty else { return nil }
        return try keys.seal(present, customer: record.customer, in: transaction)
    }

    /// Remembers the customer's tier for new cases, and flags their open cases for priority
    /// handling when the tier is a high one (or removes the flag when it no longer is).
    func tierChanged(customer: String, tier: String, origin: EventOrigin, partition: Partition, in transaction: StateTransaction) throws {
        transaction.set(CaseKeys.tier(partition, customer), tier)
        let handling = policy.priority.priorityTiers.contains(tier)
        for caseID in try caseIDs(ofCustomer: customer, partition: partition, in: transaction) {
            guard let old = try load(caseID, partition: partition, in: transaction), old.status.isActive,
                  old.priorityHandling != handling || old.tier != tier
            else { continue }
            var record = old
            record.tier = tier
            record.priorityHandling = handling
            record.revision += 1
            try writer.save(old: old, new: record, outputs: [], origin: origin, partition: partition, in: transaction)
        }
    }

    /// A case timer came due: warn, breach and escalate, or announce the follow-up, once.
    func timerFired(_ timer: CaseTimer, envelope: Envelope, partition: Partition, in transaction: StateTransaction) throws {
        guard let old = try load(timer.caseID, partition: partition, in: transaction) else { return }
        var record = old
        let outputs = lifecycle.timerFired(&record, timer, now: transaction.now)
        guard !outputs.isEmpty else { return }
        try writer.save(
            old: old, new: record, outputs: outputs, origin: .entry(envelope, correlation: old.correlation),
            partition: partition, in: transaction)
    }

    // MARK: erasure and data requests

    /// Erases one customer here: the sealed fields of every case (the cases stay for the
    /// reports), the customer's index entries, the remembered tier and the data key.
    func erase(customer: String, cause: String, actor: String, partition: Partition, in transaction: StateTransaction) throws {
        var fields = Set<String>()
        for caseID in try caseIDs(ofCustomer: customer, partition: partition, in: transaction) {
            guard let old = try load(caseID, partition: partition, in: transaction) else { continue }
            var record = old
            fields.formUnion(lifecycle.erase(&record, by: actor, now: transaction.now))
            if record != old {
                try writer.save(
                    old: old, new: record, outputs: [],
                    origin: EventOrigin(idPrefix: "\(cause)/complaints", correlation: old.correlation, cause: cause),
                    partition: partition, in: transaction)
            }
        }
        transaction.delete(CaseKeys.index(partition, .customer(customer)))
        transaction.delete(CaseKeys.tier(partition, customer))
        if let id = try? CustomerID.parse(customer) {
            transaction.queue(["SREM", CaseKeys.storeCustomers(partition, source: id.source, store: id.store), customer])
        }
        keys.erase(customer, in: transaction)
        transaction.audit(
            AuditRecord(
                customer: customer, fields: fields.sorted() + ["tier"], action: "erased", cause: cause, actor: actor,
                service: CaseWriter.source, at: transaction.now),
            partition: partition)
    }

    /// Erases every customer of one store who has cases in this partition.
    func eraseStore(source: String, store: String, cause: String, partition: Partition, in transaction: StateTransaction) throws {
        let key = CaseKeys.storeCustomers(partition, source: source, store: store)
        let members = try transaction.read(["SMEMBERS", key], watching: [key]).array ?? []
        for customer in members.compactMap(\.string).sorted() {
            try erase(customer: customer, cause: cause, actor: CaseWriter.source, partition: partition, in: transaction)
        }
        transaction.delete(key)
    }

    /// Writes this service's part of a customer's data export: their cases as stored, personal
    /// fields still sealed (``CaseRoutes`` opens them for a caller with `pii:read`).
    func export(customer: String, requestID: String, cause: String, partition: Partition, in transaction: StateTransaction) throws {
        var cases: [ComplaintCase] = []
        for caseID in try caseIDs(ofCustomer: customer, partition: partition, in: transaction) {
            if let record = try load(caseID, partition: partition, in: transaction) { cases.append(record) }
        }
        let export = CaseExport(customer: customer, requestID: requestID, generatedAt: transaction.now, cases: cases)
        transaction.set(
            CaseKeys.export(partition, requestID: requestID, customer: customer), try CaseCodec.encode(export),
            expiresAfter: Self.exportRetention)
        transaction.audit(
            AuditRecord(
                customer: customer, fields: ["cases"], action: "data.exported", cause: cause, actor: CaseWriter.source,
                service: CaseWriter.source, at: transaction.now),
            partition: partition)
    }

    /// The customer's case ids, from their index.
    func caseIDs(ofCustomer customer: String, partition: Partition, in transaction: StateTransaction) throws -> [String] {
        let key = CaseKeys.index(partition, .customer(customer))
        let members = try transaction.read(["ZRANGE", key, "0", "-1"], watching: [key]).array ?? []
        return members.compactMap { $0.string.flatMap(CaseIndex.caseID(ofMember:)) }
    }
}

/// A customer's data export from the complaints service.
struct CaseExport: Sendable, Codable {
    var customer: String
    var requestID: String
    var generatedAt: Timestamp
    var cases: [ComplaintCase]
}
