import Model

/// `POST /v1/complaints`: a complaint taken by an agent (phone, e-mail, chat).
struct NewComplaintBody: Decodable, Sendable {
    var customer: String
    /// The caller's id for the complaint; sending it again returns the same case.
    var complaintID: String?
    var channel: ComplaintChannel?
    var category: String
    var text: String
    var demand: String?
    var contact: String?
    var orderID: String?
    /// When the customer complained (ISO 8601 or Unix ms); defaults to now.
    var submittedAt: String?
    /// `urgent` forces the urgent deadlines; `normal` leaves the priority to the rules.
    var priority: ComplaintPriority?

    enum CodingKeys: String, CodingKey {
        case customer, channel, category, text, demand, contact, priority
        case complaintID = "complaint_id"
        case orderID = "order_id"
        case submittedAt = "submitted_at"
    }
}

/// `POST /v1/complaints/{id}/mediation`, which has no body.
struct NoBody: Codable, Sendable {}

/// `POST /v1/complaints/{id}/replies`.
struct ReplyBody: Codable, Sendable {
    var message: String
    /// Wait for the customer after this reply, which pauses the deadlines.
    var awaitingCustomer: Bool?

    enum CodingKeys: String, CodingKey {
        case message
        case awaitingCustomer = "awaiting_customer"
    }
}

/// `POST /v1/complaints/{id}/assignment`.
struct AssignmentBody: Codable, Sendable {
    var assignee: String
}

/// `POST /v1/complaints/{id}/status`.
struct StatusBody: Codable, Sendable {
    var status: String
    var note: String?
}

/// `POST /v1/complaints/{id}/escalations`: to the next level, or to `level`.
struct EscalationBody: Codable, Sendable {
    var level: String?
}

/// `POST /v1/complaints/{id}/resolution`.
struct ResolutionBody: Codable, Sendable {
    struct CompensationBody: Codable, Sendable {
        struct Refund: Codable, Sendable {
            /// Decimal text, `"59.90"`.
            var amount: String
            var currency: String
        }

        var couponCode: String?
        var replacement: Bool?
        var refund: Refund?
        var points: Int64?

        enum CodingKeys: String, CodingKey {
            case replacement, refund, points
            case couponCode = "coupon_code"
        }
    }

    var rootCause: String
    var compensation: CompensationBody?
    /// A message for the customer; stored sealed.
    var note: String?

    enum CodingKeys: String, CodingKey {
        case compensation, note
        case rootCause = "root_cause"
    }
}

/// `POST /v1/complaints/{id}/follow-ups`: the revisit happened.
struct FollowUpBody: Codable, Sendable {
    /// Whether the customer was reached.
    var reached: Bool
    var note: String?
}

/// `POST /v1/complaints/{id}/satisfaction`.
struct SatisfactionBody: Codable, Sendable {
    var score: Int
}
