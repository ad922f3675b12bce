import Model

/// A complaint case as stored: one JSON value per case in the customer's partition.
///
/// Personal fields (`text`, `demand`, `contact`, reply messages, notes) are kept only sealed under
/// the customer's data key; erasure deletes them and keeps the rest, so reports still count the
/// case. Everything else here is about the handling, not the person.
struct ComplaintCase: Sendable, Hashable, Codable {
    /// `<source>:<complaint id>`: the same submission always makes the same case.
    var id: String
    var customer: String
    /// Where the submission came from (intake's source, or `agent`).
    var source: String
    var complaintID: String
    var channel: ComplaintChannel
    var category: String
    var orderID: String?
    /// Sealed `text`, `demand`, `contact`; empty after erasure.
    var personal: [String: String]
    /// When the customer complained; the deadlines count from here.
    var submittedAt: Timestamp
    /// When the case was recorded.
    var openedAt: Timestamp
    var openedBy: String
    /// Correlation id of the submission, carried into every event about the case.
    var correlation: String
    var priority: ComplaintPriority
    /// `category`, `keyword`, `tier`, `agent`: why the case is urgent.
    var priorityReasons: [String]
    var priorityHandling: Bool
    var tier: String?
    var status: CaseStatus
    var assignee: String?
    /// Index into the policy's escalation ladder.
    var level: Int
    var clocks: CaseClocks
    var firstReplyAt: Timestamp?
    var lastReplyAt: Timestamp?
    /// The first resolution, for the time-to-resolution figures.
    var firstResolvedAt: Timestamp?
    var resolvedAt: Timestamp?
    var closedAt: Timestamp?
    var resolution: Resolution?
    var followUp: FollowUp?
    var ratings: [Rating]
    /// Deadlines that were breached, in order; any breach flags the case.
    var breaches: [ComplaintDeadline]
    var erasedAt: Timestamp?
    /// Counts accepted changes; names the events of each change.
    var revision: Int
    var timeline: [TimelineEntry]

    var breached: Bool { !breaches.isEmpty }

    /// The latest rating.
    var rating: Rating? { ratings.last }

    /// The case id of a submission.
    static func caseID(source: String, complaintID: String) -> String {
        "\(source):\(complaintID)"
    }
}

/// The three deadline clocks of a case; absent until first started.
struct CaseClocks: Sendable, Hashable, Codable {
    var firstReply: SLAClock?
    var update: SLAClock?
    var resolution: SLAClock?

    subscript(deadline: ComplaintDeadline) -> SLAClock? {
        get {
            switch deadline {
            case .firstReply: firstReply
            case .update: update
            case .resolution: resolution
            }
        }
        set {
            switch deadline {
            case .firstReply: firstReply = newValue
            case .update: update = newValue
            case .resolution: resolution = newValue
            }
        }
    }
}

/// How a case was settled.
struct Resolution: Sendable, Hashable, Codable {
    var rootCause: String
    var compensation: Compensation
    /// Sealed `note` for the customer, if any.
    var sealed: [String: String]
    var by: String
    var at: Timestamp
}

/// What the customer got. Money in minor units, points as whole points.
struct Compensation: Sendable, Hashable, Codable {
    var couponCode: String?
    var replacement: Bool
    var refund: Money?
    var points: Int64?

    static let none = Compensation(couponCode: nil, replacement: false, refund: nil, points: nil)

    /// `coupon`, `replacement`, `refund`, `points`, in that order, for events and reports.
    var kinds: [String] {
        var kinds: [String] = []
        if couponCode != nil { kinds.append("coupon") }
        if replacement { kinds.append("replacement") }
        if refund != nil { kinds.append("refund") }
        if points != nil { kinds.append("points") }
        return kinds
    }
}

/// The revisit after a resolution.
struct FollowUp: Sendable, Hashable, Codable {
    /// When the revisit is due (resolution time plus the configured delay).
    var dueAt: Timestamp
    /// When `complaint.follow_up_due` went out.
    var announcedAt: Timestamp?
    var doneAt: Timestamp?
    var doneBy: String?
    var reached: Bool?
    /// Sealed `note`.
    var sealed: [String: String]
}

struct Rating: Sendable, Hashable, Codable {
    var score: Int
    var at: Timestamp
    var by: String
}

/// One step in the case's history: what happened, when and by whom.
struct TimelineEntry: Sendable, Hashable, Codable {
    var at: Timestamp
    /// `opened`, `replied`, `status`, `assigned`, `escalated`, `sla_warning`, `sla_breached`,
    /// `resolved`, `follow_up_due`, `followed_up`, `rated`, `reopened`, `closed`, `erased`.
    var action: String
    /// The token name of the agent, or `system` for the service's own steps.
    var actor: String
    var from: CaseStatus?
    var to: CaseStatus?
    /// Non-personal details: a level, a deadline, a score, an assignee.
    var detail: String?
    /// Sealed `message` or `note`; removed by erasure.
    var sealed: [String: String]?
}
