import Model

/// Why a refund cannot be applied to its order.
struct RefundError: Error, CustomStringConvertible {
    private enum Reason {
        case currencyMismatch(refund: String, order: String, refundCurrency: String, orderCurrency: String)
    }

    private let reason: Reason

    static func currencyMismatch(refundID: String, orderID: String, refund: CurrencyCode, order: CurrencyCode) -> RefundError {
        RefundError(reason: .currencyMismatch(refund: refundID, order: orderID, refundCurrency: refund.code, orderCurrency: order.code))
    }

    var description: String {
        switch reason {
        case .currencyMismatch(let refund, let order, let refundCurrency, let orderCurrency):
            "refund \(refund) of order \(order) is in \(refundCurrency) but the order was paid in \(orderCurrency); "
                + "the producer must report refunds in the order's currency"
        }
    }
}

extension LedgerChange {
    /// `order.refunded`: kept by refund id, so a redelivered refund is never taken back twice;
    /// applied at once if the order is paid, otherwise when `order.paid` arrives.
    mutating func orderRefunded(_ event: OrderRefunded) throws {
        var record = ledger.orders[event.orderID] ?? OrderRecord(orderID: event.orderID)
        guard record.refunds[event.refundID] == nil else { return }
        if let payment = record.payment, event.goodsAmount.currency != payment.subtotal.currency {
            throw RefundError.currencyMismatch(
                refundID: event.refundID, orderID: event.orderID,
                refund: event.goodsAmount.currency, order: payment.subtotal.currency)
        }
        record.refunds[event.refundID] = OrderRecord.Refund(
            cause: cause, goodsAmount: event.goodsAmount, lines: event.lines, refundedAt: event.refundedAt)
        ledger.orders[event.orderID] = record
        try applyRefunds(of: event.orderID)
    }

    /// Applies the order's refunds not applied yet, in the platform's refund order. Each takes
    /// back `floor(earned x refunded so far / subtotal)` minus what was already taken back, so
    /// partial refunds add up to exactly the order's points and the result does not depend on
    /// the order refunds arrive in. A full refund also takes back the order's repeat-purchase bonus.
    mutating func applyRefunds(of orderID: String) throws {
        guard let record = ledger.orders[orderID], let payment = record.payment else { return }
        let waiting = record.refunds.filter { !$0.value.applied }
            .sorted { ($0.value.refundedAt, $0.key) < ($1.value.refundedAt, $1.key) }
        for (refundID, refund) in waiting {
            ledger.orders[orderID]?.refunds[refundID]?.applied = true
            guard var current = ledger.orders[orderID] else { return }
            let refunded = current.refundedGoods(of: payment)
            let subtotal = payment.subtotal.minorUnits
            let target = subtotal > 0 ? Int64(Int128(payment.points) * Int128(min(refunded, subtotal)) / Int128(subtotal)) : 0
            let points = target - current.reversed
            current.reversed = max(current.reversed, target)
            let fullyRefunded = subtotal > 0 && refunded >= subtotal
            let revokeBonus = fullyRefunded && current.repeatBonusEntry != nil && !current.repeatBonusReversed
            if revokeBonus { current.repeatBonusReversed = true }
            ledger.orders[orderID] = current
            reverse(
                points: points, lot: payment.earnEntry, orderID: orderID, refundID: refundID,
                reason: "refund \(refundID)", cause: refund.cause)
            if revokeBonus, let bonus = current.repeatBonusEntry, let entry = ledger.entry(bonus) {
                reverse(
                    points: entry.points, lot: bonus, orderID: orderID, refundID: refundID,
                    reason: "repeat_purchase bonus of a fully refunded order", cause: refund.cause)
            }
        }
    }
}

extension OrderRecord {
    /// Goods refunded by the applied refunds, in minor units: each refund's goods amount, or
    /// when it gives none, its lines' amounts, or for a line without an amount the order line's
    /// total pro rata to the quantity returned. Refunds in another currency count nothing.
    func refundedGoods(of payment: Payment) -> Int64 {
        var total: Int64 = 0
        for refund in refunds.values where refund.applied && refund.goodsAmount.currency == payment.subtotal.currency {
            total += refund.goods(orderLines: payment.lines)
        }
        return total
    }
}

extension OrderRecord.Refund {
    func goods(orderLines: [OrderLine]) -> Int64 {
        if goodsAmount.minorUnits > 0 { return goodsAmount.minorUnits }
        var total: Int64 = 0
        for line in lines where line.amount.currency == goodsAmount.currency {
            if line.amount.minorUnits > 0 {
                total += line.amount.minorUnits
            } else if let ordered = orderLines.first(where: { $0.lineID == line.lineID }), ordered.quantity > 0 {
                let quantity = Int128(min(max(line.quantity, 0), ordered.quantity))
                total += Int64(Int128(ordered.total.minorUnits) * quantity / Int128(ordered.quantity))
            }
        }
        return max(total, 0)
    }
}
