@testable import Loyalty
import Model
import Testing

@Suite("Taking points back on refunds")
struct RefundTests {
    struct Split: Sendable, CustomTestStringConvertible {
        var subtotal: String
        var tier: String
        var refunds: [String]
        var reversals: [Int64]
        var testDescription: String { "\(subtotal) at \(tier) refunded as \(refunds.joined(separator: " + "))" }
    }

    @Test("partial refunds take back points pro rata and sum to the order's points", arguments: [
        Split(subtotal: "100.00", tier: "B", refunds: ["33.33", "33.33", "33.34"], reversals: [49, 50, 51]),
        Split(subtotal: "99.99", tier: "A", refunds: ["0.01", "99.98"], reversals: [0, 199]),
        Split(subtotal: "10.00", tier: "C", refunds: ["3.00", "3.00", "3.00", "1.00"], reversals: [3, 3, 3, 1]),
        Split(subtotal: "7.77", tier: "B", refunds: ["1.11", "1.11", "1.11", "1.11", "1.11", "1.11", "1.11"], reversals: [1, 2, 1, 2, 1, 2, 2]),
        Split(subtotal: "50.00", tier: "A", refunds: ["20.00", "40.00"], reversals: [40, 60]),
    ])
    func partialRefunds(_ split: Split) throws {
        var script = LedgerScript()
        try script.apply(.tierChanged(Fixture.tier(split.tier), cause: "tier"))
        try script.paid(Fixture.order("o1", subtotal: split.subtotal))
        let earned = script.ledger.balance
        for (index, amount) in split.refunds.enumerated() {
            try script.refunded(Fixture.refund("r\(index)", of: "o1", goods: amount, at: Fixture.start + .seconds(Int64(index + 1))))
        }
        #expect(script.events(PointsReversed.self).map(\.points) == split.reversals.filter { $0 > 0 })
        #expect(split.reversals.reduce(0, +) == earned)
        #expect(script.ledger.balance == 0)
        #expect(script.ledger.debt == 0)
    }

    @Test("a refund that arrives before its order is applied when the order arrives")
    func refundBeforeOrder() throws {
        var script = LedgerScript()
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "30.00"))
        #expect(script.ledger.entries.isEmpty)
        #expect(script.outputs.isEmpty)
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        #expect(script.kinds == [.earn, .reversal])
        #expect(script.ledger.entries.map(\.points) == [100, -30])
        #expect(script.ledger.entries[1].cause == "refund-r1")
        #expect(script.totals().pending == 70)
    }

    @Test("a refund during the return window takes back pending points")
    func refundWhilePending() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "30.00"), at: Fixture.start + .seconds(86_400))
        #expect(script.totals(at: Fixture.start + .seconds(86_400)).pending == 70)
        try script.fireTimers(until: Fixture.start + .seconds(14 * 86_400))
        #expect(script.events(PointsAvailable.self).map(\.points) == [70])
        #expect(script.totals(at: Fixture.start + .seconds(14 * 86_400)).available == 70)
    }

    @Test("a refund never takes back twice and never more than the order earned")
    func refundOnceAndCapped() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "60.00"))
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "60.00"))
        #expect(script.ledger.balance == 40)
        try script.refunded(Fixture.refund("r2", of: "o1", goods: "80.00"))
        #expect(script.ledger.balance == 0)
        #expect(script.events(PointsReversed.self).map(\.points) == [60, 40])
    }

    struct LineCase: Sendable, CustomTestStringConvertible {
        var goods: String
        var lines: [RefundLine]
        var expected: Int64
        var testDescription: String { "goods \(goods), lines \(lines.map { "\($0.lineID)x\($0.quantity)=\($0.amount.decimalString)" })" }
    }

    @Test("refunds by line item take back the lines' share", arguments: [
        LineCase(goods: "0", lines: [RefundLine(lineID: "L1", quantity: 1, amount: Fixture.money("0"))], expected: 30),
        LineCase(goods: "0", lines: [RefundLine(lineID: "L1", quantity: 2, amount: Fixture.money("0"))], expected: 60),
        LineCase(goods: "0", lines: [RefundLine(lineID: "L2", quantity: 1, amount: Fixture.money("35.00"))], expected: 35),
        LineCase(goods: "0", lines: [
            RefundLine(lineID: "L1", quantity: 1, amount: Fixture.money("0")),
            RefundLine(lineID: "L2", quantity: 1, amount: Fixture.money("0")),
        ], expected: 70),
        LineCase(goods: "25.00", lines: [RefundLine(lineID: "L1", quantity: 1, amount: Fixture.money("0"))], expected: 25),
    ])
    func lineRefunds(_ example: LineCase) throws {
        var script = LedgerScript()
        let lines = [
            OrderLine(lineID: "L1", quantity: 2, unitPrice: Fixture.money("30.00"), total: Fixture.money("60.00")),
            OrderLine(lineID: "L2", quantity: 1, unitPrice: Fixture.money("40.00"), total: Fixture.money("40.00")),
        ]
        try script.paid(Fixture.order("o1", subtotal: "100.00", lines: lines))
        try script.refunded(Fixture.refund("r1", of: "o1", goods: example.goods, lines: example.lines))
        #expect(script.ledger.balance == 100 - example.expected)
    }

    @Test("a refund after the points were spent becomes debt settled from later earnings")
    func debtSettledFromFuture() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.fireTimers(until: Fixture.start + .seconds(14 * 86_400))
        let spent = script.redeem(80, key: "k1", at: Fixture.start + .seconds(15 * 86_400))
        guard case .accepted = spent else { Issue.record("redemption refused: \(spent)"); return }
        let refundedAt = Fixture.start + .seconds(16 * 86_400)
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "100.00"), at: refundedAt)
        #expect(script.totals(at: refundedAt) == LedgerTotals(balance: 0, pending: 0, available: 0, debt: 80, expiring: 0, expiries: []))
        let reversed = try #require(script.events(PointsReversed.self).last)
        #expect((reversed.points, reversed.shortfall, reversed.balance, reversed.debt) == (100, 80, 0, 80))

        try script.paid(Fixture.order("o2", subtotal: "50.00", paidAt: refundedAt), at: refundedAt)
        #expect((script.ledger.balance, script.ledger.debt) == (0, 30))
        try script.paid(Fixture.order("o3", subtotal: "100.00", paidAt: refundedAt), at: refundedAt)
        #expect((script.ledger.balance, script.ledger.debt) == (70, 0))
        #expect(script.totals(at: refundedAt).pending == 70)
        #expect(script.kinds == [.earn, .redemption, .reversal, .earn, .debtSettlement, .earn, .debtSettlement])
        #expect(script.events(PointsEarned.self).map(\.debtSettled) == [0, 50, 30])
    }

    @Test("under the negative_balance policy the shortfall makes the balance negative")
    func negativeBalance() throws {
        var policy = Fixture.plainPolicy
        policy.debtPolicy = .negativeBalance
        var script = LedgerScript(policy: policy)
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.fireTimers(until: Fixture.start + .seconds(14 * 86_400))
        script.redeem(80, key: "k1", at: Fixture.start + .seconds(15 * 86_400))
        let refundedAt = Fixture.start + .seconds(16 * 86_400)
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "100.00"), at: refundedAt)
        #expect((script.ledger.balance, script.ledger.debt) == (-80, 80))
        try script.paid(Fixture.order("o2", subtotal: "50.00", paidAt: refundedAt), at: refundedAt)
        #expect((script.ledger.balance, script.ledger.debt) == (-30, 30))
        try script.paid(Fixture.order("o3", subtotal: "100.00", paidAt: refundedAt), at: refundedAt)
        #expect((script.ledger.balance, script.ledger.debt) == (70, 0))
        #expect(script.totals(at: refundedAt).pending == 70)
        #expect(!script.kinds.contains(.debtSettlement))
    }

    @Test("a refund's shortfall is taken from the customer's other points before it becomes debt")
    func shortfallFromOtherPoints() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        try script.fireTimers(until: Fixture.start + .seconds(14 * 86_400))
        let later = Fixture.start + .seconds(15 * 86_400)
        script.redeem(90, key: "k1", at: later)
        try script.paid(Fixture.order("o2", subtotal: "50.00", paidAt: later), at: later)
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "100.00"), at: later)
        #expect((script.ledger.balance, script.ledger.debt) == (0, 40))
        let reversal = try #require(script.ledger.entries.last)
        #expect(reversal.draws == [LedgerEntry.Draw(lot: 1, points: 10), LedgerEntry.Draw(lot: 3, points: 50)])
    }

    @Test("cancelling an unpaid order takes back nothing; a paid one is taken back by its refund")
    func cancellations() throws {
        var script = LedgerScript()
        try script.apply(.orderCancelled(OrderCancelled(orderID: "o9", cancelledAt: Fixture.start, wasPaid: false), cause: "c9"))
        #expect(script.ledger == PointsLedger(customer: Fixture.customer))
        try script.paid(Fixture.order("o1", subtotal: "40.00"))
        try script.apply(.orderCancelled(OrderCancelled(orderID: "o1", cancelledAt: Fixture.start, wasPaid: true), cause: "c1"))
        #expect(script.ledger.balance == 40)
        #expect(script.ledger.orders["o1"]?.cancelledAt == Fixture.start)
        try script.refunded(Fixture.refund("r1", of: "o1", goods: "40.00"))
        #expect(script.ledger.balance == 0)
        #expect(script.ledger.debt == 0)
    }

    @Test("a refund in another currency than its order is refused with a message")
    func currencyMismatch() throws {
        var script = LedgerScript()
        try script.paid(Fixture.order("o1", subtotal: "100.00"))
        let refund = OrderRefunded(
            refundID: "r1", orderID: "o1", amount: Fixture.money("100", Fixture.jpy),
            goodsAmount: Fixture.money("100", Fixture.jpy), refundedAt: Fixture.start)
        #expect(throws: RefundError.self) { try script.refunded(refund) }
    }
}

extension LedgerTotals {
    init(balance: Int64, pending: Int64, available: Int64, debt: Int64, expiring: Int64, expiries: [Expiry]) {
        self.init(ledger: PointsLedger(customer: "x"), at: Fixture.start, expiringWithin: .zero)
        self.balance = balance
        self.pending = pending
        self.available = available
        self.debt = debt
        self.expiring = expiring
        self.expiries = expiries
    }
}
