import Foundation
import Model
import ServiceSupport

/// WooCommerce orders as order events. WooCommerce has one topic per change of any kind, so the
/// order's `status` decides the event: `processing`/`completed` paid (with a partial refund per
/// refund record the order lists), `refunded` a full refund,
/// `cancelled`/`failed` cancelled, `pending`/`on-hold` placed; `order.deleted` cancels and
/// `order.restored` is judged by the restored order's status again.
enum WooCommerceOrders {
    static func normalise(topic: String, body: Data, context: DeliveryContext) throws -> Normalised {
        if topic == "order.deleted" { return try deleted(body: body, context: context) }
        let order = try PlatformJSON.decode(WooCommercePayload.Order.self, from: body)
        let orderID = order.id.text
        let account = order.customerId.flatMap { $0.isZero ? nil : $0.text }
        let (customer, guest) = CustomerIdentity.owner(
            source: context.source, store: context.store, accountID: account, email: order.billing?.email, orderID: orderID)
        let summary = try summary(of: order, guest: guest)

        func event(_ state: String, _ event: any DomainEvent) -> Normalised {
            context.order(orderID, reached: state, by: customer, at: summary.updatedAt, event)
        }

        switch order.status ?? "" {
        case "processing", "completed":
            let paidAt = try PlatformJSON.optionalTime(order.datePaidGmt, field: "date_paid_gmt") ?? summary.updatedAt
            let paid = event("paid", OrderPaid(order: summary, paidAt: paidAt))
            guard case .event(let paidEvent) = paid, let refunds = order.refunds, !refunds.isEmpty else { return paid }
            return .events([paidEvent] + (try partialRefunds(refunds, of: summary, by: customer, context: context)))
        case "pending", "on-hold":
            return event("placed", OrderPlaced(order: summary))
        case "cancelled", "failed":
            let wasPaid = order.datePaidGmt.nonBlank != nil
            return event("cancelled", OrderCancelled(
                orderID: orderID, cancelledAt: summary.updatedAt, wasPaid: wasPaid, reason: order.status))
        case "refunded":
            return event("refunded", try fullRefund(of: order, summary: summary))
        default:
            return .ignored(reason: "order status has no Rapport event")
        }
    }

    /// A fully refunded order: the money is what its refunds returned (the order total when the
    /// status was set by hand without refund records), every line goes back, and the refund id
    /// names the refund records it sums up.
    private static func fullRefund(of order: WooCommercePayload.Order, summary: OrderSummary) throws -> OrderRefunded {
        let refunds = order.refunds ?? []
        var amount = summary.total
        if !refunds.isEmpty {
            let returned = try refunds.enumerated().map { index, refund in
                try PlatformJSON.money(refund.total, summary.currency, field: "refunds[\(index)].total")
            }
            let sum = try Amounts.sum(returned, currency: summary.currency, field: "refunds")
            guard sum.minorUnits != .min else { throw Problem.badRequest("the amounts at refunds are out of range") }
            amount = Money(minorUnits: abs(sum.minorUnits), currency: sum.currency)
        }
        let refundID = refunds.isEmpty ? "order-\(summary.orderID)" : refunds.map(\.id.text).sorted().joined(separator: "+")
        return OrderRefunded(
            refundID: refundID, orderID: summary.orderID, amount: amount,
            goodsAmount: Amounts.minimum(summary.subtotal, amount),
            lines: summary.lines.map { RefundLine(lineID: $0.lineID, quantity: $0.quantity, amount: $0.total) },
            refundedAt: summary.updatedAt)
    }

    /// The refund records of an order that is still paid: each a partial `order.refunded` named
    /// by its refund id, so every delivery listing it gives the same event. WooCommerce's order
    /// carries neither lines nor a time per refund: the amount counts as goods up to the order's
    /// subtotal, at the order's modification time. When the order later becomes `refunded`, its
    /// full refund sums the same records; loyalty caps what it takes back at the order's points
    /// and classification the refunded total at the order's, so nothing is counted twice.
    private static func partialRefunds(
        _ refunds: [WooCommercePayload.Refund], of summary: OrderSummary, by customer: CustomerID, context: DeliveryContext
    ) throws -> [IntakeEvent] {
        try refunds.enumerated().compactMap { index, refund in
            let total = try PlatformJSON.money(refund.total, summary.currency, field: "refunds[\(index)].total")
            guard total.minorUnits != 0, total.minorUnits != .min else { return nil }
            let amount = Money(minorUnits: abs(total.minorUnits), currency: total.currency)
            return IntakeEvent(
                id: context.eventID("refund", refund.id.text), destination: .customer(customer), occurred: summary.updatedAt,
                source: context.source,
                event: OrderRefunded(
                    refundID: refund.id.text, orderID: summary.orderID, amount: amount,
                    goodsAmount: Amounts.minimum(summary.subtotal, amount), lines: [], refundedAt: summary.updatedAt))
        }
    }

    /// `order.deleted` carries only the id: a cancellation of an order found through the index,
    /// at arrival time since WooCommerce states none.
    private static func deleted(body: Data, context: DeliveryContext) throws -> Normalised {
        let resource = try PlatformJSON.decode(WooCommercePayload.Resource.self, from: body)
        let orderID = resource.id.text
        return .event(IntakeEvent(
            id: context.eventID("order", orderID, "cancelled"), destination: .orderOwner(context.order(orderID)),
            occurred: context.now, source: context.source,
            event: OrderCancelled(orderID: orderID, cancelledAt: context.now, wasPaid: false, reason: "deleted")))
    }

    /// WooCommerce has no order subtotal field: goods after discounts without tax is the sum of
    /// the lines' `total`. A unit price is the line's `subtotal` over its quantity, since the
    /// `price` field is a binary float.
    static func summary(of order: WooCommercePayload.Order, guest: Bool) throws -> OrderSummary {
        let currency = try PlatformJSON.currency(order.currency)
        let placedAt = try PlatformJSON.time(order.dateCreatedGmt, field: "date_created_gmt")
        let updatedAt = try PlatformJSON.optionalTime(order.dateModifiedGmt, field: "date_modified_gmt") ?? placedAt
        let lines = try (order.lineItems ?? []).enumerated().map { index, item in
            let field = "line_items[\(index)]"
            guard item.quantity >= 0 else { throw Problem.badRequest("the quantity at \(field).quantity is negative") }
            let total = try PlatformJSON.money(item.total, currency, field: "\(field).total")
            let before = try PlatformJSON.money(orZero: item.subtotal ?? item.total, currency, field: "\(field).subtotal")
            return OrderLine(
                lineID: item.id.text, productID: item.productId.flatMap { $0.isZero ? nil : $0.text },
                sku: item.sku.nonBlank, quantity: item.quantity,
                unitPrice: Amounts.share(before, over: item.quantity), total: total)
        }
        return OrderSummary(
            orderID: order.id.text,
            orderNumber: order.number,
            currency: currency,
            total: try PlatformJSON.money(order.total, currency, field: "total"),
            subtotal: try Amounts.sum(lines.map(\.total), currency: currency, field: "line_items"),
            shipping: try PlatformJSON.money(orZero: order.shippingTotal, currency, field: "shipping_total"),
            tax: try PlatformJSON.money(orZero: order.totalTax, currency, field: "total_tax"),
            lines: lines,
            placedAt: placedAt,
            updatedAt: updatedAt,
            discountCodes: (order.couponLines ?? []).compactMap { $0.code.nonBlank },
            guest: guest)
    }
}
