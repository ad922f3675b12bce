@testable import Loyalty
import Model
import Testing

@Suite("Earning points on paid orders")
struct EarningTests {
    struct TierCase: Sendable, CustomTestStringConvertible {
        var tier: String?
        var subtotal: String
        var expected: Int64
        var testDescription: String { "\(tier ?? "no tier heard") on \(subtotal) earns \(expected)" }
    }

    @Test("every tier earns its multiplier, rounded down once", arguments: [
        TierCase(tier: nil, subtotal: "199.99", expected: 199),
        TierCase(tier: "C", subtotal: "199.99", expected: 199),
        TierCase(tier: "B", subtotal: "199.99", expected: 299),
        TierCase(tier: "A", subtotal: "199.99", expected: 399),
        TierCase(tier: "B", subtotal: "100.50", expected: 150),
        TierCase(tier: "B", subtotal: "0.67", expected: 1),
        TierCase(tier: "B", subtotal: "0.66", expected: 0),
        TierCase(tier: "A", subtotal: "0.49", expected: 0),
        TierCase(tier: "A", subtotal: "0.50", expected: 1),
        TierCase(tier: "Diamond", subtotal: "10.00", expected: 10),
    ])
    func tiers(_ example: TierCase) throws {
        var script = LedgerScript()
        if let tier = example.tier { try script.apply(.tierChanged(Fixture.tier(tier), cause: "tier-1")) }
        try script.paid(Fixture.order("o1", subtotal: example.subtotal))
        #expect(script.ledger.balance == example.expected)
        #expect(script.ledger.entries.filter { $0.kind == .earn }.map(\.points) == (example.expected > 0 ? [example.expected] : []))
    }

    struct RateCase: Sendable, CustomTestStringConvertible {
        var pointsPerUnit: String
        var multipliers: [String: String]
        var tier: String
        var subtotal: String
        var currency: String
        var expected: Int64
        var testDescription: String { "\(pointsPerUnit)/unit x \(multipliers[tier] ?? "1") on \(subtotal) \(currency) earns \(expected)" }
    }

    @Test("configured rates and multipliers are exact decimals", arguments: [
        RateCase(pointsPerUnit: "0.5", multipliers: [:], tier: "C", subtotal: "199.99", currency: "CNY", expected: 99),
        RateCase(pointsPerUnit: "2", multipliers: [:], tier: "B", subtotal: "33.33", currency: "CNY", expected: 99),
        RateCase(pointsPerUnit: "1", multipliers: ["Diamond": "3", "Gold": "2.25"], tier: "Gold", subtotal: "10.01", currency: "CNY", expected: 22),
        RateCase(pointsPerUnit: "1", multipliers: ["Diamond": "3"], tier: "Diamond", subtotal: "0.34", currency: "CNY", expected: 1),
        RateCase(pointsPerUnit: "0.01", multipliers: [:], tier: "C", subtotal: "1999", currency: "JPY", expected: 19),
        RateCase(pointsPerUnit: "1", multipliers: [:], tier: "A", subtotal: "1.234", currency: "KWD", expected: 2),
    ])
    func rates(_ example: RateCase) throws {
        var policy = Fixture.plainPolicy
        policy.pointsPerUnit = try #require(PerMille(decimal: example.pointsPerUnit))
        for (tier, value) in example.multipliers { policy.tierMultipliers[tier] = try #require(PerMille(decimal: value)) }
        var script = LedgerScript(policy: policy)
        try script.apply(.tierChanged(Fixture.tier(example.tier), cause: "tier-1"))
        let currency = try CurrencyCode(example.currency)
        try script.paid(Fixture.order("o1", subtotal: example.subtotal, shipping: "0", tax: "0", currency: currency))
        #expect(script.ledger.balance == example.expected)
    }

    @Test("shipping and tax earn nothing")
    func shippingAndTaxExcluded() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00", shipping: "25.00", tax: "13.00"))
        #expect(script.ledger.balance == 100)
    }

    @Test("earned points are pending through the return window, then available")
    func pendingThenAvailable() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "120.00"))
        let justBefore = Fixture.start + .seconds(14 * 86_400 - 1)
        #expect(script.totals(at: justBefore).pending == 120)
        #expect(script.totals(at: justBefore).available == 0)
        try script.fireTimers(until: Fixture.start + .seconds(14 * 86_400))
        let after = script.totals(at: Fixture.start + .seconds(14 * 86_400))
        #expect(after.pending == 0)
        #expect(after.available == 120)
        #expect(script.events(PointsAvailable.self).map(\.points) == [120])
        let earned = try #require(script.events(PointsEarned.self).first)
        #expect(earned.availableAt == Fixture.start + .seconds(14 * 86_400))
        #expect(earned.expiresAt == Timestamp(unixMilliseconds: 1_782_745_600_000))
    }

    @Test("the later tier.changed wins whatever the arrival order")
    func laterTierWins() throws {
        var script = LedgerScript()
        try script.apply(.tierChanged(Fixture.tier("B", at: Fixture.start - .seconds(10)), cause: "tier-2"))
        try script.apply(.tierChanged(Fixture.tier("A", at: Fixture.start - .seconds(20)), cause: "tier-1"))
        try script.paid(Fixture.order("o1", subtotal: "10.00"))
        #expect(script.ledger.tier?.name == "B")
        #expect(script.ledger.balance == 15)
    }

    @Test("an order earns once however often it is paid")
    func paidOnce() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "10.00"), id: "delivery-1")
        try script.paid(Fixture.order("o1", subtotal: "10.00"), id: "delivery-2")
        #expect(script.ledger.entries.count == 1)
        #expect(script.events(PointsEarned.self).count == 1)
    }

    @Test("policy values read back from text exactly")
    func perMille() {
        #expect(PerMille(decimal: "1.5")?.thousandths == 1500)
        #expect(PerMille(decimal: "0.125")?.thousandths == 125)
        #expect(PerMille(decimal: "2")?.description == "2")
        #expect(PerMille(decimal: "1.250")?.description == "1.25")
        for bad in ["", ".5", "1.", "1.2345", "-1", "1e3", "abc", " 1"] { #expect(PerMille(decimal: bad) == nil, "\(bad)") }
    }
}

extension EarningTests {
    @Test("an order paid at an absurd time earns without crashing; its expiry pins to the end of time")
    func absurdTimes() throws {
        var script = LedgerScript()
        let far = Timestamp(unixMilliseconds: .max - 1_000)
        try script.paid(Fixture.order("o1", subtotal: "10.00", paidAt: far), at: far)
        #expect(script.ledger.balance == 10)
        #expect(script.ledger.entries.first?.expiresAt == Timestamp(unixMilliseconds: .max))
    }
}
