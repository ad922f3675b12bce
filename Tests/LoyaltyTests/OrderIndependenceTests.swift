@testable import Loyalty
import Model
import PropertyBased
import Testing

/// One order of a generated history.
struct OrderPlan: Sendable, CustomStringConvertible {
    enum Fate: Sendable { case paid, cancelledUnpaid, cancelledAndRefunded }
    var subtotal: Int64
    /// Refunds as percentages of the subtotal, clamped so they never exceed it.
    var refundPercents: [Int]
    var day: Int
    var fate: Fate

    var description: String { "\(subtotal)@d\(day) \(fate) refunds \(refundPercents)" }

    static let generator = zip(
        Gen.int64(in: 1...50_000), Gen.int(in: 1...100).array(of: 0...3), Gen.int(in: 0...60), Gen.int(in: 0...9)
    ).map { subtotal, refunds, day, fate in
        OrderPlan(subtotal: subtotal, refundPercents: refunds, day: day,
                  fate: fate == 0 ? .cancelledUnpaid : fate == 1 ? .cancelledAndRefunded : .paid)
    }
}

/// A small deterministic generator for the arrival order, seeded by the property input.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Order independence")
struct OrderIndependenceTests {
    static var policy: PointsPolicy {
        var policy = Fixture.plainPolicy
        policy.bonuses.repeatPurchase = 50
        return policy
    }

    /// The customer's events in the order they happened.
    static func history(_ orders: [OrderPlan], compensations: [Int64]) -> [LedgerEvent] {
        var events: [LedgerEvent] = []
        for (index, plan) in orders.enumerated() {
            let id = "o\(index)"
            let paidAt = Fixture.start + .seconds(Int64(plan.day) * 86_400)
            let amount = Money(minorUnits: plan.subtotal, currency: Fixture.cny)
            if plan.fate == .cancelledUnpaid {
                events.append(.orderCancelled(OrderCancelled(orderID: id, cancelledAt: paidAt, wasPaid: false), cause: "cancel-\(id)"))
                continue
            }
            let paid = OrderPaid(
                order: OrderSummary(orderID: id, currency: Fixture.cny, total: amount, subtotal: amount,
                                    shipping: .zero(Fixture.cny), tax: .zero(Fixture.cny), placedAt: paidAt, updatedAt: paidAt),
                paidAt: paidAt)
            events.append(.orderPaid(paid, cause: "paid-\(id)"))
            var refunded: Int64 = 0
            var refunds = plan.refundPercents.map { plan.subtotal * Int64($0) / 100 }
            if plan.fate == .cancelledAndRefunded {
                events.append(.orderCancelled(OrderCancelled(orderID: id, cancelledAt: paidAt + .seconds(60), wasPaid: true), cause: "cancel-\(id)"))
                refunds.append(plan.subtotal)
            }
            for (number, wanted) in refunds.enumerated() {
                let goods = min(wanted, plan.subtotal - refunded)
                guard goods > 0 else { continue }
                refunded += goods
                let money = Money(minorUnits: goods, currency: Fixture.cny)
                let refund = OrderRefunded(
                    refundID: "\(id)-r\(number)", orderID: id, amount: money, goodsAmount: money,
                    refundedAt: paidAt + .seconds(Int64(number + 1) * 3600))
                events.append(.orderRefunded(refund, cause: "refund-\(id)-\(number)"))
            }
        }
        for (index, points) in compensations.enumerated() {
            let granted = ComplaintCompensated(complaintID: "c\(index)", points: points, grantedAt: Fixture.start)
            events.append(.compensated(granted, cause: "comp-\(index)"))
        }
        return events
    }

    static func apply(_ events: [LedgerEvent]) throws -> PointsLedger {
        let rules = LedgerRules(policy: policy)
        var ledger = PointsLedger(customer: Fixture.customer)
        for event in events {
            ledger = try rules.decide(ledger, event, now: Fixture.start + .seconds(100 * 86_400)).ledger
        }
        return ledger
    }

    static func totals(_ ledger: PointsLedger, day: Int64) -> LedgerTotals {
        LedgerTotals(ledger: ledger, at: Fixture.start + .seconds(day * 86_400), expiringWithin: policy.expiryWarning)
    }

    @Test("any interleaving and duplication of a customer's events gives the same totals")
    func anyArrivalOrder() async {
        await propertyCheck(
            count: 300,
            input: OrderPlan.generator.array(of: 1...6), Gen.int64(in: 1...500).array(of: 0...2), Gen.uint64()
        ) { orders, compensations, seed in
            let history = Self.history(orders, compensations: compensations)
            var random = SplitMix64(state: seed)
            var arrival = history.shuffled(using: &random)
            for event in history where Bool.random(using: &random) {
                arrival.insert(event, at: Int.random(in: 0...arrival.count, using: &random))
            }
            let inOrder = try Self.apply(history)
            let shuffled = try Self.apply(arrival)
            for day: Int64 in [0, 20, 40, 100] {
                #expect(Self.totals(shuffled, day: day) == Self.totals(inOrder, day: day), "day \(day)")
            }
            #expect(shuffled.orders.mapValues(\.reversed) == inOrder.orders.mapValues(\.reversed))
            #expect(inOrder.debt == 0)
            #expect(inOrder.balance >= 0)

            // Each paid order keeps exactly what was not refunded, pro rata, rounded down once.
            let kept = inOrder.orders.values.compactMap { record -> Int64? in
                guard let payment = record.payment else { return nil }
                let refunded = record.refundedGoods(of: payment)
                return payment.points - payment.points * min(refunded, payment.subtotal.minorUnits) / payment.subtotal.minorUnits
            }.reduce(0, +)
            let bonuses = inOrder.entries.filter { $0.kind == .bonus }.reduce(0) { $0 + $1.points }
            let revoked = inOrder.entries.filter { $0.kind == .reversal && $0.reason?.hasPrefix("repeat_purchase") == true }
                .reduce(0) { $0 + $1.points }
            #expect(inOrder.balance == kept + bonuses + revoked)
        }
    }
}
