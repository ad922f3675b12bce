/// A complaint case was opened (`complaint.opened`, on the `complaints` stream).
public struct ComplaintOpened: DomainEvent, Hashable {
    public static let eventType = "complaint.opened"
    public static let schemaVersion = 1
    public var complaintID: String
    public var at: Timestamp

    public init(complaintID: String, at: Timestamp) {
        self.complaintID = complaintID
        self.at = at
    }
}

/// A complaint case was escalated (`complaint.escalated`, on the `complaints` stream).
public struct ComplaintEscalated: DomainEvent, Hashable {
    public static let eventType = "complaint.escalated"
    public static let schemaVersion = 1
    public var complaintID: String
    public var at: Timestamp

    public init(complaintID: String, at: Timestamp) {
        self.complaintID = complaintID
        self.at = at
    }
}

/// The customer rated how their complaint was handled (`complaint.rated`, on the `complaints`
/// stream): `score` from 1 (very dissatisfied) to 5 (very satisfied).
public struct ComplaintRated: DomainEvent, Hashable {
    public static let eventType = "complaint.rated"
    public static let schemaVersion = 1
    public var complaintID: String
    public var score: Int
    public var at: Timestamp

    public init(complaintID: String, score: Int, at: Timestamp) {
        self.complaintID = complaintID
        self.score = score
        self.at = at
    }
}

/// A complaint case was resolved (`complaint.resolved`, on the `complaints` stream).
public struct ComplaintResolved: DomainEvent, Hashable {
    public static let eventType = "complaint.resolved"
    public static let schemaVersion = 1
    public var complaintID: String
    public var at: Timestamp

    public init(complaintID: String, at: Timestamp) {
        self.complaintID = complaintID
        self.at = at
    }
}
