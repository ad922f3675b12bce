@testable import Loyalty
import Model
import ServiceSupport
import Testing

@Suite("Points policy from the rules file")
struct PolicyConfigurationTests {
    static func policy(_ yaml: String) throws -> PointsPolicy {
        try PointsPolicy(rules: try RulesFile(yaml: yaml)["loyalty"])
    }

    @Test("without a loyalty section the built-in rules apply")
    func defaults() throws {
        let policy = try Self.policy("tokens: []")
        #expect(policy == PointsPolicy())
        #expect(policy.multiplier(forTier: "A") == PerMille(thousandths: 2000))
        #expect(policy.multiplier(forTier: "B") == PerMille(thousandths: 1500))
        #expect(policy.returnWindow == .seconds(14 * 86_400))
        #expect(policy.expiryMonths == 12)
        #expect(policy.expiryWarning == .seconds(30 * 86_400))
        #expect(policy.debtPolicy == .settleFromFuture)
        #expect(policy.defaultTimeZone == "Asia/Shanghai")
    }

    @Test("every setting is read")
    func everySetting() throws {
        let policy = try Self.policy("""
            loyalty:
              points_per_unit: 0.5
              tier_multipliers: {Diamond: 3, Gold: 2.25, Regular: 1}
              default_tier: Regular
              return_window_days: 7
              expiry_months: 24
              expiry_warning_days: 14
              debt_policy: negative_balance
              default_time_zone: Europe/Paris
              bonuses:
                birthday: 0
                referral_referrer: 500
                referral_new_customer: 250
                referral_code_prefix: FRIEND-
                repeat_purchase: 20
                repeat_purchase_window_days: 60
            """)
        #expect(policy.pointsPerUnit == PerMille(thousandths: 500))
        #expect(policy.tierMultipliers == ["Diamond": PerMille(thousandths: 3000), "Gold": PerMille(thousandths: 2250), "Regular": .one])
        #expect(policy.defaultTier == "Regular")
        #expect(policy.returnWindow == .seconds(7 * 86_400))
        #expect(policy.expiryMonths == 24)
        #expect(policy.expiryWarning == .seconds(14 * 86_400))
        #expect(policy.debtPolicy == .negativeBalance)
        #expect(policy.defaultTimeZone == "Europe/Paris")
        #expect(policy.bonuses.birthday == 0)
        #expect(policy.bonuses.referralReferrer == 500)
        #expect(policy.bonuses.referralNewCustomer == 250)
        #expect(policy.bonuses.referralCodePrefix == "FRIEND-")
        #expect(policy.bonuses.repeatPurchase == 20)
        #expect(policy.bonuses.repeatPurchaseWindow == .seconds(60 * 86_400))
    }

    @Test("a bad value stops start-up with a message naming its key", arguments: [
        ("loyalty:\n  points_per_unit: 1.2345", "loyalty.points_per_unit"),
        ("loyalty:\n  tier_multipliers: {A: two}", "loyalty.tier_multipliers.A"),
        ("loyalty:\n  debt_policy: forgive", "loyalty.debt_policy"),
        ("loyalty:\n  expiry_months: 0", "loyalty.expiry_months"),
        ("loyalty:\n  default_time_zone: Mars/Olympus", "loyalty.default_time_zone"),
        ("loyalty:\n  bonuses:\n    birthday: -5", "loyalty.bonuses.birthday"),
        ("loyalty:\n  bonus:\n    birthday: 5", "loyalty.bonus"),
    ])
    func badValues(_ yaml: String, key: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try Self.policy(yaml) }
        #expect(error.key == key)
    }
}
