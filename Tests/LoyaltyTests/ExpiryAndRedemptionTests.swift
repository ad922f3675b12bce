@testable import Loyalty
import Model
import Testing

@Suite("Expiry and redemption")
struct ExpiryAndRedemptionTests {
    static func days(_ count: Int64) -> Timestamp { Fixture.start + .seconds(count * 86_400) }

    /// o1 (100, available day 14), a 40-point compensation (day 20), o2 (50, available day 44).
    static func threeLots() throws -> LedgerScript {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.apply(.compensated(ComplaintCompensated(complaintID: "c1", points: 40, grantedAt: days(20)), cause: "comp"), at: days(20))
        try script.paid(Fixture.order("o2", subtotal: "50.00", paidAt: days(30)), at: days(30))
        try script.fireTimers(until: days(50))
        return script
    }

    @Test("unspent points expire oldest first, warned 30 days before")
    func expiryOrder() throws {
        var script = try Self.threeLots()
        script.redeem(30, key: "k1", at: Self.days(50))
        try script.fireTimers(until: Self.days(800))
        let expiries = script.ledger.entries.filter { $0.kind == .expiry }
        #expect(expiries.map(\.points) == [-70, -40, -50])
        #expect(expiries.flatMap(\.draws).map(\.lot) == [1, 2, 3])
        let lots = script.ledger.entries.filter(\.isLot)
        #expect(expiries.map(\.at) == lots.compactMap(\.expiresAt))
        #expect(script.events(PointsExpiring.self).map(\.points) == [70, 40, 50])
        #expect(script.events(PointsExpiring.self).map(\.expiresAt) == lots.compactMap(\.expiresAt))
        #expect(script.events(PointsExpired.self).map(\.points) == [70, 40, 50])
        #expect(script.ledger.balance == 0)
        #expect(script.ledger.timers.isEmpty)
    }

    @Test("expiring and next expiries are derived from the lots")
    func expiringTotals() throws {
        let script = try Self.threeLots()
        let lot1Expiry = try #require(script.ledger.entries[0].expiresAt)
        let totals = script.totals(at: lot1Expiry - .seconds(10 * 86_400))
        // Lot 1 expires in 10 days and the compensation 6 days after it: both within 30 days.
        #expect(totals.expiring == 140)
        #expect(totals.expiries.map(\.points) == [100, 40, 50])
        #expect(totals.available == 190)
    }

    @Test("a redemption spends available points oldest first and never below zero")
    func redemptionOldestFirst() throws {
        var script = try Self.threeLots()
        let outcome = script.redeem(120, key: "k1", at: Self.days(40))
        guard case .accepted(let entry, let balance, false) = outcome else { Issue.record("\(outcome)"); return }
        #expect(entry.draws == [LedgerEntry.Draw(lot: 1, points: 100), LedgerEntry.Draw(lot: 2, points: 20)])
        #expect(balance == 70)
        let refused = script.redeem(21, key: "k2", at: Self.days(40))
        #expect(refused == .refused("21 points were asked for but only 20 are available", replayed: false))
        #expect(script.ledger.balance == 70)
    }

    @Test("the same idempotency key returns the first answer")
    func idempotency() throws {
        var script = try Self.threeLots()
        let first = script.redeem(50, key: "k1", at: Self.days(50))
        let again = script.redeem(50, key: "k1", at: Self.days(51))
        guard case .accepted(let entry, let balance, false) = first, case .accepted(let replayedEntry, let replayedBalance, true) = again
        else { Issue.record("\(first) then \(again)"); return }
        #expect(entry == replayedEntry)
        #expect(balance == replayedBalance)
        #expect(script.ledger.entries.filter { $0.kind == .redemption }.count == 1)
        #expect(script.events(PointsRedeemed.self).count == 1)

        let refused = script.redeem(10_000, key: "k2", at: Self.days(50))
        let refusedAgain = script.redeem(10_000, key: "k2", at: Self.days(50))
        guard case .refused(let reason, false) = refused else { Issue.record("\(refused)"); return }
        #expect(refusedAgain == .refused(reason, replayed: true))
        guard case .keyReused = script.redeem(49, key: "k1", at: Self.days(50)) else { Issue.record("a reused key was accepted"); return }
    }

    @Test("staff adjustments credit a lot or take points, never below zero")
    func adjustments() throws {
        var script = try Self.threeLots()
        let (credit, added) = script.rules.adjust(script.ledger, points: 25, reason: "goodwill", key: "a1", actor: "desk", now: Self.days(50))
        guard case .accepted(let entry, 215, false) = added else { Issue.record("\(added)"); return }
        #expect(entry.kind == .adjustment && entry.isLot)
        let (_, tooMuch) = script.rules.adjust(credit.ledger, points: -216, reason: "fix", key: "a2", actor: "desk", now: Self.days(50))
        guard case .refused = tooMuch else { Issue.record("\(tooMuch)"); return }
        let (taken, ok) = script.rules.adjust(credit.ledger, points: -215, reason: "fix", key: "a3", actor: "desk", now: Self.days(50))
        guard case .accepted(_, 0, false) = ok else { Issue.record("\(ok)"); return }
        #expect(taken.outputs.compactMap { $0.event as? PointsAdjusted }.map(\.points) == [-215])
        script.ledger = taken.ledger
        #expect(script.totals(at: Self.days(50)).available == 0)
    }
}
