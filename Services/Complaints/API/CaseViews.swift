import Model

/// A case in a list: what an agent scans, without personal data.
struct CaseSummaryView: Encodable, Sendable {
    var id: String
    var customer: String
    var status: String
    var priority: String
    var priorityHandling: Bool
    var category: String
    var channel: String
    var assignee: String?
    var level: String
    var openedAt: String
    var breached: Bool
    /// The earliest instant a running deadline is due.
    var nextDueAt: String?

    enum CodingKeys: String, CodingKey {
        case id, customer, status, priority, category, channel, assignee, level, breached
        case priorityHandling = "priority_handling"
        case openedAt = "opened_at"
        case nextDueAt = "next_due_at"
    }

    init(_ record: ComplaintCase, policy: CasePolicy) {
        id = record.id
        customer = record.customer
        status = record.status.rawValue
        priority = record.priority.rawValue
        priorityHandling = record.priorityHandling
        category = record.category
        channel = record.channel.rawValue
        assignee = record.assignee
        level = policy.levelName(record.level)
        openedAt = record.openedAt.description
        breached = record.breached
        nextDueAt = ComplaintDeadline.allCases
            .compactMap { record.clocks[$0]?.due(calendar: policy.sla.calendar) }
            .min()?.description
    }
}

/// `GET /v1/complaints`.
struct CaseListView: Encodable, Sendable {
    var items: [CaseSummaryView]
    /// Pass as `cursor` for the next page; absent on the last page.
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

/// A case with its deadlines and timeline. Personal fields appear opened only for a caller
/// with `pii:read`; otherwise only their names are listed.
struct CaseDetailView: Encodable, Sendable {
    struct Clock: Encodable, Sendable {
        var deadline: String
        /// `running`, `paused` or `stopped`.
        var state: String
        var targetMinutes: Int64
        var usedMinutes: Int64
        var dueAt: String?
        var warnedAt: String?
        var breachedAt: String?

        enum CodingKeys: String, CodingKey {
            case deadline, state
            case targetMinutes = "target_minutes"
            case usedMinutes = "used_minutes"
            case dueAt = "due_at"
            case warnedAt = "warned_at"
            case breachedAt = "breached_at"
        }
    }

    struct Step: Encodable, Sendable {
        var at: String
        var action: String
        var actor: String
        var from: String?
        var to: String?
        var detail: String?
        /// The reply or note, opened; only with `pii:read`.
        var text: String?
    }

    struct ResolutionView: Encodable, Sendable {
        struct RefundView: Encodable, Sendable {
            var amount: String
            var currency: String
        }

        var rootCause: String
        var couponCode: String?
        var replacement: Bool
        var refund: RefundView?
        var points: Int64?
        var note: String?
        var by: String
        var at: String

        enum CodingKeys: String, CodingKey {
            case replacement, refund, points, note, by, at
            case rootCause = "root_cause"
            case couponCode = "coupon_code"
        }
    }

    struct FollowUpView: Encodable, Sendable {
        var dueAt: String
        var announcedAt: String?
        var doneAt: String?
        var doneBy: String?
        var reached: Bool?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case reached, note
            case dueAt = "due_at"
            case announcedAt = "announced_at"
            case doneAt = "done_at"
            case doneBy = "done_by"
        }
    }

    struct RatingView: Encodable, Sendable {
        var score: Int
        var at: String
        var by: String
    }

    var summary: CaseSummaryView
    var complaintID: String
    var source: String
    var orderID: String?
    var submittedAt: String
    var openedBy: String
    var priorityReasons: [String]
    var tier: String?
    var personal: [String: String]?
    var personalFields: [String]
    var erasedAt: String?
    var firstReplyAt: String?
    var resolvedAt: String?
    var closedAt: String?
    var sla: [Clock]
    var resolution: ResolutionView?
    var followUp: FollowUpView?
    var ratings: [RatingView]
    var timeline: [Step]

    enum CodingKeys: String, CodingKey {
        case source, tier, personal, sla, resolution, ratings, timeline
        case complaintID = "complaint_id"
        case orderID = "order_id"
        case submittedAt = "submitted_at"
        case openedBy = "opened_by"
        case priorityReasons = "priority_reasons"
        case personalFields = "personal_fields"
        case erasedAt = "erased_at"
        case firstReplyAt = "first_reply_at"
        case resolvedAt = "resolved_at"
        case closedAt = "closed_at"
        case followUp = "follow_up"
    }

    /// The summary's fields sit at the top level beside the detail's.
    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(complaintID, forKey: .complaintID)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(orderID, forKey: .orderID)
        try container.encode(submittedAt, forKey: .submittedAt)
        try container.encode(openedBy, forKey: .openedBy)
        try container.encode(priorityReasons, forKey: .priorityReasons)
        try container.encodeIfPresent(tier, forKey: .tier)
        try container.encodeIfPresent(personal, forKey: .personal)
        try container.encode(personalFields, forKey: .personalFields)
        try container.encodeIfPresent(erasedAt, forKey: .erasedAt)
        try container.encodeIfPresent(firstReplyAt, forKey: .firstReplyAt)
        try container.encodeIfPresent(resolvedAt, forKey: .resolvedAt)
        try container.encodeIfPresent(closedAt, forKey: .closedAt)
        try container.encode(sla, forKey: .sla)
        try container.encodeIfPresent(resolution, forKey: .resolution)
        try container.encodeIfPresent(followUp, forKey: .followUp)
        try container.encode(ratings, forKey: .ratings)
        try container.encode(timeline, forKey: .timeline)
    }

    /// - Parameter open: opens one sealed map; nil when the caller may not see personal data or
    ///   the customer was erased.
    init(_ record: ComplaintCase, policy: CasePolicy, now: Timestamp, open: ([String: String]) throws -> [String: String]?) rethrows {
        let calendar = policy.sla.calendar
        summary = CaseSummaryView(record, policy: policy)
        complaintID = record.complaintID
        source = record.source
        orderID = record.orderID
        submittedAt = record.submittedAt.description
        openedBy = record.openedBy
        priorityReasons = record.priorityReasons
        tier = record.tier
        personalFields = record.personal.keys.sorted()
        personal = record.personal.isEmpty ? nil : try open(record.personal)
        erasedAt = record.erasedAt?.description
        firstReplyAt = record.firstReplyAt?.description
        resolvedAt = record.resolvedAt?.description
        closedAt = record.closedAt?.description
        sla = ComplaintDeadline.allCases.compactMap { deadline in
            guard let clock = record.clocks[deadline] else { return nil }
            let state = clock.isRunning ? "running" : (clock.isPaused ? "paused" : "stopped")
            return Clock(
                deadline: deadline.rawValue, state: state, targetMinutes: clock.target / 60_000,
                usedMinutes: clock.elapsed(at: now, calendar: calendar) / 60_000,
                dueAt: clock.due(calendar: calendar)?.description, warnedAt: clock.warnedAt?.description,
                breachedAt: clock.breachedAt?.description)
        }
        if let resolution = record.resolution {
            let compensation = resolution.compensation
            self.resolution = ResolutionView(
                rootCause: resolution.rootCause, couponCode: compensation.couponCode, replacement: compensation.replacement,
                refund: compensation.refund.map { .init(amount: $0.decimalString, currency: $0.currency.description) },
                points: compensation.points,
                note: resolution.sealed.isEmpty ? nil : try open(resolution.sealed)?["note"],
                by: resolution.by, at: resolution.at.description)
        }
        if let followUp = record.followUp {
            self.followUp = FollowUpView(
                dueAt: followUp.dueAt.description, announcedAt: followUp.announcedAt?.description,
                doneAt: followUp.doneAt?.description, doneBy: followUp.doneBy, reached: followUp.reached,
                note: followUp.sealed.isEmpty ? nil : try open(followUp.sealed)?["note"])
        }
        ratings = record.ratings.map { RatingView(score: $0.score, at: $0.at.description, by: $0.by) }
        var steps: [Step] = []
        for entry in record.timeline {
            let opened = try entry.sealed.flatMap { try open($0) }
            steps.append(Step(
                at: entry.at.description, action: entry.action, actor: entry.actor, from: entry.from?.rawValue,
                to: entry.to?.rawValue, detail: entry.detail, text: opened?["message"] ?? opened?["note"]))
        }
        timeline = steps
    }
}
