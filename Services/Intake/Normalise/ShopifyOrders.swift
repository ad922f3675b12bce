import Foundation
import Model
import ServiceSupport

/// Shopify orders and refunds as order events.
///
/// Which event an order delivery becomes depends on the order's state, not only on the topic,
/// and its id on the order and that state (`...:order:<id>:paid`): `orders/create` of an order
/// paid at checkout, `orders/paid` and every later `orders/updated` of that paid order all give
/// the same `order.paid` id, so consumers count the purchase once whichever arrives first.
enum ShopifyOrders {
    /// Financial states in which the customer has paid (refunds come as their own events).
    static let paidStates: Set<String> = ["paid", "partially_refunded", "refunded"]

    static func normalise(topic: String, body: Data, context: DeliveryContext) throws -> Normalised {
        let order = try PlatformJSON.decode(ShopifyPayload.Order.self, from: body)
        let orderID = order.id.text
        let (customer, guest) = CustomerIdentity.owner(
            source: context.source, store: context.store, accountID: order.customer?.id?.text,
            email: order.email ?? order.contactEmail, orderID: orderID)
        let summary = try summary(of: order, guest: guest, body: body)
        let paid = paidStates.contains(order.financialStatus ?? "")

        func event(_ state: String, _ event: any DomainEvent) -> Normalised {
            context.order(orderID, reached: state, by: customer, at: summary.updatedAt, event)
        }

        if topic == "orders/cancelled" || order.cancelledAt != nil {
            let cancelledAt = try PlatformJSON.optionalTime(order.cancelledAt, field: "cancelled_at") ?? summary.updatedAt
            return event("cancelled", OrderCancelled(
                orderID: orderID, cancelledAt: cancelledAt, wasPaid: paid, reason: order.cancelReason))
        }
        if topic == "orders/paid" || paid {
            return event("paid", OrderPaid(order: summary, paidAt: summary.updatedAt))
        }
        return event("placed", OrderPlaced(order: summary))
    }

    /// Amounts in the shop's currency. The subtotal (the base for points) is goods after
    /// discounts without shipping and tax: `current_subtotal_price`, which reflects order edits,
    /// else `subtotal_price`.
    static func summary(of order: ShopifyPayload.Order, guest: Bool, body: Data) throws -> OrderSummary {
        let currency = try PlatformJSON.currency(order.currency)
        let updatedAt = try PlatformJSON.time(order.updatedAt ?? order.createdAt, field: "updated_at")
        let placedAt = try PlatformJSON.optionalTime(order.processedAt, field: "processed_at")
            ?? PlatformJSON.optionalTime(order.createdAt, field: "created_at") ?? updatedAt
        let shipping: Money
        if let amount = order.totalShippingPriceSet?.shopMoney?.amount {
            shipping = try PlatformJSON.money(amount, currency, field: "total_shipping_price_set.shop_money.amount")
        } else {
            let fallback = try PlatformJSON.decode(ShopifyPayload.ShippingLines.self, from: body)
            shipping = try Amounts.sum(
                (fallback.shippingLines ?? []).enumerated().map { index, line in
                    try PlatformJSON.money(orZero: line.discountedPrice ?? line.price, currency, field: "shipping_lines[\(index)].price")
                }, currency: currency, field: "shipping_lines")
        }
        let lines = try (order.lineItems ?? []).enumerated().map { index, item in
            try line(item, currency: currency, field: "line_items[\(index)]")
        }
        return OrderSummary(
            orderID: order.id.text,
            orderNumber: order.name,
            currency: currency,
            total: try PlatformJSON.money(order.currentTotalPrice ?? order.totalPrice, currency, field: "total_price"),
            subtotal: try PlatformJSON.money(order.currentSubtotalPrice ?? order.subtotalPrice, currency, field: "subtotal_price"),
            shipping: shipping,
            tax: try PlatformJSON.money(orZero: order.currentTotalTax ?? order.totalTax, currency, field: "total_tax"),
            lines: lines,
            placedAt: placedAt,
            updatedAt: updatedAt,
            discountCodes: (order.discountCodes ?? []).compactMap { $0.code.nonBlank },
            guest: guest)
    }

    /// A line's total is price times quantity less the discounts allocated to it (or, from older
    /// payloads without allocations, its `total_discount`).
    private static func line(_ item: ShopifyPayload.LineItem, currency: CurrencyCode, field: String) throws -> OrderLine {
        guard item.quantity >= 0 else { throw Problem.badRequest("the quantity at \(field).quantity is negative") }
        let unitPrice = try PlatformJSON.money(item.price, currency, field: "\(field).price")
        let gross = try Amounts.times(unitPrice, item.quantity, field: "\(field).price")
        let discount: Money
        if let allocations = item.discountAllocations, !allocations.isEmpty {
            discount = try Amounts.sum(
                allocations.enumerated().map { index, allocation in
                    try PlatformJSON.money(orZero: allocation.amount, currency, field: "\(field).discount_allocations[\(index)].amount")
                }, currency: currency, field: "\(field).discount_allocations")
        } else {
            discount = try PlatformJSON.money(orZero: item.totalDiscount, currency, field: "\(field).total_discount")
        }
        return OrderLine(
            lineID: item.id.text,
            productID: item.productId?.text,
            sku: item.sku.nonBlank,
            quantity: item.quantity,
            unitPrice: unitPrice,
            total: try Amounts.minus(gross, discount, field: "\(field).discount_allocations"))
    }

    /// `refunds/create`: the money returned is the sum of its successful `refund` transactions;
    /// the goods part is the sum of the refunded lines' subtotals (no shipping, no tax), in the
    /// transactions' currency, and never more than the money returned. The payload names only
    /// the order, so the event goes to the order's customer through the order index.
    static func refund(body: Data, context: DeliveryContext) throws -> Normalised {
        let refund = try PlatformJSON.decode(ShopifyPayload.Refund.self, from: body)
        let transactions = (refund.transactions ?? []).filter { transaction in
            transaction.kind == "refund" && !["failure", "error"].contains(transaction.status ?? "success")
        }
        guard let currencyCode = transactions.first?.currency else {
            return .ignored(reason: "the refund returned no money")
        }
        let currency = try PlatformJSON.currency(currencyCode, field: "transactions[0].currency")
        let amount = try Amounts.sum(
            transactions.enumerated().map { index, transaction in
                guard transaction.currency == currencyCode else {
                    throw Problem.badRequest("the refund's transactions are in more than one currency")
                }
                return try PlatformJSON.money(transaction.amount, currency, field: "transactions[\(index)].amount")
            }, currency: currency, field: "transactions")
        guard amount.minorUnits > 0 else { return .ignored(reason: "the refund returned no money") }

        let lines = try (refund.refundLineItems ?? []).enumerated().map { index, item in
            let set = item.subtotalSet
            // The lines' amounts in the currency the money went back in (shop or presentment).
            let money = [set?.shopMoney, set?.presentmentMoney].compactMap { $0 }
                .first { $0.currencyCode == currency.code }
            let subtotal = try PlatformJSON.money(orZero: money?.amount, currency, field: "refund_line_items[\(index)].subtotal_set")
            return RefundLine(lineID: item.lineItemId.text, quantity: item.quantity, amount: subtotal)
        }
        let goods = try Amounts.sum(lines.map(\.amount), currency: currency, field: "refund_line_items")
        let refundedAt = try PlatformJSON.optionalTime(refund.processedAt, field: "processed_at")
            ?? PlatformJSON.time(refund.createdAt, field: "created_at")
        let orderID = refund.orderId.text
        return .event(IntakeEvent(
            id: context.eventID("refund", refund.id.text),
            destination: .orderOwner(context.order(orderID)),
            occurred: refundedAt,
            source: context.source,
            event: OrderRefunded(
                refundID: refund.id.text, orderID: orderID, amount: amount,
                goodsAmount: Amounts.minimum(goods, amount), lines: lines, refundedAt: refundedAt)))
    }
}
