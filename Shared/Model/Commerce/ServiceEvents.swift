/// A customer's tier changed (`tier.changed`, on the `customers` stream).
public struct TierChanged: DomainEvent, Hashable {
    public static let eventType = "tier.changed"
    public static let schemaVersion = 1
    /// nil for a customer's first classification.
    public var previous: String?
    public var current: String
    /// `initial` (a first classification in the base tier), `threshold_crossed`,
    /// `review_downgrade`, `manual_floor`, `floor_expired`, `ladder_changed` (the configured
    /// ladder no longer has the tier the customer held).
    public var reason: String
    public var changedAt: Timestamp

    public init(previous: String?, current: String, reason: String, changedAt: Timestamp) {
        self.previous = previous
        self.current = current
        self.reason = reason
        self.changedAt = changedAt
    }
}

/// Compensation in points granted when a complaint was resolved (`complaint.compensated`, on
/// the `complaints` stream); loyalty credits it once.
public struct ComplaintCompensated: DomainEvent, Hashable {
    public static let eventType = "complaint.compensated"
    public static let schemaVersion = 1
    public var complaintID: String
    public var points: Int64
    public var grantedAt: Timestamp

    public init(complaintID: String, points: Int64, grantedAt: Timestamp) {
        self.complaintID = complaintID
        self.points = points
        self.grantedAt = grantedAt
    }
}
