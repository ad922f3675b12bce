import Model

extension LedgerChange {
    /// `order.paid`: earn on the goods subtotal (shipping and tax excluded) at the tier last
    /// heard, rounded down, pending through the return window. An order earns once however
    /// often it is delivered; refunds that arrived before it are applied now.
    mutating func orderPaid(_ event: OrderPaid) throws {
        let order = event.order
        var record = ledger.orders[order.orderID] ?? OrderRecord(orderID: order.orderID)
        guard record.payment == nil else { return }
        let tier = ledger.tier?.name ?? policy.defaultTier
        let points = policy.points(for: order.subtotal, multiplier: policy.multiplier(forTier: tier))
        record.payment = OrderRecord.Payment(
            earnEntry: nil, points: points, subtotal: order.subtotal, lines: order.lines,
            paidAt: event.paidAt, tier: tier)
        ledger.orders[order.orderID] = record
        let earned = credit(
            .earn, points: points, orderID: order.orderID, reason: "order",
            availableAt: event.paidAt + policy.returnWindow)
        ledger.orders[order.orderID]?.payment?.earnEntry = earned
        try applyRefunds(of: order.orderID)
        grantRepeatPurchaseBonuses()
        grantReferral(for: order, paidAt: event.paidAt)
    }

    /// `order.cancelled`: recorded on the order. A cancellation never takes points back by
    /// itself: an unpaid order earned nothing, and a paid one is also refunded, which arrives
    /// as its own `order.refunded` and takes back exactly what it refunds.
    mutating func orderCancelled(_ event: OrderCancelled) {
        guard ledger.orders[event.orderID] != nil, ledger.orders[event.orderID]?.cancelledAt == nil else { return }
        ledger.orders[event.orderID]?.cancelledAt = event.cancelledAt
    }

    /// `tier.changed`: the later `changedAt` wins, whatever the arrival order. It applies to
    /// orders paid from now on; points already earned keep their multiplier.
    mutating func tierChanged(_ event: TierChanged) {
        if let known = ledger.tier, known.changedAt >= event.changedAt { return }
        ledger.tier = PointsLedger.TierRecord(name: event.current, changedAt: event.changedAt)
    }
}
