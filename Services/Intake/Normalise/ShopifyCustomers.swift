import Foundation
import Model
import ServiceSupport

/// Shopify customers and the mandatory compliance topics as customer events.
enum ShopifyCustomers {
    /// `customers/create` and `customers/update`.
    static func upsert(body: Data, context: DeliveryContext) throws -> Normalised {
        let customer = try PlatformJSON.decode(ShopifyPayload.Customer.self, from: body)
        let createdAt = try PlatformJSON.optionalTime(customer.createdAt, field: "created_at")
        guard let updatedAt = try PlatformJSON.optionalTime(customer.updatedAt, field: "updated_at")
            ?? createdAt ?? context.platformTime
        else { throw Problem.badRequest("the payload has no time at updated_at") }
        var personal = PersonalFields()
        personal.set("email", customer.email)
        personal.set("phone", customer.phone)
        personal.set("first_name", customer.firstName)
        personal.set("last_name", customer.lastName)
        if let address = customer.defaultAddress { personal.setAddress(address.parts) }
        let tags = (customer.tags ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let event = CustomerUpserted(
            externalID: customer.id.text,
            kind: CustomerKindTags.kind(of: tags),
            personal: personal.values,
            consent: ChannelConsent(
                emailMarketing: customer.emailMarketingConsent?.granted ?? customer.acceptsMarketing,
                smsMarketing: customer.smsMarketingConsent?.granted),
            tags: tags,
            createdAt: createdAt,
            updatedAt: updatedAt)
        return context.upserted(event)
    }

    /// `customers/delete`: the payload has no time, so the event time is when Shopify fired it.
    static func delete(body: Data, context: DeliveryContext) throws -> Normalised {
        let customer = try PlatformJSON.decode(ShopifyPayload.DeletedCustomer.self, from: body)
        return context.deleted(customer: customer.id.text, at: context.platformTime ?? context.now)
    }

    /// `customers/redact`: erase one customer everywhere; keyed by the delivery, since the
    /// same customer may be redacted again after new data arrived.
    static func redact(body: Data, context: DeliveryContext) throws -> Normalised {
        let request = try PlatformJSON.decode(ShopifyPayload.Compliance.self, from: body)
        guard let customerID = request.customer?.id?.text else {
            throw Problem.badRequest("the payload has no customer.id")
        }
        let requestedAt = context.platformTime ?? context.now
        return .event(IntakeEvent(
            id: context.eventID("customer", customerID, "redact", context.deliveryID),
            destination: .customer(context.customer(customerID)),
            occurred: requestedAt, source: context.source,
            event: CustomerRedacted(orderIDs: (request.ordersToRedact ?? []).map(\.text), requestedAt: requestedAt)))
    }

    /// `customers/data_request`: each service writes its part of the export named by the
    /// request id.
    static func dataRequest(body: Data, context: DeliveryContext) throws -> Normalised {
        let request = try PlatformJSON.decode(ShopifyPayload.Compliance.self, from: body)
        guard let customerID = request.customer?.id?.text else {
            throw Problem.badRequest("the payload has no customer.id")
        }
        let requestID = request.dataRequest?.id.text ?? context.deliveryID
        let requestedAt = context.platformTime ?? context.now
        return .event(IntakeEvent(
            id: context.eventID("data_request", requestID),
            destination: .customer(context.customer(customerID)),
            occurred: requestedAt, source: context.source,
            event: CustomerDataRequested(
                requestID: requestID, orderIDs: (request.ordersRequested ?? []).map(\.text), requestedAt: requestedAt)))
    }

    /// `shop/redact`: the whole store, in every partition. The store is the verified delivery's
    /// shop domain; the body's `shop_domain`, when present, must agree.
    static func shopRedact(body: Data, context: DeliveryContext) throws -> Normalised {
        let request = try PlatformJSON.decode(ShopifyPayload.Compliance.self, from: body)
        if let domain = request.shopDomain, domain.lowercased() != context.store {
            throw Problem.badRequest("shop_domain in the body differs from X-Shopify-Shop-Domain")
        }
        let requestedAt = context.platformTime ?? context.now
        return .event(IntakeEvent(
            id: context.eventID("shop_redact", context.deliveryID),
            destination: .everyPartition,
            occurred: requestedAt, source: context.source,
            event: ShopRedacted(source: context.source, store: context.store, requestedAt: requestedAt)))
    }
}

/// Shopify's topics and where each goes.
enum ShopifyNormaliser {
    static func normalise(topic: String, body: Data, context: DeliveryContext) throws -> Normalised {
        switch topic {
        case "customers/create", "customers/update":
            try ShopifyCustomers.upsert(body: body, context: context)
        case "customers/delete":
            try ShopifyCustomers.delete(body: body, context: context)
        case "orders/create", "orders/paid", "orders/updated", "orders/cancelled":
            try ShopifyOrders.normalise(topic: topic, body: body, context: context)
        case "refunds/create":
            try ShopifyOrders.refund(body: body, context: context)
        case "customers/data_request":
            try ShopifyCustomers.dataRequest(body: body, context: context)
        case "customers/redact":
            try ShopifyCustomers.redact(body: body, context: context)
        case "shop/redact":
            try ShopifyCustomers.shopRedact(body: body, context: context)
        default:
            .unknownTopic(topic)
        }
    }
}
