/// The kind of customer, which decides which rules apply (REQUIREMENTS.md section 1).
public enum CustomerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case individual
    /// Companies, libraries, schools.
    case enterprise
    /// Wholesale and retail resellers.
    case dealer
}

/// Consent a customer gave per channel, as the platform reported it.
public struct ChannelConsent: Sendable, Hashable, Codable {
    public var emailMarketing: Bool?
    public var smsMarketing: Bool?

    public init(emailMarketing: Bool? = nil, smsMarketing: Bool? = nil) {
        self.emailMarketing = emailMarketing
        self.smsMarketing = smsMarketing
    }
}

/// A customer was created or changed on a platform (`customer.upserted`).
///
/// Personal fields (`email`, `phone`, `first_name`, `last_name`, `address`, `birthday`) travel
/// only sealed, under the customer's data key: `personal` maps the field name to its sealed
/// value, so the stream never holds them in clear and erasure makes old entries unreadable.
public struct CustomerUpserted: DomainEvent, Hashable {
    public static let eventType = "customer.upserted"
    public static let schemaVersion = 1

    /// The platform's own id of the customer.
    public var externalID: String
    public var kind: CustomerKind
    public var personal: [String: String]
    /// BCP 47 language tag, e.g. `zh-CN`, `en`.
    public var language: String?
    /// IANA time zone, e.g. `Asia/Shanghai`.
    public var timeZone: String?
    public var consent: ChannelConsent
    public var tags: [String]
    /// When the platform created the customer.
    public var createdAt: Timestamp?
    /// When the platform last changed it; later updates win over earlier ones whatever the arrival order.
    public var updatedAt: Timestamp

    public init(
        externalID: String, kind: CustomerKind = .individual, personal: [String: String] = [:],
        language: String? = nil, timeZone: String? = nil, consent: ChannelConsent = ChannelConsent(),
        tags: [String] = [], createdAt: Timestamp? = nil, updatedAt: Timestamp
    ) {
        self.externalID = externalID
        self.kind = kind
        self.personal = personal
        self.language = language
        self.timeZone = timeZone
        self.consent = consent
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The platform deleted the customer record (`customer.deleted`); Rapport keeps the history
/// until an erasure is requested.
public struct CustomerDeleted: DomainEvent, Hashable {
    public static let eventType = "customer.deleted"
    public static let schemaVersion = 1
    public var externalID: String
    public var deletedAt: Timestamp

    public init(externalID: String, deletedAt: Timestamp) {
        self.externalID = externalID
        self.deletedAt = deletedAt
    }
}

/// Erase the customer's personal data everywhere (`customer.redacted`): from Shopify's
/// `customers/redact`, or the admin API. Each service deletes its own records.
public struct CustomerRedacted: DomainEvent, Hashable {
    public static let eventType = "customer.redacted"
    public static let schemaVersion = 1
    /// Orders the platform listed with the request, for services that keep per-order records.
    public var orderIDs: [String]
    public var requestedAt: Timestamp

    public init(orderIDs: [String] = [], requestedAt: Timestamp) {
        self.orderIDs = orderIDs
        self.requestedAt = requestedAt
    }
}

/// The customer asked for their data (`customer.data_requested`): each service writes its part
/// of the export.
public struct CustomerDataRequested: DomainEvent, Hashable {
    public static let eventType = "customer.data_requested"
    public static let schemaVersion = 1
    /// The platform's request id, naming the export.
    public var requestID: String
    public var orderIDs: [String]
    public var requestedAt: Timestamp

    public init(requestID: String, orderIDs: [String] = [], requestedAt: Timestamp) {
        self.requestID = requestID
        self.orderIDs = orderIDs
        self.requestedAt = requestedAt
    }
}

/// A whole store uninstalled Rapport and asked for erasure (`shop.redacted`); appended to every
/// partition with the envelope's `customer` empty.
public struct ShopRedacted: DomainEvent, Hashable {
    public static let eventType = "shop.redacted"
    public static let schemaVersion = 1
    public var source: String
    public var store: String
    public var requestedAt: Timestamp

    public init(source: String, store: String, requestedAt: Timestamp) {
        self.source = source
        self.store = store
        self.requestedAt = requestedAt
    }
}
