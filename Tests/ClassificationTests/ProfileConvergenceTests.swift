@testable import Classification
import Model
import PropertyBased
import Testing

/// A small deterministic generator, so a failing scenario can be replayed from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: Int64) { state = UInt64(bitPattern: seed) }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One customer's history as intake would deliver it: updates, orders placed and paid (some
/// edited between the two), partial and full refunds (some for orders that never arrive),
/// and cancellations.
enum Scenario {
    static func events(seed: Int64) throws -> [Envelope] {
        var random = SplitMix(seed: seed)
        let t0 = Fixtures.start
        var events: [Envelope] = []
        for version in 0..<Int.random(in: 1...3, using: &random) {
            events.append(try Fixtures.upserted(
                kind: [.individual, .enterprise, .dealer].randomElement(using: &random) ?? .individual,
                personal: ["email": "sealed-\(version)"],
                // Two versions may share an updatedAt: the event id decides.
                updatedAt: t0 + .days(Int64.random(in: 0...3, using: &random)), id: "upsert-\(version)"))
        }
        for order in 0..<Int.random(in: 1...8, using: &random) {
            let id = "o\(order)"
            let placedAt = t0 + .days(Int64.random(in: 0...300, using: &random))
            let cents = Int64.random(in: 1...3_000_000, using: &random)
            let total = Money(minorUnits: cents, currency: try CurrencyCode("CNY"))
            let known = Int.random(in: 0..<10, using: &random) > 0
            if known {
                if Bool.random(using: &random) {
                    // Placed with a first total, paid after an edit changed it.
                    let first = Money(minorUnits: max(1, cents / 2), currency: total.currency)
                    events.append(try Fixtures.envelope(
                        OrderPlaced(order: Fixtures.summary(id, total: first, placedAt: placedAt)), id: "placed-\(id)", occurred: placedAt))
                }
                if Int.random(in: 0..<4, using: &random) > 0 {
                    events.append(try Fixtures.envelope(
                        OrderPaid(order: Fixtures.summary(id, total: total, placedAt: placedAt, updatedAt: placedAt + .seconds(60)), paidAt: placedAt + .seconds(60)),
                        id: "paid-\(id)", occurred: placedAt))
                }
            }
            for refund in 0..<Int.random(in: 0...2, using: &random) {
                let amount = Bool.random(using: &random) ? cents : Int64.random(in: 1...cents, using: &random)
                events.append(try Fixtures.envelope(
                    OrderRefunded(
                        refundID: "\(id)-r\(refund)", orderID: id, amount: Money(minorUnits: amount, currency: total.currency),
                        goodsAmount: Money(minorUnits: amount, currency: total.currency), refundedAt: placedAt + .days(2)),
                    id: "refund-\(id)-\(refund)", occurred: placedAt + .days(2)))
            }
            if Int.random(in: 0..<5, using: &random) == 0 {
                events.append(try Fixtures.cancelled(id, at: placedAt + .days(1)))
            }
        }
        return events
    }

    /// The events shuffled, with some delivered more than once.
    static func redelivered(_ events: [Envelope], seed: Int64) -> [Envelope] {
        var random = SplitMix(seed: seed)
        var delivered = events
        for _ in 0..<Int.random(in: 0...events.count, using: &random) {
            if let again = events.randomElement(using: &random) { delivered.append(again) }
        }
        return delivered.shuffled(using: &random)
    }
}

@Suite("Profiles converge whatever the order and repetition of events")
struct ProfileConvergenceTests {
    /// Applies events one at a time, evaluating after each as the handler does, then runs two
    /// reviews after the grace period, early enough that no order has left the window yet.
    static func replay(_ events: [Envelope], evaluator: ProfileEvaluator, at now: Timestamp) throws -> (CustomerProfile, CustomerProfile) {
        var profile = CustomerProfile(customer: Fixtures.customer)
        for event in events {
            try Fixtures.absorb([event], into: &profile)
            profile = evaluator.evaluate(profile, at: now, cuts: nil, purpose: .event).profile
        }
        let afterEvents = profile
        profile = evaluator.evaluate(profile, at: now + .days(31), cuts: nil, purpose: .review).profile
        profile = evaluator.evaluate(profile, at: now + .days(40), cuts: nil, purpose: .review).profile
        return (afterEvents, profile)
    }

    @Test("shuffled and duplicated events give the same facts, figures, churn score and, after reviews, the same tier")
    func convergence() async throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let now = Fixtures.start + .days(320)
        await propertyCheck(count: 300, input: Gen.int64(), Gen.int64()) { scenarioSeed, orderSeed in
            let events = try Scenario.events(seed: scenarioSeed)
            let (reference, reviewed) = try Self.replay(events, evaluator: evaluator, at: now)
            let (other, otherReviewed) = try Self.replay(Scenario.redelivered(events, seed: orderSeed), evaluator: evaluator, at: now)

            #expect(other.facts == reference.facts)
            #expect(other.figures(at: now, windowMonths: 12) == reference.figures(at: now, windowMonths: 12))
            #expect(other.churn?.score == reference.churn?.score)
            #expect(otherReviewed.tier?.current == reviewed.tier?.current)
            #expect(otherReviewed.tier?.held == reviewed.tier?.held)
            let policy = evaluator.policy
            let later = reviewed.figures(at: now + .days(40), windowMonths: 12)
            #expect(reviewed.tier?.current == policy.qualifyingTier(spend: later.windowSpend(in: policy.currency), orders: later.windowOrders))
        }
    }

    @Test("a refund that arrives before its order is kept and counted once the order is paid")
    func refundBeforeOrder() throws {
        let t0 = Fixtures.start
        var profile = CustomerProfile(customer: Fixtures.customer)
        try Fixtures.absorb([try Fixtures.refunded("r1", order: "1", "40.00", at: t0 + .days(1))], into: &profile)
        #expect(profile.figures(at: t0 + .days(2), windowMonths: 12).lifetimeOrders == 0)
        try Fixtures.absorb([try Fixtures.paid("1", "100.00", at: t0), try Fixtures.refunded("r1", order: "1", "40.00", at: t0 + .days(1))], into: &profile)
        let figures = profile.figures(at: t0 + .days(2), windowMonths: 12)
        #expect(figures.lifetimeOrders == 1)
        #expect(figures.windowSpend(in: try CurrencyCode("CNY")) == 6_000)
        // A full refund (in two parts) leaves no purchase; a cancelled order never counts.
        try Fixtures.absorb([try Fixtures.refunded("r2", order: "1", "60.00", at: t0 + .days(1))], into: &profile)
        #expect(profile.figures(at: t0 + .days(2), windowMonths: 12).lifetimeOrders == 0)
        try Fixtures.absorb([try Fixtures.paid("2", "100.00", at: t0), try Fixtures.cancelled("2", at: t0 + .days(1))], into: &profile)
        #expect(profile.figures(at: t0 + .days(2), windowMonths: 12).lifetimeOrders == 0)
    }

    @Test("spend in another currency is kept apart and does not count toward thresholds")
    func otherCurrency() throws {
        let t0 = Fixtures.start
        var profile = CustomerProfile(customer: Fixtures.customer)
        let usd = Money(minorUnits: 10_000_000, currency: try CurrencyCode("USD"))
        try Fixtures.absorb([
            try Fixtures.envelope(OrderPaid(order: Fixtures.summary("u1", total: usd, placedAt: t0), paidAt: t0), id: "paid-u1"),
        ], into: &profile)
        let figures = profile.figures(at: t0, windowMonths: 12)
        #expect(figures.windowSpend[try CurrencyCode("USD")] == 10_000_000)
        #expect(figures.windowSpend(in: try CurrencyCode("CNY")) == 0)
        let policy = try Fixtures.settings().policy
        #expect(policy.qualifyingTier(spend: figures.windowSpend(in: policy.currency), orders: figures.windowOrders) == "C")
    }
}
