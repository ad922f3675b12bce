@testable import Classification
import Model
import ServiceSupport
import Testing

@Suite("Tier rules")
struct TierRulesTests {
    static let day = Fixtures.day
    let now = Fixtures.start + .days(200)

    @Test(
        "the default A/B/C thresholds: exactly at a threshold qualifies, one cent or one order under does not",
        arguments: [
            ("50000.00", 0, "A"), ("49999.99", 0, "B"), ("10000.00", 0, "B"), ("9999.99", 0, "C"),
            ("0.00", 24, "A"), ("0.00", 23, "B"), ("0.00", 6, "B"), ("0.00", 5, "C"), ("0.00", 0, "C"),
            ("9999.99", 5, "C"), ("49999.99", 23, "B"),
        ])
    func defaultBoundaries(spend: String, orders: Int, tier: String) throws {
        let policy = try Fixtures.settings().policy
        #expect(policy.qualifyingTier(spend: try Fixtures.cny(spend).minorUnits, orders: orders) == tier)
    }

    @Test("a named ladder from the rules file ranks by its own spend and frequency thresholds")
    func namedLadder() throws {
        let settings = try Fixtures.settings("""
            classification:
              currency: CNY
              ladder:
                - { name: Diamond, min_spend: "200000.00", min_orders: 60 }
                - { name: Gold, min_spend: "50000.00" }
                - { name: Silver, min_orders: 4 }
                - { name: Regular }
            """)
        let policy = settings.policy
        #expect(policy.names == ["Diamond", "Gold", "Silver", "Regular"])
        #expect(policy.baseTier == "Regular")
        #expect(policy.qualifyingTier(spend: try Fixtures.cny("200000.00").minorUnits, orders: 0) == "Diamond")
        #expect(policy.qualifyingTier(spend: 0, orders: 60) == "Diamond")
        #expect(policy.qualifyingTier(spend: try Fixtures.cny("50000.00").minorUnits, orders: 0) == "Gold")
        // Gold has no frequency threshold: many small orders reach Silver only.
        #expect(policy.qualifyingTier(spend: try Fixtures.cny("100.00").minorUnits, orders: 59) == "Silver")
        #expect(policy.qualifyingTier(spend: try Fixtures.cny("49999.99").minorUnits, orders: 3) == "Regular")
    }

    @Test(
        "a bad classification setting stops start-up with a message naming its key",
        arguments: [
            ("classification:\n  window_months: 0", "classification.window_months"),
            ("classification:\n  ladder: []", "classification.ladder"),
            ("classification:\n  ladder:\n    - { name: A, min_spend: \"1.234\" }\n    - { name: B }", "classification.ladder[0].min_spend"),
            ("classification:\n  ladder:\n    - { name: A, min_orders: 3 }\n    - { name: B, min_orders: 1 }", "classification.ladder[1]"),
            ("classification:\n  ladder:\n    - { name: A }\n    - { name: A }", "classification.ladder[1].name"),
            ("classification:\n  churn_threshold: 101", "classification.churn_threshold"),
            ("classification:\n  currency: yuan", "classification.currency"),
            ("classification:\n  window: 12", "classification.window"),
        ])
    func badSettings(yaml: String, path: String) {
        let error = #expect(throws: ConfigurationError.self) { try Fixtures.settings(yaml) }
        #expect(error.map { "\($0)" }?.contains(path) == true, "\(String(describing: error))")
    }

    // MARK: - Hysteresis and floors

    func profile(_ envelopes: [Envelope]) throws -> CustomerProfile {
        var profile = CustomerProfile(customer: Fixtures.customer)
        try Fixtures.absorb(envelopes, into: &profile)
        return profile
    }

    @Test("a customer is upgraded by the order that crosses the threshold, not before")
    func upgradeOnCrossingOrder() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        var profile = try profile([try Fixtures.paid("1", "9999.98", at: Fixtures.start)])
        var outcome = evaluator.evaluate(profile, at: Fixtures.start, cuts: nil, purpose: .event)
        #expect(outcome.tierMove == TierMove(previous: nil, current: "C", reason: TierReason.initial))
        profile = outcome.profile

        try Fixtures.absorb([try Fixtures.paid("2", "0.01", at: Fixtures.start + .seconds(60))], into: &profile)
        outcome = evaluator.evaluate(profile, at: Fixtures.start + .seconds(60), cuts: nil, purpose: .event)
        #expect(outcome.tierMove == nil, "9999.99 is one cent under B")
        profile = outcome.profile

        try Fixtures.absorb([try Fixtures.paid("3", "0.01", at: Fixtures.start + .seconds(120))], into: &profile)
        outcome = evaluator.evaluate(profile, at: Fixtures.start + .seconds(120), cuts: nil, purpose: .event)
        #expect(outcome.tierMove == TierMove(previous: "C", current: "B", reason: TierReason.thresholdCrossed))
        #expect(outcome.profile.tier?.current == "B")
    }

    @Test("a refund that drops spend under the threshold changes nothing until a review after the grace period")
    func refundThenReview() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = try profile([try Fixtures.paid("1", "10000.00", at: t0)])
        profile = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .event).profile
        #expect(profile.tier?.current == "B")

        // A partial refund of one cent takes spend under B.
        let refundTime = t0 + .days(1)
        try Fixtures.absorb([try Fixtures.refunded("r1", order: "1", "0.01", at: refundTime)], into: &profile)
        var outcome = evaluator.evaluate(profile, at: refundTime, cuts: nil, purpose: .event)
        #expect(outcome.tierMove == nil)
        #expect(outcome.profile.tier?.current == "B")
        #expect(outcome.profile.tier?.belowSince == refundTime)
        #expect(outcome.profile.figures(at: refundTime, windowMonths: 12).windowSpend(in: try CurrencyCode("CNY")) == 999_999)
        profile = outcome.profile

        // The daily recompute never downgrades.
        outcome = evaluator.evaluate(profile, at: refundTime + .days(40), cuts: nil, purpose: .recompute)
        #expect(outcome.tierMove == nil)
        profile = outcome.profile

        // A review inside the grace period keeps the tier.
        outcome = evaluator.evaluate(profile, at: refundTime + .days(29), cuts: nil, purpose: .review)
        #expect(outcome.tierMove == nil)
        #expect(outcome.profile.tier?.current == "B")

        // A review after it downgrades.
        outcome = evaluator.evaluate(profile, at: refundTime + .days(30), cuts: nil, purpose: .review)
        #expect(outcome.tierMove == TierMove(previous: "B", current: "C", reason: TierReason.reviewDowngrade))
        #expect(outcome.profile.tier?.belowSince == nil)
    }

    @Test("figures that recover before the review cancel the pending downgrade")
    func recoveryCancelsDowngrade() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = try profile([try Fixtures.paid("1", "10000.00", at: t0)])
        profile = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .event).profile
        try Fixtures.absorb([try Fixtures.refunded("r1", order: "1", "5000.00", at: t0 + .days(1))], into: &profile)
        profile = evaluator.evaluate(profile, at: t0 + .days(1), cuts: nil, purpose: .event).profile
        #expect(profile.tier?.belowSince != nil)
        try Fixtures.absorb([try Fixtures.paid("2", "5000.00", at: t0 + .days(2))], into: &profile)
        profile = evaluator.evaluate(profile, at: t0 + .days(2), cuts: nil, purpose: .event).profile
        #expect(profile.tier?.belowSince == nil)
        let outcome = evaluator.evaluate(profile, at: t0 + .days(90), cuts: nil, purpose: .review)
        #expect(outcome.tierMove == nil)
        #expect(outcome.profile.tier?.current == "B")
    }

    @Test("orders leaving the rolling window lower the figures without any event")
    func windowSlides() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = try profile([try Fixtures.paid("1", "10000.00", at: t0)])
        profile = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .event).profile
        let inside = profile.figures(at: t0 + .days(364), windowMonths: 12)
        #expect(inside.windowOrders == 1)
        let outside = profile.figures(at: t0 + .days(366), windowMonths: 12)
        #expect(outside.windowOrders == 0)
        #expect(outside.lifetimeOrders == 1)
        profile = evaluator.evaluate(profile, at: t0 + .days(366), cuts: nil, purpose: .recompute).profile
        let outcome = evaluator.evaluate(profile, at: t0 + .days(396), cuts: nil, purpose: .review)
        #expect(outcome.tierMove?.current == "C")
    }

    @Test("a manual floor lifts the tier at once, holds through a review, and lapses when it expires")
    func floorAndExpiry() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = try profile([try Fixtures.paid("1", "100.00", at: t0)])
        profile = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .event).profile
        let floor = TierFloor(tier: "A", expiresAt: t0 + .days(60), reason: "strategic partner", setBy: "ops", setAt: t0)
        var outcome = evaluator.evaluate(profile, at: t0 + .seconds(1), cuts: nil, purpose: .floor(floor))
        #expect(outcome.tierMove == TierMove(previous: "C", current: "A", reason: TierReason.manualFloor))
        #expect(outcome.profile.tier?.held == "C")
        profile = outcome.profile

        outcome = evaluator.evaluate(profile, at: t0 + .days(45), cuts: nil, purpose: .review)
        #expect(outcome.tierMove == nil)
        #expect(outcome.profile.tier?.current == "A")
        profile = outcome.profile

        outcome = evaluator.evaluate(profile, at: t0 + .days(60), cuts: nil, purpose: .recompute)
        #expect(outcome.tierMove == TierMove(previous: "A", current: "C", reason: TierReason.floorExpired))
        #expect(outcome.profile.tier?.floor == nil)
    }

    @Test("a floor below the earned tier changes nothing, and an upgrade under a floor is still earned")
    func floorBelowEarned() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = try profile([try Fixtures.paid("1", "10000.00", at: t0)])
        profile = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .event).profile
        let floor = TierFloor(tier: "C", expiresAt: t0 + .days(10), reason: "test", setBy: "ops", setAt: t0)
        let outcome = evaluator.evaluate(profile, at: t0, cuts: nil, purpose: .floor(floor))
        #expect(outcome.tierMove == nil)
        #expect(outcome.profile.tier?.current == "B")
    }
}
