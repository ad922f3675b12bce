import Foundation
import Model
import ServiceSupport

/// WooCommerce customers as customer events.
enum WooCommerceCustomers {
    static func upsert(body: Data, context: DeliveryContext) throws -> Normalised {
        let customer = try PlatformJSON.decode(WooCommercePayload.Customer.self, from: body)
        let createdAt = try PlatformJSON.optionalTime(customer.dateCreatedGmt, field: "date_created_gmt")
        let updatedAt = try PlatformJSON.optionalTime(customer.dateModifiedGmt, field: "date_modified_gmt")
            ?? createdAt ?? context.now
        var personal = PersonalFields()
        personal.set("email", customer.email ?? customer.billing?.email)
        personal.set("phone", customer.billing?.phone)
        personal.set("first_name", customer.firstName ?? customer.billing?.firstName)
        personal.set("last_name", customer.lastName ?? customer.billing?.lastName)
        if let billing = customer.billing { personal.setAddress(billing.parts) }
        let tags = customer.role.nonBlank.map { [$0] } ?? []
        let event = CustomerUpserted(
            externalID: customer.id.text, kind: CustomerKindTags.kind(of: tags), personal: personal.values,
            tags: tags, createdAt: createdAt, updatedAt: updatedAt)
        return context.upserted(event)
    }

    /// `customer.deleted` carries only the id, and WooCommerce states no time: arrival time.
    static func delete(body: Data, context: DeliveryContext) throws -> Normalised {
        let resource = try PlatformJSON.decode(WooCommercePayload.Resource.self, from: body)
        return context.deleted(customer: resource.id.text, at: context.now)
    }
}

/// WooCommerce's topics and where each goes.
enum WooCommerceNormaliser {
    static func normalise(topic: String, body: Data, context: DeliveryContext) throws -> Normalised {
        switch topic {
        case "customer.created", "customer.updated":
            try WooCommerceCustomers.upsert(body: body, context: context)
        case "customer.deleted":
            try WooCommerceCustomers.delete(body: body, context: context)
        case "order.created", "order.updated", "order.deleted", "order.restored":
            try WooCommerceOrders.normalise(topic: topic, body: body, context: context)
        default:
            .unknownTopic(topic)
        }
    }

    /// The dedupe key of a delivery: WooCommerce gives every resend a new delivery id, so a
    /// delivery is named by what it reports instead, the SHA-256 of store, resource id, topic
    /// and the resource's modification time. Two saves of an order are two deliveries; a resend
    /// of one save is a duplicate.
    static func deliveryKey(topic: String, store: String, body: Data) throws -> String {
        let resource = try PlatformJSON.decode(WooCommercePayload.Resource.self, from: body)
        return SHA256Hex.of([store, resource.id.text, topic, resource.dateModifiedGmt ?? ""].joined(separator: "\n"))
    }
}
