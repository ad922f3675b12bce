import ServiceSupport

/// Intake's settings from the `intake` section of the rules file, each with a built-in default.
///
/// ```yaml
/// intake:
///   dedupe_retention_hours: 72     # how long a delivery id is remembered (Shopify retries for 4 h)
///   max_body_bytes: 1048576        # larger bodies are refused with 413 before they are read
///   order_index_days: 400          # how long an order's customer is remembered, for its refunds
///   rate_limit:
///     per_second: 200              # sustained deliveries per source and replica
///     burst: 400                   # deliveries a source may send at once
/// ```
struct IntakeConfiguration: Sendable {
    /// How long a delivery's dedupe key is kept: a redelivery within it adds nothing.
    var dedupeRetention: Duration = .seconds(72 * 3600)
    var maxBodyBytes: Int = 1_048_576
    /// How long intake remembers which customer an order belongs to, so a refund or a deletion
    /// that names only the order reaches the customer's partition.
    var orderIndexRetention: Duration = .seconds(400 * 86400)
    var ratePerSecond: Int = 200
    var burst: Int = 400

    init() {}

    init(rules: RulesFile) throws {
        let section = rules["intake"]
        try section.requireKnownKeys(["dedupe_retention_hours", "max_body_bytes", "order_index_days", "rate_limit"])
        try section["rate_limit"].requireKnownKeys(["per_second", "burst"])
        dedupeRetention = try section["dedupe_retention_hours"].durationHours(default: dedupeRetention)
        guard dedupeRetention >= .seconds(3600) else {
            throw section["dedupe_retention_hours"].invalid(
                "must be at least 1 hour: platforms retry for hours and a shorter memory lets retries through")
        }
        maxBodyBytes = try section["max_body_bytes"].int(default: maxBodyBytes, in: 1024...(64 * 1_048_576))
        orderIndexRetention = try section["order_index_days"].durationDays(default: orderIndexRetention)
        ratePerSecond = try section["rate_limit"]["per_second"].int(default: ratePerSecond, in: 1...1_000_000)
        burst = try section["rate_limit"]["burst"].int(default: max(burst, ratePerSecond), in: 1...10_000_000)
    }
}
