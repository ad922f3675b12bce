import Foundation
import Model
import ServiceSupport

/// Events from a Standard Webhooks sender, in Rapport's own contract (``StandardPayload``):
/// `customer.upserted`, `customer.deleted`, `order.placed`, `order.paid`, `order.refunded`,
/// `order.cancelled`. The store is `data.store`, or `default` for a sender with one store.
enum StandardWebhooksNormaliser {
    static let defaultStore = "default"

    /// The payload's event type and the context with its store, or a 400.
    static func normalise(body: Data, context: DeliveryContext) throws -> Normalised {
        let envelope = try PlatformJSON.decode(StandardPayload.Envelope.self, from: body)
        var context = context
        if let sent = try PlatformJSON.optionalTime(envelope.timestamp, field: "timestamp") {
            context.platformTime = sent
        }
        switch envelope.type {
        case "customer.upserted":
            let customer = try PlatformJSON.decode(StandardPayload.Typed<StandardPayload.Customer>.self, from: body).data
            return try upsert(customer, context: context.in(store: customer.store))
        case "customer.deleted":
            let deleted = try PlatformJSON.decode(StandardPayload.Typed<StandardPayload.DeletedCustomer>.self, from: body).data
            let context = try context.in(store: deleted.store)
            let deletedAt = try PlatformJSON.optionalTime(deleted.deletedAt, field: "data.deleted_at") ?? context.platformTime ?? context.now
            return context.deleted(customer: deleted.id.text, at: deletedAt)
        case "order.placed", "order.paid":
            let order = try PlatformJSON.decode(StandardPayload.Typed<StandardPayload.Order>.self, from: body).data
            return try self.order(order, paid: envelope.type == "order.paid", context: context.in(store: order.store))
        case "order.refunded":
            let refund = try PlatformJSON.decode(StandardPayload.Typed<StandardPayload.Refund>.self, from: body).data
            return try self.refund(refund, context: context.in(store: refund.store))
        case "order.cancelled":
            let cancellation = try PlatformJSON.decode(StandardPayload.Typed<StandardPayload.Cancellation>.self, from: body).data
            let context = try context.in(store: cancellation.store)
            let orderID = cancellation.orderId.text
            let cancelledAt = try PlatformJSON.time(cancellation.cancelledAt, field: "data.cancelled_at")
            return .event(IntakeEvent(
                id: context.eventID("order", orderID, "cancelled"),
                destination: destination(customerID: cancellation.customerId, email: cancellation.email, orderID: orderID, context: context),
                occurred: cancelledAt, source: context.source,
                event: OrderCancelled(
                    orderID: orderID, cancelledAt: cancelledAt, wasPaid: cancellation.wasPaid ?? false, reason: cancellation.reason)))
        default:
            return .unknownTopic(envelope.type)
        }
    }

    private static func upsert(_ customer: StandardPayload.Customer, context: DeliveryContext) throws -> Normalised {
        let createdAt = try PlatformJSON.optionalTime(customer.createdAt, field: "data.created_at")
        guard let updatedAt = try PlatformJSON.optionalTime(customer.updatedAt, field: "data.updated_at")
            ?? context.platformTime ?? createdAt
        else { throw Problem.badRequest("the payload has no time at data.updated_at") }
        var kind = CustomerKind.individual
        if let named = customer.kind {
            guard let known = CustomerKind(rawValue: named) else {
                throw Problem.badRequest("data.kind must be individual, enterprise or dealer")
            }
            kind = known
        }
        var personal = PersonalFields()
        personal.set("email", customer.email)
        personal.set("phone", customer.phone)
        personal.set("first_name", customer.firstName)
        personal.set("last_name", customer.lastName)
        personal.set("birthday", customer.birthday)
        personal.set("address", customer.address)
        let event = CustomerUpserted(
            externalID: customer.id.text, kind: kind, personal: personal.values, language: customer.language,
            timeZone: customer.timeZone,
            consent: ChannelConsent(emailMarketing: customer.emailMarketing, smsMarketing: customer.smsMarketing),
            tags: customer.tags ?? [], createdAt: createdAt, updatedAt: updatedAt)
        return context.upserted(event)
    }

    private static func order(_ order: StandardPayload.Order, paid: Bool, context: DeliveryContext) throws -> Normalised {
        let currency = try PlatformJSON.currency(order.currency, field: "data.currency")
        let orderID = order.id.text
        let (customer, guest) = CustomerIdentity.owner(
            source: context.source, store: context.store, accountID: order.customerId?.text, email: order.email, orderID: orderID)
        let placedAt = try PlatformJSON.time(order.placedAt, field: "data.placed_at")
        let updatedAt = try PlatformJSON.optionalTime(order.updatedAt, field: "data.updated_at") ?? placedAt
        let lines = try (order.lines ?? []).enumerated().map { index, line in
            let field = "data.lines[\(index)]"
            guard line.quantity >= 0 else { throw Problem.badRequest("the quantity at \(field).quantity is negative") }
            let unitPrice = try PlatformJSON.money(line.unitPrice, currency, field: "\(field).unit_price")
            let total = try line.total.map { try PlatformJSON.money($0, currency, field: "\(field).total") }
                ?? Amounts.times(unitPrice, line.quantity, field: "\(field).unit_price")
            return OrderLine(
                lineID: line.id.text, productID: line.productId?.text, sku: line.sku.nonBlank, quantity: line.quantity,
                unitPrice: unitPrice, total: total)
        }
        let summary = OrderSummary(
            orderID: orderID, orderNumber: order.number, currency: currency,
            total: try PlatformJSON.money(order.total, currency, field: "data.total"),
            subtotal: try PlatformJSON.money(order.subtotal, currency, field: "data.subtotal"),
            shipping: try PlatformJSON.money(orZero: order.shipping, currency, field: "data.shipping"),
            tax: try PlatformJSON.money(orZero: order.tax, currency, field: "data.tax"),
            lines: lines, placedAt: placedAt, updatedAt: updatedAt, discountCodes: order.discountCodes ?? [], guest: guest)
        let event: any DomainEvent =
            paid
            ? OrderPaid(order: summary, paidAt: try PlatformJSON.optionalTime(order.paidAt, field: "data.paid_at") ?? updatedAt)
            : OrderPlaced(order: summary)
        return context.order(orderID, reached: paid ? "paid" : "placed", by: customer, at: updatedAt, event)
    }

    private static func refund(_ refund: StandardPayload.Refund, context: DeliveryContext) throws -> Normalised {
        let currency = try PlatformJSON.currency(refund.currency, field: "data.currency")
        let amount = try PlatformJSON.money(refund.amount, currency, field: "data.amount")
        let goods = try refund.goodsAmount.map { try PlatformJSON.money($0, currency, field: "data.goods_amount") } ?? amount
        let lines = try (refund.lines ?? []).enumerated().map { index, line in
            RefundLine(
                lineID: line.id.text, quantity: line.quantity,
                amount: try PlatformJSON.money(line.amount, currency, field: "data.lines[\(index)].amount"))
        }
        let refundedAt = try PlatformJSON.time(refund.refundedAt, field: "data.refunded_at")
        let orderID = refund.orderId.text
        return .event(IntakeEvent(
            id: context.eventID("refund", refund.id.text),
            destination: destination(customerID: refund.customerId, email: refund.email, orderID: orderID, context: context),
            occurred: refundedAt, source: context.source,
            event: OrderRefunded(
                refundID: refund.id.text, orderID: orderID, amount: amount, goodsAmount: Amounts.minimum(goods, amount),
                lines: lines, refundedAt: refundedAt, reason: refund.reason)))
    }

    /// The customer the sender names, the guest by e-mail, or else the order's owner by the index.
    private static func destination(
        customerID: PlatformID?, email: String?, orderID: String, context: DeliveryContext
    ) -> IntakeEvent.Destination {
        if customerID != nil || email.nonBlank != nil {
            return .customer(CustomerIdentity.owner(
                source: context.source, store: context.store, accountID: customerID?.text, email: email, orderID: orderID).0)
        }
        return .orderOwner(context.order(orderID))
    }
}

extension DeliveryContext {
    /// This context for the store a Standard Webhooks payload names (host-name characters only,
    /// since the store becomes part of customer ids and keys).
    func `in`(store: String?) throws -> DeliveryContext {
        guard let store else { return self }
        let lowered = store.lowercased()
        guard StoreName.isValid(lowered) else {
            throw Problem.badRequest("data.store may hold only letters, digits, '.' and '-'")
        }
        var context = self
        context.store = lowered
        return context
    }
}
