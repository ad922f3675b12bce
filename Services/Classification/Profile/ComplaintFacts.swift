import Model

/// What classification knows about one complaint from the `complaints` stream: enough for the
/// churn score (open, escalated, badly rated), merged as a join like ``OrderFacts``.
struct ComplaintFacts: Sendable, Hashable, Codable {
    var openedAt: Timestamp?
    var escalatedAt: Timestamp?
    var resolvedAt: Timestamp?
    /// The customer's satisfaction score, 1 (worst) to 5, and when they gave it.
    var rating: Int?
    var ratedAt: Timestamp?

    /// Opened (or escalated, which implies opened) and not resolved yet.
    var isOpen: Bool { (openedAt != nil || escalatedAt != nil) && resolvedAt == nil }

    mutating func merge(_ other: ComplaintFacts) {
        openedAt = OrderFacts.earliest(openedAt, other.openedAt)
        escalatedAt = OrderFacts.earliest(escalatedAt, other.escalatedAt)
        resolvedAt = OrderFacts.earliest(resolvedAt, other.resolvedAt)
        if let theirs = other.rating, let theirTime = other.ratedAt {
            // The latest rating counts; equal times keep the lower score whatever the order.
            if let ourTime = ratedAt, let ours = rating,
               (ourTime, -ours) >= (theirTime, -theirs) {
                return
            }
            rating = theirs
            ratedAt = theirTime
        }
    }
}
