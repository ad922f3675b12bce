import Foundation
import Model
import Testing

@testable import Intake

@Suite("WooCommerce payloads become typed events by order status")
struct WooCommerceNormalisationTests {
    let now = Timestamp(unixMilliseconds: 1_800_000_000_000)
    let john = CustomerID(source: "woocommerce", store: "example.com", externalID: "25")

    func normalise(_ topic: String, _ fixture: String) throws -> Normalised {
        let context = DeliveryContext(source: "woocommerce", store: "example.com", deliveryID: "d-1", platformTime: nil, now: now)
        return try WooCommerceNormaliser.normalise(topic: topic, body: try Fixture.data("woocommerce/\(fixture)"), context: context)
    }

    @Test("a pending order is order.placed; the subtotal is the lines' totals, unit prices exact from the subtotals")
    func pending() throws {
        let event = try normalise("order.created", "order-created.json").event()
        #expect(event.id == "woocommerce:example.com:order:727:placed")
        #expect(event.destination == .customer(john))
        #expect(event.occurred == at("2017-03-22T19:28:02Z"))
        let order = try event.typed(OrderPlaced.self).order
        #expect(order.total == usd(2935))
        #expect(order.subtotal == usd(1800))
        #expect(order.shipping == usd(1000))
        #expect(order.tax == usd(135))
        #expect(order.orderNumber == "727")
        #expect(order.placedAt == at("2017-03-22T19:28:02Z"))
        #expect(order.lines == [
            OrderLine(lineID: "315", productID: "93", sku: nil, quantity: 2, unitPrice: usd(300), total: usd(600)),
            OrderLine(lineID: "316", productID: "22", sku: "SYI-BLK-M", quantity: 1, unitPrice: usd(1200), total: usd(1200)),
        ])
    }

    @Test("processing is order.paid at date_paid_gmt")
    func processing() throws {
        let event = try normalise("order.updated", "order-updated.json").event()
        #expect(event.id == "woocommerce:example.com:order:727:paid")
        #expect(try event.typed(OrderPaid.self).paidAt == at("2017-03-22T19:28:08Z"))
    }

    @Test("refunded is one full order.refunded summing the refund records")
    func refunded() throws {
        let event = try normalise("order.updated", "order-updated-refunded.json").event()
        #expect(event.id == "woocommerce:example.com:order:727:refunded")
        #expect(event.destination == .customer(john))
        let refund = try event.typed(OrderRefunded.self)
        #expect(refund.refundID == "730+731")
        #expect(refund.amount == usd(2935))
        #expect(refund.goodsAmount == usd(1800))
        #expect(refund.lines == [RefundLine(lineID: "315", quantity: 2, amount: usd(600)), RefundLine(lineID: "316", quantity: 1, amount: usd(1200))])
        #expect(refund.refundedAt == at("2017-03-25T13:12:40Z"))
    }

    @Test("a paid order that lists a refund is order.paid and a partial order.refunded named by the refund")
    func partiallyRefunded() throws {
        let events = try normalise("order.updated", "order-updated-partially-refunded.json").events()
        #expect(events.map(\.id) == ["woocommerce:example.com:order:727:paid", "woocommerce:example.com:refund:730"])
        #expect(events.allSatisfy { $0.destination == .customer(john) })
        #expect(try events[0].typed(OrderPaid.self).order.total == usd(2935))
        #expect(try events[1].typed(OrderRefunded.self) == OrderRefunded(
            refundID: "730", orderID: "727", amount: usd(1000), goodsAmount: usd(1000), lines: [],
            refundedAt: at("2017-03-24T12:30:00Z")))
        #expect(events[1].occurred == at("2017-03-24T12:30:00Z"))
        #expect(events[1].indexesOrder == nil)
    }

    @Test("cancelled is order.cancelled; a deletion cancels the order found through the index")
    func cancelled() throws {
        let event = try normalise("order.updated", "order-updated-cancelled.json").event()
        #expect(try event.typed(OrderCancelled.self) == OrderCancelled(orderID: "727", cancelledAt: at("2017-03-23T12:00:00Z"), wasPaid: false, reason: "cancelled"))
        let deleted = try normalise("order.deleted", "order-deleted.json").event()
        #expect(deleted.id == "woocommerce:example.com:order:727:cancelled")
        #expect(deleted.destination == .orderOwner(OrderReference(source: "woocommerce", store: "example.com", orderID: "727")))
        #expect(try deleted.typed(OrderCancelled.self) == OrderCancelled(orderID: "727", cancelledAt: now, wasPaid: false, reason: "deleted"))
    }

    @Test("a restored order is judged by its status again")
    func restored() throws {
        let event = try normalise("order.restored", "order-restored.json").event()
        #expect(event.id == "woocommerce:example.com:order:727:placed")
        _ = try event.typed(OrderPlaced.self)
    }

    @Test("customer_id 0 is a guest, known by the e-mail hash")
    func guest() throws {
        let event = try normalise("order.created", "order-guest.json").event()
        // printf %s 'walk.in@example.com' | sha256sum
        #expect(event.destination == .customer(CustomerID(
            source: "woocommerce", store: "example.com",
            externalID: "guest-d9310e5e8dba4e8ac03b2222a9d3e069086c4769facb70fa05469801ef165630")))
        #expect(try event.typed(OrderPaid.self).order.guest)
    }

    @Test("customers are upserted with their personal fields apart; a wholesale role makes a dealer; deletion has only the id")
    func customers() throws {
        let created = try normalise("customer.created", "customer-created.json").event()
        #expect(created.id == "woocommerce:example.com:customer:25:\(at("2017-03-21T19:09:30Z").unixMilliseconds)")
        let customer = try created.typed(CustomerUpserted.self)
        #expect(customer.personal["email"] == "john.doe@example.com")
        #expect(customer.personal["phone"] == "(555) 555-5555")
        #expect(customer.personal["first_name"] == "John")
        #expect(customer.kind == .individual)
        #expect(customer.createdAt == at("2017-03-21T19:09:28Z"))
        let updated = try normalise("customer.updated", "customer-updated.json").event()
        #expect(try updated.typed(CustomerUpserted.self).kind == .dealer)
        #expect(updated.id != created.id)
        let deleted = try normalise("customer.deleted", "customer-deleted.json").event()
        #expect(deleted.destination == .customer(john))
        #expect(try deleted.typed(CustomerDeleted.self) == CustomerDeleted(externalID: "25", deletedAt: now))
    }

    @Test("other topics are reported as unknown")
    func unknown() throws {
        guard case .unknownTopic("coupon.created") = try normalise("coupon.created", "coupon-created.json") else {
            Issue.record("expected unknownTopic")
            return
        }
    }

    @Test("the dedupe key names store, resource, topic and modification time, not WooCommerce's delivery id")
    func deliveryKey() throws {
        let paid = try Fixture.data("woocommerce/order-updated.json")
        let refunded = try Fixture.data("woocommerce/order-updated-refunded.json")
        let key = try WooCommerceNormaliser.deliveryKey(topic: "order.updated", store: "example.com", body: paid)
        #expect(key == (try WooCommerceNormaliser.deliveryKey(topic: "order.updated", store: "example.com", body: paid)))
        #expect(key != (try WooCommerceNormaliser.deliveryKey(topic: "order.updated", store: "example.com", body: refunded)))
        #expect(key != (try WooCommerceNormaliser.deliveryKey(topic: "order.restored", store: "example.com", body: paid)))
        #expect(key != (try WooCommerceNormaliser.deliveryKey(topic: "order.updated", store: "other.example", body: paid)))
        #expect(key.count == 64)
    }

    @Test("the store is the host of X-WC-Webhook-Source, and the ping is recognised only in its exact form")
    func storeAndPing() {
        #expect(WooCommerceDelivery.store(ofSource: "https://Example.com/") == "example.com")
        #expect(WooCommerceDelivery.store(ofSource: "https://shop.example:8443/blog/") == "shop.example-8443")
        #expect(WooCommerceDelivery.store(ofSource: "not a url") == nil)
        #expect(WooCommercePing.webhookID(in: Data("webhook_id=42".utf8)) == "42")
        #expect(WooCommercePing.webhookID(in: Data("webhook_id=42&x=1".utf8)) == nil)
        #expect(WooCommercePing.webhookID(in: Data("webhook_id=".utf8)) == nil)
    }
}
