import Model
import Streams

/// The Redis keys of the complaints service, all in the customer's partition.
enum CaseKeys {
    static let service = "complaints"

    /// One JSON value per case.
    static func record(_ partition: Partition, _ caseID: String) -> String {
        Keyspace.state(service: service, partition, "case", caseID)
    }

    /// An agent's `Idempotency-Key` on a case: the fingerprint of the request it named, kept
    /// for a day so a retried change is answered without being applied twice.
    static func idempotency(_ partition: Partition, caseID: String, actor: String, key: String) -> String {
        Keyspace.state(service: service, partition, "idempotency", "\(caseID):\(actor):\(key)")
    }

    /// The tier the customer last had, from `tier.changed`.
    static func tier(_ partition: Partition, _ customer: String) -> String {
        Keyspace.state(service: service, partition, "tier", customer)
    }

    /// Hash case id -> ``CaseFacts``: what reports read, without personal data.
    static func facts(_ partition: Partition) -> String {
        Keyspace.state(service: service, partition, "facts")
    }

    /// The customers of one store who have cases here, for a shop-wide erasure.
    static func storeCustomers(_ partition: Partition, source: String, store: String) -> String {
        Keyspace.state(service: service, partition, "store", source, store)
    }

    /// This service's part of a customer's data export.
    static func export(_ partition: Partition, requestID: String, customer: String) -> String {
        Keyspace.state(service: service, partition, "export", requestID, customer)
    }

    static func index(_ partition: Partition, _ index: CaseIndex) -> String {
        Keyspace.state(service: service, partition, "index", index.keyPart)
    }
}

/// The sorted-set indexes the case list is read from. Members are ``CaseIndex/member(of:)``
/// (opening time, then case id) with score 0, so a lexicographic range gives newest-first
/// order with a stable tie-break, and a cursor is simply the last member returned.
enum CaseIndex: Sendable, Hashable {
    case all
    case status(CaseStatus)
    case priority(ComplaintPriority)
    case assignee(String)
    case breached
    case customer(String)

    var keyPart: String {
        switch self {
        case .all: "all"
        case .status(let status): "status:\(status.rawValue)"
        case .priority(let priority): "priority:\(priority.rawValue)"
        case .assignee(let name): "assignee:\(name)"
        case .breached: "breached"
        case .customer(let customer): "customer:\(customer)"
        }
    }

    /// The indexes a case belongs to.
    static func memberships(of record: ComplaintCase) -> Set<CaseIndex> {
        var indexes: Set<CaseIndex> = [.all, .status(record.status), .priority(record.priority)]
        if let assignee = record.assignee { indexes.insert(.assignee(assignee)) }
        if record.breached { indexes.insert(.breached) }
        if record.erasedAt == nil { indexes.insert(.customer(record.customer)) }
        return indexes
    }

    /// `<opened at, 15 digits>|<case id>`.
    static func member(of record: ComplaintCase) -> String {
        member(openedAt: record.openedAt, caseID: record.id)
    }

    static func member(openedAt: Timestamp, caseID: String) -> String {
        let digits = String(max(0, openedAt.unixMilliseconds))
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits + "|" + caseID
    }

    /// The case id of a member.
    static func caseID(ofMember member: String) -> String? {
        guard let bar = member.firstIndex(of: "|") else { return nil }
        return String(member[member.index(after: bar)...])
    }
}
