// The output of `rapport-complaints` on the `complaints` stream, read by notifications (to tell
// the customer and the new owner), classification and loyalty. Every event names the case by
// `complaintID` (the case id, `<source>:<complaint id>`) and carries its priority and category,
// so a consumer can route it without keeping its own copy of the case. None carries personal
// data: the complaint text stays sealed in the complaints service.

/// Priority of a complaint case: urgent cases run on the shorter deadlines.
public enum ComplaintPriority: String, Sendable, Hashable, Codable, CaseIterable {
    case urgent, normal
}

/// The three deadlines a case runs against.
public enum ComplaintDeadline: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first reply to the customer.
    case firstReply = "first_reply"
    /// The next update while the case is open.
    case update
    /// The resolution.
    case resolution
}

/// A case was opened (`complaint.opened`), from intake or by an agent.
public struct ComplaintOpened: DomainEvent, Hashable {
    public static let eventType = "complaint.opened"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var channel: ComplaintChannel?
    public var orderID: String?
    /// The customer's tier is one of the configured high tiers.
    public var priorityHandling: Bool?

    public init(
        complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp,
        channel: ComplaintChannel? = nil, orderID: String? = nil, priorityHandling: Bool? = nil
    ) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.channel = channel
        self.orderID = orderID
        self.priorityHandling = priorityHandling
    }
}

/// The customer got the first reply (`complaint.acknowledged`).
public struct ComplaintAcknowledged: DomainEvent, Hashable {
    public static let eventType = "complaint.acknowledged"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
    }
}

/// The case moved up the escalation ladder (`complaint.escalated`); `level` names the new owner
/// level (`team_lead`, `manager`, ...), which notifications tells.
public struct ComplaintEscalated: DomainEvent, Hashable {
    public static let eventType = "complaint.escalated"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var level: String
    /// `urgent` (on arrival), `breach:<deadline>`, or `manual`.
    public var reason: String?

    public init(
        complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp, level: String,
        reason: String? = nil
    ) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.level = level
        self.reason = reason
    }
}

/// A deadline is about to pass: the configured share of its time is used (`complaint.sla_warning`).
public struct ComplaintSLAWarning: DomainEvent, Hashable {
    public static let eventType = "complaint.sla_warning"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var which: ComplaintDeadline

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp, which: ComplaintDeadline) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.which = which
    }
}

/// A deadline passed (`complaint.sla_breached`).
public struct ComplaintSLABreached: DomainEvent, Hashable {
    public static let eventType = "complaint.sla_breached"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var which: ComplaintDeadline

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp, which: ComplaintDeadline) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.which = which
    }
}

/// The case was resolved (`complaint.resolved`); notifications sends the customer the result.
public struct ComplaintResolved: DomainEvent, Hashable {
    public static let eventType = "complaint.resolved"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var rootCause: String?
    /// Kinds of compensation granted: `coupon`, `replacement`, `refund`, `points`.
    public var compensation: [String]?

    public init(
        complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp,
        rootCause: String? = nil, compensation: [String]? = nil
    ) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.rootCause = rootCause
        self.compensation = compensation
    }
}

/// A resolved or closed case was opened again (`complaint.reopened`).
public struct ComplaintReopened: DomainEvent, Hashable {
    public static let eventType = "complaint.reopened"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    /// `low_rating` or `agent`.
    public var reason: String?

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp, reason: String? = nil) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.reason = reason
    }
}

/// The revisit after a resolution is due (`complaint.follow_up_due`): notifications or an agent
/// asks the customer whether the matter is settled.
public struct ComplaintFollowUpDue: DomainEvent, Hashable {
    public static let eventType = "complaint.follow_up_due"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
    }
}

/// The customer rated the handling of the case 1 to 5 (`complaint.rated`).
public struct ComplaintRated: DomainEvent, Hashable {
    public static let eventType = "complaint.rated"
    public static let schemaVersion = 1
    public var complaintID: String
    public var priority: ComplaintPriority
    public var category: String
    public var at: Timestamp
    public var score: Int

    public init(complaintID: String, priority: ComplaintPriority, category: String, at: Timestamp, score: Int) {
        self.complaintID = complaintID
        self.priority = priority
        self.category = category
        self.at = at
        self.score = score
    }
}
