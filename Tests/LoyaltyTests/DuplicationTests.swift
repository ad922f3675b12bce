@testable import Loyalty
import Model
import Testing

@Suite("Double delivery")
struct DuplicationTests {
    /// A history touching every event loyalty decides on, timers included.
    static func history() throws -> LedgerScript {
        var policy = PointsPolicy()
        policy.bonuses.repeatPurchase = 50
        var script = LedgerScript(policy: policy)
        let day: (Int64) -> Timestamp = { Fixture.start + .seconds($0 * 86_400) }
        try script.apply(.tierChanged(Fixture.tier("B"), cause: "tier-1"))
        try script.apply(.profile(
            ProfileUpdate(sealedBirthday: "s1:x", birthDate: BirthDate("--07-01"), timeZone: "Asia/Shanghai", updatedAt: Fixture.start),
            cause: "profile-1"))
        try script.refunded(Fixture.refund("early", of: "o2", goods: "20.00", at: day(2)), at: day(1))
        try script.paid(Fixture.order("o1", subtotal: "100.00", codes: ["REF-77"]))
        try script.paid(Fixture.order("o2", subtotal: "80.00", paidAt: day(3)), at: day(3))
        try script.refunded(Fixture.refund("late", of: "o1", goods: "40.00", at: day(4)), at: day(4))
        try script.apply(.orderCancelled(OrderCancelled(orderID: "o2", cancelledAt: day(5), wasPaid: true), cause: "cancel-o2"), at: day(5))
        try script.apply(.compensated(ComplaintCompensated(complaintID: "c1", points: 25, grantedAt: day(6)), cause: "comp-1"), at: day(6))
        try script.apply(.referralCredit(
            ReferralCredit(referredCustomer: "shopify:snowdevil.myshopify.com:88", orderID: "x", points: 200, paidAt: day(6)),
            cause: "referral-88"), at: day(6))
        try script.fireTimers(until: day(20))
        script.redeem(100, key: "spend", at: day(21))
        try script.fireTimers(until: day(900))
        return script
    }

    @Test("every event delivered twice gives the ledger and outputs of one delivery")
    func everyEventTwice() throws {
        let once = try Self.history()
        let kinds = Set(once.applied.map { "\($0.event)".prefix(while: { $0 != "(" }) })
        #expect(kinds == ["tierChanged", "profile", "orderRefunded", "orderPaid", "orderCancelled", "compensated", "referralCredit", "timer"])
        let timerKinds = Set(once.applied.compactMap { if case .timer(let timer, _, _) = $0.event { timer.kind } else { nil } })
        #expect(timerKinds == [.available, .expiryWarning, .expiry, .birthday])

        var twice = LedgerScript(policy: once.rules.policy)
        var redeemed = false
        for (event, at) in once.applied {
            if !redeemed, at > Fixture.start + .seconds(21 * 86_400) {
                twice.redeem(100, key: "spend", at: Fixture.start + .seconds(21 * 86_400))
                twice.redeem(100, key: "spend", at: Fixture.start + .seconds(21 * 86_400))
                redeemed = true
            }
            try twice.apply(event, at: at)
            try twice.apply(event, at: at)
        }
        #expect(twice.ledger == once.ledger)
        #expect(twice.outputs.map(\.suffix) == once.outputs.map(\.suffix))
        #expect(twice.relays == once.relays)
        #expect(once.ledger.entries.count > 15)
    }
}
