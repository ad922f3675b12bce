import Foundation
@testable import Loyalty
import Model
import Testing

@Suite("Bonus points")
struct BonusTests {
    static var bonusPolicy: PointsPolicy {
        var policy = Fixture.plainPolicy
        policy.bonuses = PointsPolicy.Bonuses()
        return policy
    }

    @Test("compensation from a complaint is credited once and is available at once")
    func compensation() throws {
        var script = LedgerScript()
        let granted = ComplaintCompensated(complaintID: "c1", points: 300, grantedAt: Fixture.start)
        try script.apply(.compensated(granted, cause: "comp-1"))
        try script.apply(.compensated(granted, cause: "comp-1-replayed"))
        #expect(script.ledger.balance == 300)
        #expect(script.totals().available == 300)
        #expect(script.events(PointsEarned.self).map(\.reason) == ["compensation"])
    }

    @Test("an order paid within the window after another earns the repeat bonus, in any arrival order",
          arguments: [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]])
    func repeatPurchase(_ arrival: [Int]) throws {
        var script = LedgerScript(policy: Self.bonusPolicy)
        let orders = [
            Fixture.order("A", subtotal: "10.00", paidAt: Fixture.start),
            Fixture.order("B", subtotal: "10.00", paidAt: Fixture.start + .seconds(10 * 86_400)),
            Fixture.order("C", subtotal: "10.00", paidAt: Fixture.start + .seconds(50 * 86_400)),
        ]
        for index in arrival { try script.paid(orders[index]) }
        let bonuses = script.ledger.entries.filter { $0.reason == "repeat_purchase" }
        #expect(bonuses.map(\.orderID) == ["B"])
        #expect(script.ledger.balance == 30 + 50)
    }

    @Test("a fully refunded order gives its repeat bonus back")
    func repeatBonusRevoked() throws {
        var script = LedgerScript(policy: Self.bonusPolicy)
        try script.paid(Fixture.order("A", subtotal: "10.00"))
        try script.paid(Fixture.order("B", subtotal: "20.00", paidAt: Fixture.start + .seconds(86_400)))
        #expect(script.ledger.balance == 80)
        try script.refunded(Fixture.refund("r1", of: "B", goods: "10.00"))
        #expect(script.ledger.balance == 70)
        try script.refunded(Fixture.refund("r2", of: "B", goods: "10.00"))
        #expect(script.ledger.balance == 10)
        #expect(script.ledger.debt == 0)
    }

    @Test("a referral code pays the new customer and sends the referrer theirs, once")
    func referral() throws {
        var script = LedgerScript(policy: Self.bonusPolicy)
        try script.paid(Fixture.order("o1", subtotal: "10.00", codes: ["SUMMER", "ref-2002"]))
        try script.paid(Fixture.order("o2", subtotal: "10.00", codes: ["REF-3003"], paidAt: Fixture.start + .seconds(90 * 86_400)))
        #expect(script.ledger.entries.filter { $0.reason == "referral" }.map(\.points) == [100])
        #expect(script.ledger.referral?.referrer == "shopify:snowdevil.myshopify.com:2002")
        #expect(script.relays.map(\.customer) == ["shopify:snowdevil.myshopify.com:2002"])
        #expect(script.relays.first?.credit == ReferralCredit(
            referredCustomer: Fixture.customer, orderID: "o1", points: 200, paidAt: Fixture.start))

        var referrer = LedgerScript(policy: Self.bonusPolicy, customer: "shopify:snowdevil.myshopify.com:2002")
        let credit = try #require(script.relays.first?.credit)
        try referrer.apply(.referralCredit(credit, cause: "relay-1"))
        try referrer.apply(.referralCredit(credit, cause: "relay-1-again"))
        #expect(referrer.ledger.balance == 200)
    }

    @Test("a customer's own code is not a referral")
    func selfReferral() throws {
        var script = LedgerScript(policy: Self.bonusPolicy)
        try script.paid(Fixture.order("o1", subtotal: "10.00", codes: ["REF-1001"]))
        #expect(script.ledger.referral == nil)
        #expect(script.relays.isEmpty)
    }

    struct BirthdayCase: Sendable, CustomTestStringConvertible {
        var birthday: String
        var zone: String
        var now: Int64
        var start: Int64
        var year: Int
        var testDescription: String { "\(birthday) in \(zone)" }
    }

    @Test("the next birthday starts at midnight in the customer's zone", arguments: [
        // 2025-06-15T15:06:40Z
        BirthdayCase(birthday: "1990-05-17", zone: "Asia/Shanghai", now: 1_750_000_000_000, start: 1_778_947_200_000, year: 2026),
        // still 15 June in Shanghai: today's birthday, started at 16:00Z the day before
        BirthdayCase(birthday: "--06-15", zone: "Asia/Shanghai", now: 1_750_000_000_000, start: 1_749_916_800_000, year: 2025),
        // already 16 June in Shanghai... but not yet in New York
        BirthdayCase(birthday: "06-15", zone: "America/New_York", now: 1_750_000_000_000, start: 1_749_960_000_000, year: 2025),
        BirthdayCase(birthday: "2000-02-29", zone: "UTC", now: 1_750_000_000_000, start: 1_772_236_800_000, year: 2026),
    ])
    func nextBirthday(_ example: BirthdayCase) throws {
        let date = try #require(BirthDate(example.birthday))
        let zone = try #require(TimeZone(identifier: example.zone))
        let next = try #require(date.next(after: Timestamp(unixMilliseconds: example.now), zone: zone))
        #expect(next.start == Timestamp(unixMilliseconds: example.start))
        #expect(next.year == example.year)
    }

    @Test("the birthday bonus is paid once a year from the birthday timer")
    func birthdayOncePerYear() throws {
        var script = LedgerScript(policy: Self.bonusPolicy)
        let date = BirthDate("1990-05-17")
        let update = ProfileUpdate(sealedBirthday: "s1:sealed", birthDate: date, timeZone: nil, updatedAt: Fixture.start)
        try script.apply(.profile(update, cause: "profile-1"))
        let timer = try #require(script.timers.compactMap { change -> LoyaltyTimer? in
            if case .schedule(let timer, _) = change { return timer }
            return nil
        }.first)
        #expect(timer.kind == .birthday)
        #expect(timer.year == 2026)
        try script.apply(.timer(timer, birthDate: date, cause: "birthday-2026"), at: timer.due)
        try script.apply(.timer(timer, birthDate: date, cause: "birthday-2026-again"), at: timer.due)
        #expect(script.ledger.entries.filter { $0.reason == "birthday" }.map(\.points) == [100])
        #expect(script.ledger.timers.values.contains(Timestamp(unixMilliseconds: 1_810_483_200_000)))

        let older = ProfileUpdate(sealedBirthday: nil, birthDate: nil, timeZone: nil, updatedAt: Fixture.start - .seconds(1))
        try script.apply(.profile(older, cause: "profile-0"))
        #expect(script.ledger.birthday != nil)
        let removed = ProfileUpdate(sealedBirthday: nil, birthDate: nil, timeZone: nil, updatedAt: Fixture.start + .seconds(1))
        try script.apply(.profile(removed, cause: "profile-2"), at: timer.due)
        #expect(script.ledger.birthday == nil)
        #expect(!script.ledger.timers.keys.contains { $0.hasSuffix("#birthday") })
        #expect(script.timers.last == .cancel(id: "\(Fixture.customer)#birthday"))
    }
}
