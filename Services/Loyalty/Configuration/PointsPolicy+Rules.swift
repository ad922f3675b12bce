import Foundation
import ServiceSupport

extension PointsPolicy {
    /// Reads the `loyalty:` section of the rules file; a missing key keeps its built-in value,
    /// a wrong one stops start-up with a message naming `loyalty.<key>`.
    ///
    /// ```yaml
    /// loyalty:
    ///   points_per_unit: 1          # per 1.00 of the currency, up to 3 decimals
    ///   tier_multipliers: {A: 2, B: 1.5, C: 1}
    ///   default_tier: C
    ///   return_window_days: 14
    ///   expiry_months: 12
    ///   expiry_warning_days: 30
    ///   debt_policy: settle_from_future   # or negative_balance
    ///   default_time_zone: Asia/Shanghai
    ///   bonuses:
    ///     birthday: 100
    ///     referral_referrer: 200
    ///     referral_new_customer: 100
    ///     referral_code_prefix: REF-
    ///     repeat_purchase: 50
    ///     repeat_purchase_window_days: 30
    /// ```
    init(rules section: RulesValue) throws {
        self.init()
        try section.requireKnownKeys([
            "points_per_unit", "tier_multipliers", "default_tier", "return_window_days", "expiry_months",
            "expiry_warning_days", "debt_policy", "default_time_zone", "bonuses",
        ])
        let factor = "a decimal number with up to 3 decimal places, such as 1 or 1.5"
        pointsPerUnit = try section["points_per_unit"].parse(expected: factor, default: pointsPerUnit) { PerMille(decimal: $0) }
        if section["tier_multipliers"].exists {
            var multipliers: [String: PerMille] = [:]
            for (tier, value) in try section["tier_multipliers"].map() {
                multipliers[tier] = try value.parse(expected: factor) { PerMille(decimal: $0) }
            }
            tierMultipliers = multipliers
        }
        defaultTier = try section["default_tier"].string(default: defaultTier)
        returnWindow = try section["return_window_days"].durationDays(default: returnWindow)
        expiryMonths = try section["expiry_months"].int(default: expiryMonths, in: 1...1200)
        expiryWarning = try section["expiry_warning_days"].durationDays(default: expiryWarning)
        debtPolicy = try section["debt_policy"].parse(
            expected: DebtPolicy.allCases.map(\.rawValue).joined(separator: " or "), default: debtPolicy
        ) { DebtPolicy(rawValue: $0) }
        defaultTimeZone = try section["default_time_zone"].parse(
            expected: "an IANA time zone such as Asia/Shanghai", default: defaultTimeZone
        ) { TimeZone(identifier: $0) == nil ? nil : $0 }

        let bonusSection = section["bonuses"]
        try bonusSection.requireKnownKeys([
            "birthday", "referral_referrer", "referral_new_customer", "referral_code_prefix",
            "repeat_purchase", "repeat_purchase_window_days",
        ])
        let points = 0...1_000_000_000
        bonuses.birthday = Int64(try bonusSection["birthday"].int(default: Int(bonuses.birthday), in: points))
        bonuses.referralReferrer = Int64(try bonusSection["referral_referrer"].int(default: Int(bonuses.referralReferrer), in: points))
        bonuses.referralNewCustomer = Int64(
            try bonusSection["referral_new_customer"].int(default: Int(bonuses.referralNewCustomer), in: points))
        bonuses.referralCodePrefix = try bonusSection["referral_code_prefix"].string(default: bonuses.referralCodePrefix)
        bonuses.repeatPurchase = Int64(try bonusSection["repeat_purchase"].int(default: Int(bonuses.repeatPurchase), in: points))
        bonuses.repeatPurchaseWindow = try bonusSection["repeat_purchase_window_days"].durationDays(
            default: bonuses.repeatPurchaseWindow)
    }
}
