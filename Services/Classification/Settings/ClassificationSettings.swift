import Model
import ServiceSupport

/// Classification's business rules, read from the `classification` section of the rules file
/// (every key optional; the defaults are REQUIREMENTS.md section 2).
///
/// ```yaml
/// classification:
///   window_months: 12
///   currency: CNY
///   ladder:                       # highest first; the last rung is the base tier
///     - { name: A, min_spend: "50000.00", min_orders: 24 }
///     - { name: B, min_spend: "10000.00", min_orders: 6 }
///     - { name: C, min_spend: "0", min_orders: 0 }
///   review_interval_days: 30
///   downgrade_grace_days: 30
///   recompute_interval_hours: 24
///   churn_threshold: 70
///   churn_default_rhythm_days: 90
/// ```
struct ClassificationSettings: Sendable, Hashable {
    var policy: TierPolicy
    /// How often a partition's tiers are reviewed (the only time downgrades happen).
    var reviewInterval: Duration
    /// How often RFM quintiles and churn scores are recomputed for a whole partition.
    var recomputeInterval: Duration
    /// A churn score at or above this raises `churn.risk_raised`.
    var churnThreshold: Int
    /// The purchase rhythm assumed for a customer with fewer than two orders.
    var defaultRhythm: Duration

    /// The built-in rules, used when the rules file has no `classification` section.
    static func standard() throws -> ClassificationSettings {
        try load(from: .builtIn)
    }

    private static let knownKeys: Set<String> = [
        "window_months", "currency", "ladder", "review_interval_days", "downgrade_grace_days",
        "recompute_interval_hours", "churn_threshold", "churn_default_rhythm_days",
    ]

    /// Reads the section; a bad value throws a ``ConfigurationError`` naming its key path.
    static func load(from rules: RulesFile) throws -> ClassificationSettings {
        let section = rules["classification"]
        try section.requireKnownKeys(knownKeys)
        let currency = try section["currency"].parse(expected: "an ISO 4217 code like \"CNY\"", default: try CurrencyCode("CNY")) {
            try? CurrencyCode($0)
        }
        let ladder = try loadLadder(section["ladder"], currency: currency)
        return ClassificationSettings(
            policy: TierPolicy(
                ladder: ladder,
                currency: currency,
                windowMonths: try section["window_months"].int(default: 12, in: 1...120),
                downgradeGrace: try positive(section["downgrade_grace_days"].durationDays(default: .days(30)), section["downgrade_grace_days"], allowZero: true)),
            reviewInterval: try positive(section["review_interval_days"].durationDays(default: .days(30)), section["review_interval_days"]),
            recomputeInterval: try positive(section["recompute_interval_hours"].durationHours(default: .days(1)), section["recompute_interval_hours"]),
            churnThreshold: try section["churn_threshold"].int(default: 70, in: 1...100),
            defaultRhythm: try positive(section["churn_default_rhythm_days"].durationDays(default: .days(90)), section["churn_default_rhythm_days"]))
    }

    private static func positive(_ duration: Duration, _ value: RulesValue, allowZero: Bool = false) throws -> Duration {
        if duration < .zero || (!allowZero && duration == .zero) {
            throw value.invalid(allowZero ? "must not be negative" : "must be longer than zero")
        }
        return duration
    }

    private static func loadLadder(_ value: RulesValue, currency: CurrencyCode) throws -> [TierRung] {
        guard value.exists else { return TierPolicy.defaultLadder }
        let items = try value.list()
        guard !items.isEmpty else { throw value.invalid("needs at least one tier; leave the key out for the default A/B/C ladder") }
        var rungs: [TierRung] = []
        var names = Set<String>()
        for item in items {
            try item.requireKnownKeys(["name", "min_spend", "min_orders"])
            let name = try item["name"].string()
            guard !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == " " }) else {
                throw item["name"].invalid("a tier name is 1-40 letters, digits, spaces, '_' or '-'")
            }
            guard names.insert(name).inserted else { throw item["name"].invalid("the tier \(name) is listed twice") }
            let minSpend: Int64? = try item["min_spend"].exists
                ? item["min_spend"].parse(expected: "a decimal amount in \(currency) like \"10000.00\"") {
                    (try? Money.parse($0, currency: currency)).map(\.minorUnits).flatMap { $0 >= 0 ? $0 : nil }
                }
                : nil
            let minOrders: Int? = try item["min_orders"].exists ? item["min_orders"].int(in: 0...1_000_000) : nil
            rungs.append(TierRung(name: name, minSpend: minSpend, minOrders: minOrders))
        }
        let base = rungs[rungs.count - 1]
        if (base.minSpend ?? 0) != 0 || (base.minOrders ?? 0) != 0 {
            throw value[items.count - 1].invalid("the last tier is the base every customer starts in: leave its thresholds out or set them to 0")
        }
        return rungs
    }
}

extension Duration {
    static func days(_ count: Int64) -> Duration { .seconds(count * 86_400) }
}
