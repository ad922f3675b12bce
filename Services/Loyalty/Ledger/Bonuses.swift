import Model

extension LedgerChange {
    /// `complaint.compensated`: the points a complaint resolution granted, once per complaint.
    mutating func compensated(_ event: ComplaintCompensated) {
        guard ledger.compensations[event.complaintID] == nil, event.points > 0 else { return }
        let entry = credit(.bonus, points: event.points, reason: "compensation")
        ledger.compensations[event.complaintID] = entry
    }

    /// Repeat purchase: an order paid within the window after the customer's previous paid
    /// order earns a bonus, once. Orders may arrive in any order, so every paid order is looked
    /// at again: an earlier order arriving late makes its successor's bonus due now. An order
    /// already fully refunded earns none (one refunded later gives it back, see refunds).
    mutating func grantRepeatPurchaseBonuses() {
        let bonus = policy.bonuses.repeatPurchase
        guard bonus > 0 else { return }
        let paid = ledger.orders.values
            .compactMap { record in record.payment.map { (record.orderID, $0) } }
            .filter { $0.1.points > 0 }
            .sorted { ($0.1.paidAt, $0.0) < ($1.1.paidAt, $1.0) }
        for index in paid.indices.dropFirst() {
            let (orderID, payment) = paid[index]
            guard let record = ledger.orders[orderID], record.repeatBonusEntry == nil,
                payment.paidAt - paid[index - 1].1.paidAt <= policy.bonuses.repeatPurchaseWindow,
                record.refundedGoods(of: payment) < payment.subtotal.minorUnits
            else { continue }
            let entry = credit(.bonus, points: bonus, orderID: orderID, reason: "repeat_purchase")
            ledger.orders[orderID]?.repeatBonusEntry = entry
        }
    }

    /// Referral: the first paid order carrying a referral code (`<prefix><referrer's platform
    /// id>`, same platform and store) earns the new customer a bonus and sends the referrer
    /// theirs, once per referred customer.
    mutating func grantReferral(for order: OrderSummary, paidAt: Timestamp) {
        let bonuses = policy.bonuses
        guard ledger.referral == nil, bonuses.referralNewCustomer > 0 || bonuses.referralReferrer > 0,
            let referrer = referrer(in: order.discountCodes)
        else { return }
        let entry = credit(.bonus, points: bonuses.referralNewCustomer, orderID: order.orderID, reason: "referral")
        ledger.referral = PointsLedger.ReferralRecord(referrer: referrer, orderID: order.orderID, bonusEntry: entry)
        if bonuses.referralReferrer > 0 {
            decision.relays.append(RelayMessage(
                customer: referrer, suffix: "referral-credit",
                credit: ReferralCredit(
                    referredCustomer: ledger.customer, orderID: order.orderID,
                    points: bonuses.referralReferrer, paidAt: paidAt)))
        }
    }

    /// The referrer named by the first referral code among `codes`; never the customer itself.
    private func referrer(in codes: [String]) -> String? {
        guard let own = try? CustomerID.parse(ledger.customer) else { return nil }
        let prefix = policy.bonuses.referralCodePrefix.lowercased()
        guard !prefix.isEmpty else { return nil }
        for code in codes where code.lowercased().hasPrefix(prefix) {
            let external = String(code.dropFirst(prefix.count))
            guard !external.isEmpty else { continue }
            let referrer = CustomerID(source: own.source, store: own.store, externalID: external).description
            if referrer != ledger.customer { return referrer }
        }
        return nil
    }

    /// `loyalty.referral_credit`: the referrer's bonus, once per referred customer.
    mutating func referralCredited(_ event: ReferralCredit) {
        guard ledger.referralsCredited[event.referredCustomer] == nil, event.points > 0 else { return }
        let entry = credit(.bonus, points: event.points, reason: "referral_referrer")
        ledger.referralsCredited[event.referredCustomer] = entry
    }
}
