import Model

/// The daily recompute of one partition fell due (`classification.daily_recompute`, a timer).
struct DailyRecompute: DomainEvent, Hashable {
    static let eventType = "classification.daily_recompute"
    static let schemaVersion = 1
    var due: Timestamp
}

/// The periodic tier review of one partition fell due (`classification.tier_review`, a timer).
struct TierReview: DomainEvent, Hashable {
    static let eventType = "classification.tier_review"
    static let schemaVersion = 1
    var due: Timestamp
}

/// A slice of a partition job: the customers to evaluate (`classification.evaluation_batch`),
/// appended by the job to classification's own timer stream so that each commit stays small.
struct EvaluationBatch: DomainEvent, Hashable {
    static let eventType = "classification.evaluation_batch"
    static let schemaVersion = 1

    enum Purpose: String, Codable, Sendable {
        case recompute, review
    }

    var purpose: Purpose
    var customers: [String]
}

/// A customer's tier floor expires (`classification.floor_expiry`, a timer).
struct FloorExpiry: DomainEvent, Hashable {
    static let eventType = "classification.floor_expiry"
    static let schemaVersion = 1
    var expiresAt: Timestamp
}

/// When a partition's recurring jobs are next due.
struct PartitionSchedule: Sendable, Hashable, Codable {
    var recompute: Timestamp
    var review: Timestamp
}
