import Model

/// A channel a message can go through.
enum ChannelKind: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case sms
    /// The shop's own systems, through a signed outbound webhook.
    case webhook
}

/// Service messages (a complaint reply) go whatever the marketing consent; marketing messages
/// (a birthday coupon) need it.
enum MessageCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case service
    case marketing
}

/// What notifications keeps of one customer: its own copy of the contact details from `intake`
/// with the personal fields still sealed under the customer's data key, the preferences set
/// through the API, and the care calendar's position.
struct ContactEntry: Codable, Sendable, Hashable {
    var customer: String
    /// Field name (`email`, `phone`, `first_name`, `birthday`, ...) to sealed value.
    var personal: [String: String] = [:]
    var language: String?
    var timeZone: String?
    var consent = ChannelConsent()
    /// Channel -> category -> allowed, as set through `PUT /v1/customers/{id}/preferences` or an
    /// unsubscribe link; absent entries fall back to the platform's consent.
    var preferences: [String: [String: Bool]] = [:]
    var tier: String?
    var createdAt: Timestamp?
    /// The platform's last change time; an older update never overwrites a newer one.
    var updatedAt: Timestamp?
    var lastVisit: Timestamp?
    var nextVisit: Timestamp?

    /// Whether `category` messages may go to the customer on `channel`.
    func allows(_ category: MessageCategory, on channel: ChannelKind) -> Bool {
        if let chosen = preferences[channel.rawValue]?[category.rawValue] { return chosen }
        switch (category, channel) {
        case (.service, _): return true
        case (.marketing, .email): return consent.emailMarketing ?? false
        case (.marketing, .sms): return consent.smsMarketing ?? false
        // The shop's own systems are not a third party; they get marketing events unless refused.
        case (.marketing, .webhook): return true
        }
    }

    /// Whether the customer can be reached on `channel` at all.
    func reachable(on channel: ChannelKind) -> Bool {
        switch channel {
        case .email: return personal["email"] != nil
        case .sms: return personal["phone"] != nil
        case .webhook: return true
        }
    }

    /// `zh-CN` or `en`, the two languages templates exist in.
    func templateLanguage() -> String {
        guard let language = language?.lowercased() else { return "zh-CN" }
        return language.hasPrefix("zh") ? "zh-CN" : "en"
    }
}
