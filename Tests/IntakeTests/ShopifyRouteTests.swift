import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@testable import Intake

@Suite("POST /webhooks/shopify against a real Redis", .timeLimit(.minutes(2)))
final class ShopifyRouteTests: Sendable {
    let harness: IntakeHarness

    init() throws {
        harness = try IntakeHarness()
    }

    var johnSmith: CustomerID { CustomerID(source: "shopify", store: IntakeHarness.shop, externalID: "115310627314723954") }

    @Test("a signed orders/create is stored once as order.placed, with the platform's time and the delivery as correlation")
    func storedOnce() async throws {
        let body = try Fixture.data("shopify/orders-create.json")
        let headers = harness.shopifyHeaders(topic: "orders/create", body: body, eventID: "evt-create-1")
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body) == #"{"status":"accepted"}"#)
            }
            // A redelivery (Shopify retries with the same event id) adds nothing.
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body) == #"{"status":"duplicate"}"#)
            }
        }
        let entries = try await harness.entries(in: harness.partition(of: johnSmith))
        #expect(entries.count == 1)
        let envelope = try #require(entries.first)
        #expect(envelope.id == "shopify:snowdevil.myshopify.com:order:820982911946154508:placed")
        #expect(envelope.type == "order.placed")
        #expect(envelope.customer == johnSmith.description)
        #expect(envelope.occurred == at("2021-12-31T19:00:00-05:00"))
        #expect(envelope.recorded == IntakeHarness.start)
        #expect(envelope.correlation == "shopify:evt-create-1")
        #expect(envelope.source == "shopify")
        #expect(try envelope.decode(OrderPlaced.self).order.total == usd(42128))
        #expect(harness.deliveries(source: "shopify", outcome: "accepted") == 1)
        #expect(harness.deliveries(source: "shopify", outcome: "duplicate") == 1)
    }

    @Test("a wrong, tampered or missing signature is 401 with nothing stored, counted per source, telling nothing")
    func badSignatures() async throws {
        let body = try Fixture.data("shopify/orders-create.json")
        let wrongSecret = harness.shopifyHeaders(topic: "orders/create", body: body, secret: "shpss_attacker")
        var missingSignature = harness.shopifyHeaders(topic: "orders/create", body: body)
        missingSignature[HeaderName("X-Shopify-Hmac-Sha256")!] = nil
        let missing = missingSignature
        let tamperedBody = body + Data(" ".utf8)
        let signedOriginal = harness.shopifyHeaders(topic: "orders/create", body: body)
        let details = try await harness.application().test(.router) { client in
            var details: Set<String> = []
            for (headers, payload) in [(wrongSecret, body), (missing, body), (signedOriginal, tamperedBody)] {
                try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: payload)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.wwwAuthenticate] == nil)
                    details.insert(String(buffer: response.body))
                }
            }
            return details
        }
        #expect(details.count == 1, "every signature failure reads the same")
        #expect(try await harness.allEntries().isEmpty)
        #expect(harness.deliveries(source: "shopify", outcome: "bad_signature") == 3)
    }

    @Test("a delivery signed with the previous secret still verifies during a rotation")
    func rotatedSecret() async throws {
        let body = try Fixture.data("shopify/orders-paid.json")
        let headers = harness.shopifyHeaders(topic: "orders/paid", body: body, secret: "shpss_previous_secret")
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(try await harness.allEntries().map(\.type) == ["order.paid"])
    }

    @Test("paid, updated-while-paid and created-paid deliveries append entries with one order.paid id")
    func paidAcrossTopics() async throws {
        try await harness.application().test(.router) { client in
            for (topic, fixture) in [("orders/paid", "orders-paid.json"), ("orders/updated", "orders-updated.json"), ("orders/create", "orders-paid.json")] {
                let body = try Fixture.data("shopify/\(fixture)")
                try await client.execute(
                    uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: topic, body: body), body: ByteBuffer(data: body)
                ) { response in
                    #expect(response.status == .accepted)
                }
            }
        }
        let ids = Set(try await harness.allEntries().map(\.id))
        #expect(ids == ["shopify:snowdevil.myshopify.com:order:820982911946154508:paid"])
    }

    @Test("customer personal data is sealed in the stream and opens with the customer's key")
    func sealed() async throws {
        let body = try Fixture.data("shopify/customers-create.json")
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "customers/create", body: body),
                body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .accepted)
            }
        }
        let raw = try await harness.rawStreamText()
        for secret in ["bob@biller.com", "Biller", "+16135551111", "O'Connor"] {
            #expect(!raw.contains(secret), "\(secret) is stored in clear")
        }
        let envelope = try #require(try await harness.allEntries().first)
        let customer = try envelope.decode(CustomerUpserted.self)
        #expect(Set(customer.personal.keys) == ["email", "phone", "first_name", "last_name", "address"])
        let keys = harness.keys
        let opened = try await harness.runtime.redis.commit(clock: harness.clock) { tx in
            try keys.open(customer.personal, customer: envelope.customer, in: tx)
        }
        #expect(opened?["email"] == "bob@biller.com")
        #expect(opened?["last_name"] == "Biller")
    }

    @Test("a refund before its order waits, and is appended to the customer's partition when the order arrives")
    func refundBeforeOrder() async throws {
        let refund = try Fixture.data("shopify/refunds-create.json")
        let order = try Fixture.data("shopify/orders-paid.json")
        let refundHeaders = harness.shopifyHeaders(topic: "refunds/create", body: refund, eventID: "evt-refund")
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: refundHeaders, body: ByteBuffer(data: refund)) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body) == #"{"status":"parked"}"#)
            }
            #expect(try await harness.allEntries().isEmpty)
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "orders/paid", body: order),
                body: ByteBuffer(data: order)
            ) { response in
                #expect(response.status == .accepted)
            }
            // Shopify retries the refund: now known, and already stored.
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: refundHeaders, body: ByteBuffer(data: refund)) { response in
                #expect(String(buffer: response.body) == #"{"status":"duplicate"}"#)
            }
            // A second refund after the order goes straight to the customer.
            let second = Data(String(decoding: refund, as: UTF8.self).replacingOccurrences(of: "929361462", with: "929361463").utf8)
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "refunds/create", body: second),
                body: ByteBuffer(data: second)
            ) { response in
                #expect(String(buffer: response.body) == #"{"status":"accepted"}"#)
            }
        }
        let entries = try await harness.entries(in: harness.partition(of: johnSmith))
        #expect(entries.map(\.type).sorted() == ["order.paid", "order.refunded", "order.refunded"])
        #expect(entries.allSatisfy { $0.customer == johnSmith.description })
        #expect(try await harness.allEntries().count == 3)
        #expect(harness.deliveries(source: "shopify", outcome: "parked") == 1)
    }

    @Test("customers/redact destroys the customer's data key once the redaction is stored, and shop/redact every key of the store")
    func redactionDestroysDataKeys() async throws {
        let customer = CustomerID(source: "shopify", store: IntakeHarness.shop, externalID: "191167")
        let other = CustomerID(source: "shopify", store: IntakeHarness.shop, externalID: "706405506930370084")
        let elsewhere = CustomerID(source: "shopify", store: "other-shop.myshopify.com", externalID: "191167")
        let keyOf = { (id: CustomerID) in Keyspace.dataKey(customer: id.description, self.harness.partition(of: id)) }
        for id in [customer, other, elsewhere] {
            _ = try await harness.server.send(["SET", keyOf(id), "k1:wrapped"])
        }
        let redact = try Fixture.data("shopify/customers-redact.json")
        try await harness.application().test(.router) { client in
            let headers = harness.shopifyHeaders(topic: "customers/redact", body: redact, eventID: "evt-redact")
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: redact)) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(try await harness.server.send(["EXISTS", keyOf(customer)]).int == 0)
        #expect(try await harness.server.send(["EXISTS", keyOf(other)]).int == 1)
        #expect(try await harness.entries(in: harness.partition(of: customer)).map(\.type).contains("customer.redacted"))

        let shopRedact = try Fixture.data("shopify/shop-redact.json")
        try await harness.application().test(.router) { client in
            let headers = harness.shopifyHeaders(topic: "shop/redact", body: shopRedact, eventID: "evt-shop-redact-keys")
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: shopRedact)) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(try await harness.server.send(["EXISTS", keyOf(other)]).int == 0)
        #expect(try await harness.server.send(["EXISTS", keyOf(elsewhere)]).int == 1)
    }

    @Test("shop/redact is appended to every partition with no customer")
    func shopRedact() async throws {
        let body = try Fixture.data("shopify/shop-redact.json")
        let headers = harness.shopifyHeaders(topic: "shop/redact", body: body, eventID: "evt-shop-redact")
        try await harness.application().test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                    #expect(response.status == .accepted)
                }
            }
        }
        for partition in harness.runtime.partitioning.all {
            let entries = try await harness.entries(in: partition)
            #expect(entries.map(\.type) == ["shop.redacted"])
            #expect(entries.first?.customer == "")
        }
    }

    @Test("an unknown topic is accepted and counted; nothing is stored")
    func unknownTopic() async throws {
        let body = try Fixture.data("shopify/products-update.json")
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "products/update", body: body),
                body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body) == #"{"status":"unknown_topic"}"#)
            }
        }
        #expect(try await harness.allEntries().isEmpty)
        #expect(harness.deliveries(source: "shopify", outcome: "unknown_topic") == 1)
    }

    @Test("malformed JSON is 400 with a problem body; another media type is 415")
    func malformed() async throws {
        let broken = Data(#"{"id": 820982911946154508, "email": "john@example.com""#.utf8)
        var plainText = harness.shopifyHeaders(topic: "orders/create", body: broken)
        plainText[.contentType] = "text/plain"
        let text = plainText
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "orders/create", body: broken),
                body: ByteBuffer(data: broken)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(problem?["status"] as? Int == 400)
                #expect(problem?["detail"] as? String == "the body is not valid JSON")
                #expect(!String(buffer: response.body).contains("john@example.com"))
            }
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: text, body: ByteBuffer(data: broken)) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
        #expect(harness.deliveries(source: "shopify", outcome: "malformed") == 1)
        #expect(harness.deliveries(source: "shopify", outcome: "unsupported_media_type") == 1)
    }

    @Test("a guest order without a customer is stored for the customer of its e-mail hash")
    func guest() async throws {
        let body = try Fixture.data("shopify/orders-create-guest.json")
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "orders/create", body: body),
                body: ByteBuffer(data: body)
            ) { response in
                #expect(response.status == .accepted)
            }
        }
        let entry = try #require(try await harness.allEntries().first)
        #expect(entry.customer == "shopify:snowdevil.myshopify.com:guest-453a0174d1aab231f05de642a97478b59305dbda44be5910f6cadcd41fb0dda1")
        #expect(!(try await harness.rawStreamText()).lowercased().contains("guest.buyer"))
    }
}
