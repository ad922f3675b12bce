/// A customer's RFM segment changed (`segment.changed`, on the `customers` stream).
///
/// Segments: `champions`, `loyal`, `potential`, `new`, `at_risk`, `cant_lose`, `hibernating`,
/// `lost`; nil when the customer has no purchase to score.
public struct SegmentChanged: DomainEvent, Hashable {
    public static let eventType = "segment.changed"
    public static let schemaVersion = 1
    public var previous: String?
    public var current: String?
    /// The scores behind `current`, 1-5 each; nil when not scored.
    public var recency: Int?
    public var frequency: Int?
    public var monetary: Int?
    public var changedAt: Timestamp

    public init(
        previous: String?, current: String?, recency: Int?, frequency: Int?, monetary: Int?, changedAt: Timestamp
    ) {
        self.previous = previous
        self.current = current
        self.recency = recency
        self.frequency = frequency
        self.monetary = monetary
        self.changedAt = changedAt
    }
}

/// A customer's churn risk reached the configured threshold (`churn.risk_raised`, on the
/// `customers` stream). Raised once per crossing, not on every evaluation.
public struct ChurnRiskRaised: DomainEvent, Hashable {
    public static let eventType = "churn.risk_raised"
    public static let schemaVersion = 1
    /// 0-100.
    public var score: Int
    public var threshold: Int
    public var raisedAt: Timestamp

    public init(score: Int, threshold: Int, raisedAt: Timestamp) {
        self.score = score
        self.threshold = threshold
        self.raisedAt = raisedAt
    }
}

/// A customer's churn risk fell back under the threshold after a `churn.risk_raised`
/// (`churn.risk_cleared`, on the `customers` stream).
public struct ChurnRiskCleared: DomainEvent, Hashable {
    public static let eventType = "churn.risk_cleared"
    public static let schemaVersion = 1
    public var score: Int
    public var threshold: Int
    public var clearedAt: Timestamp

    public init(score: Int, threshold: Int, clearedAt: Timestamp) {
        self.score = score
        self.threshold = threshold
        self.clearedAt = clearedAt
    }
}
