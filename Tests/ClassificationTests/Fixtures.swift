@testable import Classification
import Foundation
import Model
import ServiceSupport

/// Builders for the events classification consumes, as intake and complaints would write them.
enum Fixtures {
    static let start = Timestamp(unixMilliseconds: 1_735_689_600_000)  // 2025-01-01T00:00:00Z
    static let customer = "shopify:snowdevil.myshopify.com:706405506930370084"
    static let day: Duration = .seconds(86_400)

    static func cny(_ decimal: String) throws -> Money {
        try Money.parse(decimal, currency: CurrencyCode("CNY"))
    }

    static func settings(_ yaml: String = "") throws -> ClassificationSettings {
        try ClassificationSettings.load(from: yaml.isEmpty ? .builtIn : try RulesFile(yaml: yaml))
    }

    static func summary(_ orderID: String, total: Money, placedAt: Timestamp, updatedAt: Timestamp? = nil) -> OrderSummary {
        OrderSummary(
            orderID: orderID, orderNumber: "#\(orderID)", currency: total.currency, total: total, subtotal: total,
            shipping: .zero(total.currency), tax: .zero(total.currency), placedAt: placedAt, updatedAt: updatedAt ?? placedAt)
    }

    static func envelope<E: DomainEvent>(
        _ event: E, id: String, customer: String = customer, occurred: Timestamp = start, source: String = "shopify"
    ) throws -> Envelope {
        try Envelope.make(
            event, id: id, customer: customer, occurred: occurred, recorded: occurred, source: source,
            correlation: id, cause: nil)
    }

    static func paid(_ orderID: String, _ total: String, at placedAt: Timestamp, customer: String = customer) throws -> Envelope {
        try envelope(
            OrderPaid(order: summary(orderID, total: try cny(total), placedAt: placedAt), paidAt: placedAt),
            id: "paid-\(orderID)", customer: customer, occurred: placedAt)
    }

    static func placed(_ orderID: String, _ total: String, at placedAt: Timestamp, customer: String = customer) throws -> Envelope {
        try envelope(OrderPlaced(order: summary(orderID, total: try cny(total), placedAt: placedAt)), id: "placed-\(orderID)", customer: customer, occurred: placedAt)
    }

    static func refunded(
        _ refundID: String, order orderID: String, _ amount: String, at time: Timestamp, customer: String = customer
    ) throws -> Envelope {
        try envelope(
            OrderRefunded(refundID: refundID, orderID: orderID, amount: try cny(amount), goodsAmount: try cny(amount), refundedAt: time),
            id: "refund-\(refundID)", customer: customer, occurred: time)
    }

    static func cancelled(_ orderID: String, at time: Timestamp, customer: String = customer) throws -> Envelope {
        try envelope(OrderCancelled(orderID: orderID, cancelledAt: time, wasPaid: false), id: "cancel-\(orderID)", customer: customer, occurred: time)
    }

    static func upserted(
        _ externalID: String = "706405506930370084", kind: CustomerKind = .individual, personal: [String: String] = [:],
        updatedAt: Timestamp = start, id: String = "upsert-1", customer: String = customer
    ) throws -> Envelope {
        try envelope(
            CustomerUpserted(
                externalID: externalID, kind: kind, personal: personal, language: "zh-CN", timeZone: "Asia/Shanghai",
                createdAt: start, updatedAt: updatedAt),
            id: id, customer: customer, occurred: updatedAt)
    }

    /// Applies envelopes to a profile as the handler does, without Redis.
    static func absorb(_ envelopes: [Envelope], into profile: inout CustomerProfile) throws {
        for envelope in envelopes {
            switch envelope.type {
            case CustomerUpserted.eventType: profile.absorb(try envelope.decode(CustomerUpserted.self), eventID: envelope.id)
            case OrderPlaced.eventType: profile.absorb(try envelope.decode(OrderPlaced.self))
            case OrderPaid.eventType: profile.absorb(try envelope.decode(OrderPaid.self))
            case OrderRefunded.eventType: profile.absorb(try envelope.decode(OrderRefunded.self))
            case OrderCancelled.eventType: profile.absorb(try envelope.decode(OrderCancelled.self))
            default: break
            }
        }
    }
}
