import Model

/// Everything classification keeps about one customer, stored as one JSON value.
///
/// The facts (`attributes`, `orders`, `complaints`) are what the events said, merged so that
/// any order of arrival and any number of repeats give the same facts. The standings (`tier`,
/// `rfm`, `churn`) are decisions taken from those facts at evaluation times; figures such as
/// spend in the window are never stored but derived from the facts when needed.
struct CustomerProfile: Sendable, Hashable, Codable {
    var customer: String
    var attributes: CustomerAttributes?
    /// Order id to what is known about the order.
    var orders: [String: OrderFacts] = [:]
    /// Complaint id to what is known about the complaint.
    var complaints: [String: ComplaintFacts] = [:]
    var tier: TierStanding?
    var rfm: RFMStanding?
    var churn: ChurnStanding?

    init(customer: String) {
        self.customer = customer
    }

    /// The facts alone, which must not depend on the order events arrived in.
    var facts: Facts { Facts(attributes: attributes, orders: orders, complaints: complaints) }

    struct Facts: Sendable, Hashable {
        var attributes: CustomerAttributes?
        var orders: [String: OrderFacts]
        var complaints: [String: ComplaintFacts]
    }

    func figures(at now: Timestamp, windowMonths: Int) -> ProfileFigures {
        ProfileFigures(orders: orders, at: now, windowMonths: windowMonths)
    }
}

// MARK: - Absorbing facts

extension CustomerProfile {
    mutating func absorb(_ event: CustomerUpserted, eventID: String) {
        let incoming = CustomerAttributes(event, eventID: eventID)
        if let known = attributes, !incoming.outranks(known) { return }
        attributes = incoming
    }

    mutating func absorb(order id: String, _ facts: OrderFacts) {
        orders[id, default: OrderFacts()].merge(facts)
    }

    mutating func absorb(_ event: OrderPlaced) {
        absorb(order: event.order.orderID, OrderFacts(summary: OrderAmounts(event.order)))
    }

    mutating func absorb(_ event: OrderPaid) {
        absorb(order: event.order.orderID, OrderFacts(summary: OrderAmounts(event.order), paidAt: event.paidAt))
    }

    mutating func absorb(_ event: OrderRefunded) {
        absorb(order: event.orderID, OrderFacts(refunds: [
            event.refundID: RefundAmount(minorUnits: event.amount.minorUnits, currency: event.amount.currency),
        ]))
    }

    mutating func absorb(_ event: OrderCancelled) {
        absorb(order: event.orderID, OrderFacts(cancelledAt: event.cancelledAt))
    }

    mutating func absorb(complaint id: String, _ facts: ComplaintFacts) {
        complaints[id, default: ComplaintFacts()].merge(facts)
    }
}

// MARK: - Audit

extension CustomerProfile {
    /// Names of what changed from `old`, for the audit trail: field names, never values.
    /// Score drift that crosses no threshold is not a change worth recording; a churn alert is.
    func changedFields(from old: CustomerProfile?) -> [String] {
        var fields = (attributes?.changedFields(from: old?.attributes)) ?? []
        if orders != (old?.orders ?? [:]) { fields.append("orders") }
        if complaints != (old?.complaints ?? [:]) { fields.append("complaints") }
        if tier?.current != old?.tier?.current { fields.append("tier") }
        if tier?.floor != old?.tier?.floor { fields.append("tier_floor") }
        if rfm?.segment != old?.rfm?.segment { fields.append("segment") }
        if (churn?.alerted ?? false) != (old?.churn?.alerted ?? false) { fields.append("churn_risk") }
        return fields
    }
}
