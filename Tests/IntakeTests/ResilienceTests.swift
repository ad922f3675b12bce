import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@testable import Intake

@Suite("Exactly one entry per delivery under concurrency and Redis failures", .timeLimit(.minutes(3)))
final class ResilienceTests: Sendable {
    @Test("the same delivery sent 50 times at once yields one stream entry")
    func fiftyConcurrent() async throws {
        let harness = try IntakeHarness()
        let body = try Fixture.data("shopify/orders-paid.json")
        let headers = harness.shopifyHeaders(topic: "orders/paid", body: body, eventID: "evt-concurrent")
        let statuses = try await harness.application().test(.live) { client in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                            #expect(response.status == .accepted)
                            return String(buffer: response.body)
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
        }
        #expect(statuses == [#"{"status":"accepted"}"#: 1, #"{"status":"duplicate"}"#: 49])
        #expect(try await harness.allEntries().count == 1)
    }

    @Test("while Redis is down deliveries get 503; after it returns they get 202, nothing lost and nothing doubled")
    func redisOutage() async throws {
        let harness = try IntakeHarness(appendOnly: true)
        let first = try Fixture.data("shopify/orders-create.json")
        let second = try Fixture.data("shopify/customers-create.json")
        let firstHeaders = harness.shopifyHeaders(topic: "orders/create", body: first, eventID: "evt-before-outage")
        let secondHeaders = harness.shopifyHeaders(topic: "customers/create", body: second, eventID: "evt-during-outage")
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: firstHeaders, body: ByteBuffer(data: first)) { response in
                #expect(response.status == .accepted)
            }

            harness.server.kill()
            for _ in 0..<3 {
                try await client.execute(uri: "/webhooks/shopify", method: .post, headers: secondHeaders, body: ByteBuffer(data: second)) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.retryAfter] == "5")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }

            try harness.server.start()
            // The platform retries until Redis takes it (connections reconnect with backoff).
            let stored = try await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                try await client.execute(uri: "/webhooks/shopify", method: .post, headers: secondHeaders, body: ByteBuffer(data: second)) { response in
                    response.status == .accepted
                }
            }
            #expect(stored)
            // Retries of both deliveries after the outage are recognised.
            for (headers, body) in [(firstHeaders, first), (secondHeaders, second)] {
                try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                    #expect(String(buffer: response.body) == #"{"status":"duplicate"}"#)
                }
            }
        }
        let entries = try await harness.allEntries()
        #expect(entries.map(\.type).sorted() == ["customer.upserted", "order.placed"])
        #expect(harness.deliveries(source: "shopify", outcome: "unavailable") >= 3)
    }
}
