import Foundation
import Model
import ServiceSupport
import Testing

@testable import Intake

@Suite("Shopify payloads become typed events")
struct ShopifyNormalisationTests {
    let shop = "snowdevil.myshopify.com"
    let now = Timestamp(unixMilliseconds: 1_800_000_000_000)
    let triggered = at("2022-01-06T12:00:00Z")

    func normalise(_ topic: String, _ fixture: String) throws -> Normalised {
        let context = DeliveryContext(source: "shopify", store: shop, deliveryID: "evt-1", platformTime: triggered, now: now)
        return try ShopifyNormaliser.normalise(topic: topic, body: try Fixture.data("shopify/\(fixture)"), context: context)
    }

    var johnSmith: CustomerID { CustomerID(source: "shopify", store: shop, externalID: "115310627314723954") }

    @Test("orders/create of an unpaid order is order.placed with exact amounts, lines and the platform's times")
    func orderCreated() throws {
        let event = try normalise("orders/create", "orders-create.json").event()
        #expect(event.id == "shopify:snowdevil.myshopify.com:order:820982911946154508:placed")
        #expect(event.destination == .customer(johnSmith))
        #expect(event.indexesOrder == OrderReference(source: "shopify", store: shop, orderID: "820982911946154508"))
        #expect(event.occurred == at("2022-01-01T00:00:00Z"))
        let order = try event.typed(OrderPlaced.self).order
        #expect(order.orderID == "820982911946154508")
        #expect(order.orderNumber == "#9999")
        #expect(order.total == usd(42128))
        #expect(order.subtotal == usd(38800))
        #expect(order.shipping == usd(1000))
        #expect(order.tax == usd(2328))
        #expect(order.placedAt == at("2021-12-31T19:00:00-05:00"))
        #expect(order.discountCodes == ["TENOFF"])
        #expect(!order.guest)
        #expect(order.lines == [
            OrderLine(lineID: "866550311766439020", productID: "632910392", sku: "IPOD2008PINK", quantity: 1, unitPrice: usd(19900), total: usd(19400)),
            OrderLine(lineID: "141249953214522974", productID: "632910392", sku: "IPOD2008BLACK", quantity: 1, unitPrice: usd(19900), total: usd(19400)),
        ])
    }

    @Test("an order without total_shipping_price_set takes shipping from its shipping lines")
    func shippingFromLines() throws {
        let text = String(decoding: try Fixture.data("shopify/orders-create.json"), as: UTF8.self)
            .replacingOccurrences(of: "\"total_shipping_price_set\"", with: "\"older_payload_has_no_total_shipping\"")
        let context = DeliveryContext(source: "shopify", store: shop, deliveryID: "evt-4", platformTime: nil, now: now)
        let event = try ShopifyNormaliser.normalise(topic: "orders/create", body: Data(text.utf8), context: context).event()
        #expect(try event.typed(OrderPlaced.self).order.shipping == usd(1000))
    }

    @Test("orders/paid, orders/create of a paid order and orders/updated of it all give the one order.paid id")
    func paidIsOneEvent() throws {
        let paid = try normalise("orders/paid", "orders-paid.json").event()
        let createdPaid = try normalise("orders/create", "orders-paid.json").event()
        let updated = try normalise("orders/updated", "orders-updated.json").event()
        let id = "shopify:snowdevil.myshopify.com:order:820982911946154508:paid"
        #expect([paid.id, createdPaid.id, updated.id] == [id, id, id])
        let event = try paid.typed(OrderPaid.self)
        #expect(event.paidAt == at("2021-12-31T19:04:12-05:00"))
        #expect(event.order.subtotal == usd(38800))
        // After a partial refund the order reports its current (reduced) subtotal.
        #expect(try updated.typed(OrderPaid.self).order.subtotal == usd(19400))
    }

    @Test("orders/cancelled is order.cancelled, paid before, with Shopify's reason and time")
    func cancelled() throws {
        let event = try normalise("orders/cancelled", "orders-cancelled.json").event()
        #expect(event.id == "shopify:snowdevil.myshopify.com:order:820982911946154508:cancelled")
        let cancelled = try event.typed(OrderCancelled.self)
        #expect(cancelled == OrderCancelled(orderID: "820982911946154508", cancelledAt: at("2022-01-05T13:00:00Z"), wasPaid: true, reason: "customer"))
    }

    @Test("refunds/create is order.refunded: money from the refund transactions, goods from the lines' subtotal set")
    func refund() throws {
        let event = try normalise("refunds/create", "refunds-create.json").event()
        #expect(event.id == "shopify:snowdevil.myshopify.com:refund:929361462")
        #expect(event.destination == .orderOwner(OrderReference(source: "shopify", store: shop, orderID: "820982911946154508")))
        let refund = try event.typed(OrderRefunded.self)
        #expect(refund == OrderRefunded(
            refundID: "929361462", orderID: "820982911946154508", amount: usd(20564), goodsAmount: usd(19400),
            lines: [RefundLine(lineID: "866550311766439020", quantity: 1, amount: usd(19400))],
            refundedAt: at("2022-01-03T10:29:58-05:00")))
    }

    @Test("a refund that returned no money carries nothing for Rapport")
    func refundWithoutMoney() throws {
        let body = Data(#"{"id":1,"order_id":2,"created_at":"2022-01-03T10:29:58-05:00","refund_line_items":[],"transactions":[{"kind":"refund","status":"failure","amount":"5.00","currency":"USD"}]}"#.utf8)
        let context = DeliveryContext(source: "shopify", store: shop, deliveryID: "evt-2", platformTime: nil, now: now)
        guard case .ignored = try ShopifyNormaliser.normalise(topic: "refunds/create", body: body, context: context) else {
            Issue.record("expected ignored")
            return
        }
    }

    @Test("a guest order is the customer of its e-mail's SHA-256, trimmed and lower-cased")
    func guest() throws {
        let event = try normalise("orders/create", "orders-create-guest.json").event()
        // printf %s 'guest.buyer@example.com' | sha256sum
        let guest = CustomerID(
            source: "shopify", store: shop,
            externalID: "guest-453a0174d1aab231f05de642a97478b59305dbda44be5910f6cadcd41fb0dda1")
        #expect(event.destination == .customer(guest))
        let paid = try event.typed(OrderPaid.self)
        #expect(paid.order.guest)
        #expect(paid.order.total == cny(129_990))
        #expect(paid.order.lines.first?.unitPrice == cny(43330))
        #expect(paid.order.lines.first?.total == cny(129_990))
        #expect(paid.order.placedAt == at("2024-11-11T00:00:05+08:00"))
    }

    @Test("customers/create seals-to-be personal fields apart from the rest, with consent and the update time in the id")
    func customerCreated() throws {
        let event = try normalise("customers/create", "customers-create.json").event()
        #expect(event.id == "shopify:snowdevil.myshopify.com:customer:706405506930370084:\(at("2022-01-01T00:00:00Z").unixMilliseconds)")
        let customer = try event.typed(CustomerUpserted.self)
        #expect(customer.externalID == "706405506930370084")
        #expect(customer.personal["email"] == "bob@biller.com")
        #expect(customer.personal["phone"] == "+16135551111")
        #expect(customer.personal["first_name"] == "Bob")
        #expect(customer.personal["last_name"] == "Biller")
        #expect(customer.personal["address"] == #"{"address1":"151 O'Connor Street","city":"Ottawa","country_code":"CA","province":"Ontario","zip":"K2P 2L8"}"#)
        #expect(customer.consent == ChannelConsent(emailMarketing: true, smsMarketing: false))
        #expect(customer.kind == .individual)
        #expect(customer.createdAt == at("2021-12-31T19:00:00-05:00"))
    }

    @Test("customers/update is a new event of the same customer; a wholesale tag makes a dealer")
    func customerUpdated() throws {
        let event = try normalise("customers/update", "customers-update.json").event()
        #expect(event.id == "shopify:snowdevil.myshopify.com:customer:706405506930370084:\(at("2022-02-14T09:30:00-05:00").unixMilliseconds)")
        let customer = try event.typed(CustomerUpserted.self)
        #expect(customer.kind == .dealer)
        #expect(customer.tags == ["VIP", "Wholesale"])
        #expect(customer.updatedAt == at("2022-02-14T09:30:00-05:00"))
    }

    @Test("customers/delete, which carries no time, happens when Shopify fired it")
    func customerDeleted() throws {
        let event = try normalise("customers/delete", "customers-delete.json").event()
        #expect(try event.typed(CustomerDeleted.self) == CustomerDeleted(externalID: "706405506930370084", deletedAt: triggered))
    }

    @Test("the compliance topics name the customer, the orders and the request")
    func compliance() throws {
        let customer = CustomerID(source: "shopify", store: shop, externalID: "191167")
        let request = try normalise("customers/data_request", "customers-data_request.json").event()
        #expect(request.destination == .customer(customer))
        #expect(try request.typed(CustomerDataRequested.self) == CustomerDataRequested(requestID: "9999", orderIDs: ["299938", "280263", "220458"], requestedAt: triggered))
        let redact = try normalise("customers/redact", "customers-redact.json").event()
        #expect(redact.destination == .customer(customer))
        #expect(try redact.typed(CustomerRedacted.self) == CustomerRedacted(orderIDs: ["299938", "280263", "220458"], requestedAt: triggered))
        let shopRedact = try normalise("shop/redact", "shop-redact.json").event()
        #expect(shopRedact.destination == .everyPartition)
        #expect(try shopRedact.typed(ShopRedacted.self) == ShopRedacted(source: "shopify", store: shop, requestedAt: triggered))
    }

    @Test("a topic Rapport does not handle is reported, not failed")
    func unknownTopic() throws {
        guard case .unknownTopic("products/update") = try normalise("products/update", "products-update.json") else {
            Issue.record("expected unknownTopic")
            return
        }
    }

    @Test("a payload without what its topic needs is a 400 naming the place, never the values")
    func malformed() throws {
        let context = DeliveryContext(source: "shopify", store: shop, deliveryID: "evt-3", platformTime: nil, now: now)
        let noCurrency = Data(#"{"id":5,"email":"secret@example.com","created_at":"2022-01-01T00:00:00Z","total_price":"1.00","subtotal_price":"1.00"}"#.utf8)
        let error = #expect(throws: Problem.self) {
            try ShopifyNormaliser.normalise(topic: "orders/create", body: noCurrency, context: context)
        }
        #expect(error?.status == .badRequest)
        #expect(error?.detail?.contains("currency") == true)
        let badAmount = Data(#"{"id":5,"currency":"USD","created_at":"2022-01-01T00:00:00Z","total_price":"1,00","subtotal_price":"1.00"}"#.utf8)
        let amountError = #expect(throws: Problem.self) {
            try ShopifyNormaliser.normalise(topic: "orders/create", body: badAmount, context: context)
        }
        #expect(amountError?.detail?.contains("total_price") == true)
        #expect(amountError?.detail?.contains("1,00") == false)
        let notJSON = #expect(throws: Problem.self) {
            try ShopifyNormaliser.normalise(topic: "orders/create", body: Data("{\"id\": 5,".utf8), context: context)
        }
        #expect(notJSON?.detail == "the body is not valid JSON")
    }
}
