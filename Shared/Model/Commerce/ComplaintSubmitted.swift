/// How a complaint reached the business.
public enum ComplaintChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case web, phone, email, chat, agent
}

/// A complaint arrived through intake (`complaint.submitted`): the web form, the call centre
/// API or a forwarded e-mail. The text may hold personal data, so it travels sealed.
public struct ComplaintSubmitted: DomainEvent, Hashable {
    public static let eventType = "complaint.submitted"
    public static let schemaVersion = 1

    /// The submitter's id for the complaint, unique per source, used to dedupe resubmissions.
    public var complaintID: String
    public var channel: ComplaintChannel
    public var category: String
    /// Sealed under the customer's data key: `text`, `demand`, `contact`.
    public var personal: [String: String]
    public var orderID: String?
    /// The submitter marked it urgent; the complaints service still applies its own rules.
    public var urgent: Bool
    public var submittedAt: Timestamp

    public init(
        complaintID: String, channel: ComplaintChannel, category: String, personal: [String: String],
        orderID: String? = nil, urgent: Bool = false, submittedAt: Timestamp
    ) {
        self.complaintID = complaintID
        self.channel = channel
        self.category = category
        self.personal = personal
        self.orderID = orderID
        self.urgent = urgent
        self.submittedAt = submittedAt
    }
}
