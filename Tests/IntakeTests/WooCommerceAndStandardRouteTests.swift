import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@testable import Intake

@Suite("POST /webhooks/woocommerce and /webhooks/standard/{source} against a real Redis", .timeLimit(.minutes(2)))
final class WooCommerceAndStandardRouteTests: Sendable {
    let harness: IntakeHarness

    init() throws {
        harness = try IntakeHarness()
    }

    @Test("the unsigned creation ping is answered 200 and counted, and stores nothing")
    func ping() async throws {
        try await harness.application().test(.router) { client in
            try await client.execute(
                uri: "/webhooks/woocommerce", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "webhook_id=17")
            ) { response in
                #expect(response.status == .ok)
            }
            // A form body that is not the ping is not a delivery at all.
            try await client.execute(
                uri: "/webhooks/woocommerce", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "webhook_id=17&status=active")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
        #expect(try await harness.allEntries().isEmpty)
        #expect(harness.deliveries(source: "woocommerce", outcome: "ping") == 1)
    }

    @Test("a resend carries a new delivery id but dedupes on resource, topic and modification time")
    func resendDedupes() async throws {
        let body = try Fixture.data("woocommerce/order-updated.json")
        let refunded = try Fixture.data("woocommerce/order-updated-refunded.json")
        try await deliverOrderUpdates([(body, "accepted"), (body, "duplicate"), (refunded, "accepted")])
        let entries = try await harness.allEntries()
        #expect(entries.map(\.type) == ["order.paid", "order.refunded"])
        #expect(entries.allSatisfy { $0.customer == "woocommerce:example.com:25" })
    }

    @Test("a paid order listing a refund stores the purchase and the refund once, however often it is delivered")
    func partialRefund() async throws {
        let payload = try Fixture.data("woocommerce/order-updated-partially-refunded.json")
        try await deliverOrderUpdates([(payload, "accepted"), (payload, "duplicate")])
        let entries = try await harness.allEntries()
        #expect(entries.map(\.type) == ["order.paid", "order.refunded"])
        #expect(entries.map(\.id) == ["woocommerce:example.com:order:727:paid", "woocommerce:example.com:refund:730"])
    }

    /// Sends each payload as a signed `order.updated` delivery and checks the outcome intake names.
    func deliverOrderUpdates(_ deliveries: [(payload: Data, expected: String)]) async throws {
        try await harness.application().test(.router) { client in
            for (payload, expected) in deliveries {
                try await client.execute(
                    uri: "/webhooks/woocommerce", method: .post, headers: harness.wooHeaders(topic: "order.updated", body: payload),
                    body: ByteBuffer(data: payload)
                ) { response in
                    #expect(response.status == .accepted)
                    #expect(String(buffer: response.body) == "{\"status\":\"\(expected)\"}")
                }
            }
        }
    }

    @Test("a deleted order is cancelled for the customer it was stored with")
    func deletion() async throws {
        let created = try Fixture.data("woocommerce/order-created.json")
        let deleted = try Fixture.data("woocommerce/order-deleted.json")
        try await harness.application().test(.router) { client in
            for (topic, payload) in [("order.created", created), ("order.deleted", deleted)] {
                try await client.execute(
                    uri: "/webhooks/woocommerce", method: .post, headers: harness.wooHeaders(topic: topic, body: payload),
                    body: ByteBuffer(data: payload)
                ) { response in
                    #expect(response.status == .accepted)
                }
            }
        }
        let entries = try await harness.allEntries()
        #expect(entries.map(\.type) == ["order.placed", "order.cancelled"])
        #expect(entries.last?.customer == "woocommerce:example.com:25")
    }

    @Test("a WooCommerce delivery with a bad signature is 401")
    func wooBadSignature() async throws {
        let body = try Fixture.data("woocommerce/customer-created.json")
        var forged = harness.wooHeaders(topic: "customer.created", body: body)
        forged[HeaderName("X-WC-Webhook-Signature")!] = sign(body, secret: "guess")
        let headers = forged
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/woocommerce", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(harness.deliveries(source: "woocommerce", outcome: "bad_signature") == 1)
    }

    @Test("a Standard Webhooks delivery is stored once per webhook-id under the sender's name")
    func standard() async throws {
        let body = try Fixture.data("standard/order-paid.json")
        let headers = harness.standardHeaders(body: body, id: "msg_2bVq3Z")
        try await harness.application().test(.router) { client in
            for expected in ["accepted", "duplicate"] {
                try await client.execute(uri: "/webhooks/standard/erp", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                    #expect(response.status == .accepted)
                    #expect(String(buffer: response.body) == "{\"status\":\"\(expected)\"}")
                }
            }
        }
        let entry = try #require(try await harness.allEntries().first)
        #expect(entry.id == "erp:erp-east:order:SO-5001:paid")
        #expect(entry.customer == "erp:erp-east:C-1001")
        #expect(entry.correlation == "erp:msg_2bVq3Z")
        #expect(try await harness.allEntries().count == 1)
    }

    @Test("a Standard Webhooks delivery signed more than five minutes away from now is 401")
    func standardStale() async throws {
        let body = try Fixture.data("standard/order-paid.json")
        let stale = harness.standardHeaders(body: body, sentAt: harness.clock.now() - .seconds(301))
        let future = harness.standardHeaders(body: body, sentAt: harness.clock.now() + .seconds(301))
        try await harness.application().test(.router) { client in
            for headers in [stale, future] {
                try await client.execute(uri: "/webhooks/standard/erp", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            // A name that would write into a platform's ids, or that no id may hold, has no route.
            for source in ["shopify", "Bad%20Name"] {
                try await client.execute(
                    uri: "/webhooks/standard/\(source)", method: .post, headers: harness.standardHeaders(body: body),
                    body: ByteBuffer(data: body)
                ) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
        #expect(try await harness.allEntries().isEmpty)
        #expect(harness.deliveries(source: "standard", outcome: "bad_signature") == 2)
    }
}

@Suite("POST /v1/complaints", .timeLimit(.minutes(2)))
final class ComplaintRouteTests: Sendable {
    let harness: IntakeHarness

    init() throws {
        harness = try IntakeHarness()
    }

    static let form = Data("""
        {"complaint_id": "web-20250301-0007", "customer": "shopify:snowdevil.myshopify.com:706405506930370084",
         "channel": "web", "category": "delivery", "text": "The parcel arrived damaged; call me on 138 0000 0000.",
         "demand": "replacement", "contact": "+86 138 0000 0000", "order_id": "820982911946154508", "urgent": true,
         "submitted_at": "2025-03-01T08:00:00Z"}
        """.utf8)

    @Test("a complaint needs a token with complaints:submit")
    func needsToken() async throws {
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/v1/complaints", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: Self.form)) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try await harness.allEntries().isEmpty)
    }

    @Test("a complaint is one complaint.submitted with its text sealed; a resent form adds nothing")
    func submitted() async throws {
        let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(IntakeHarness.adminToken)"]
        try await harness.application().test(.router) { client in
            for expected in ["accepted", "duplicate"] {
                try await client.execute(uri: "/v1/complaints", method: .post, headers: headers, body: ByteBuffer(data: Self.form)) { response in
                    #expect(response.status == .accepted)
                    #expect(String(buffer: response.body) == "{\"status\":\"\(expected)\"}")
                }
            }
            try await client.execute(
                uri: "/v1/complaints", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"complaint_id": "x", "customer": "nobody", "category": "delivery", "text": "t", "demand": "d"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("customer must be a customer id"))
            }
        }
        let entries = try await harness.allEntries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.id == "complaint:admin:web-20250301-0007")
        #expect(entry.customer == "shopify:snowdevil.myshopify.com:706405506930370084")
        let complaint = try entry.decode(ComplaintSubmitted.self)
        #expect(complaint.category == "delivery")
        #expect(complaint.urgent)
        #expect(complaint.orderID == "820982911946154508")
        #expect(complaint.submittedAt == at("2025-03-01T08:00:00Z"))
        #expect(Set(complaint.personal.keys) == ["text", "demand", "contact"])
        let raw = try await harness.rawStreamText()
        #expect(!raw.contains("damaged"))
        #expect(!raw.contains("138 0000"))
    }
}
