import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@testable import Intake

@Suite("Body size and rate limits", .timeLimit(.minutes(2)))
final class LimitsTests: Sendable {
    let harness: IntakeHarness

    init() throws {
        harness = try IntakeHarness(rules: """
            intake:
              max_body_bytes: 4096
              rate_limit:
                per_second: 2
                burst: 3
            """)
    }

    /// A request head for a signed-looking Shopify delivery; the body follows separately.
    func head(_ extra: String) -> Data {
        Data((
            "POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: \(IntakeHarness.shop)\r\n"
                + "X-Shopify-Event-Id: evt-large\r\nX-Shopify-Hmac-Sha256: AAAA\r\n\(extra)\r\n"
        ).utf8)
    }

    @Test("a declared Content-Length over the limit is answered 413 while the client is still sending")
    func declaredTooLarge() async throws {
        let head = head("Content-Length: 10485760\r\n")
        try await harness.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await RawHTTPConnection.onThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(head)
                // 1 KiB of the declared 10 MiB: the rest is never sent, yet the answer comes.
                try connection.send(Data(repeating: UInt8(ascii: " "), count: 1024))
                return try connection.readHead()
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(answer.lowercased().contains("content-type: application/problem+json"))
        }
        #expect(harness.deliveries(source: "shopify", outcome: "too_large") == 1)
    }

    @Test("a chunked body is read only until it passes the limit, then answered 413")
    func chunkedTooLarge() async throws {
        let head = head("Transfer-Encoding: chunked\r\n")
        try await harness.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await RawHTTPConnection.onThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(head)
                // Three chunks of 2 KiB (over the 4 KiB limit) and never the closing chunk.
                for _ in 0..<3 {
                    try connection.send(Data("800\r\n".utf8) + Data(repeating: UInt8(ascii: " "), count: 2048) + Data("\r\n".utf8))
                }
                return try connection.readHead()
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"))
        }
    }

    @Test("a body within the limit passes the size check")
    func withinLimit() async throws {
        let body = Data(#"{"id":1}"#.utf8) + Data(repeating: UInt8(ascii: " "), count: 4000)
        let headers = harness.shopifyHeaders(topic: "products/update", body: body)
        try await harness.application().test(.router) { client in
            try await client.execute(uri: "/webhooks/shopify", method: .post, headers: headers, body: ByteBuffer(data: body)) { response in
                #expect(response.status == .accepted)
            }
            let large = body + Data(repeating: UInt8(ascii: " "), count: 100)
            try await client.execute(
                uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "products/update", body: large),
                body: ByteBuffer(data: large)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("once a source's bucket is empty it gets 429 with Retry-After, other sources do not, and it refills with time")
    func rateLimit() async throws {
        let body = try Fixture.data("shopify/products-update.json")
        let harness = self.harness
        try await harness.application().test(.router) { client in
            func shopify() async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(
                    uri: "/webhooks/shopify", method: .post, headers: harness.shopifyHeaders(topic: "products/update", body: body),
                    body: ByteBuffer(data: body)
                ) { response in (response.status, response.headers[.retryAfter]) }
            }
            for _ in 0..<3 { #expect(try await shopify().0 == .accepted) }
            let limited = try await shopify()
            #expect(limited.0 == .tooManyRequests)
            #expect(limited.1 == "1")
            // WooCommerce has its own bucket.
            try await client.execute(
                uri: "/webhooks/woocommerce", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "webhook_id=3")
            ) { response in
                #expect(response.status == .ok)
            }
            harness.clock.advance(by: .milliseconds(500))
            #expect(try await shopify().0 == .accepted)
            #expect(try await shopify().0 == .tooManyRequests)
        }
        #expect(harness.deliveries(source: "shopify", outcome: "rate_limited") == 2)
    }

    @Test("a token bucket refills at its rate up to its burst, and a clock stepping back takes nothing")
    func bucket() {
        let start = Timestamp(unixMilliseconds: 1_000_000)
        var bucket = TokenBucket(ratePerSecond: 10, burst: 2, now: start)
        let waits = [
            bucket.take(now: start), bucket.take(now: start), bucket.take(now: start),
            bucket.take(now: start + .milliseconds(100)), bucket.take(now: start - .seconds(5)),
        ]
        #expect(waits == [nil, nil, 1, nil, 1])
        let refilled = bucket.isFull(now: start + .seconds(60))
        #expect(refilled)
        var slow = TokenBucket(ratePerSecond: 1, burst: 1, now: start)
        let slowWaits = [slow.take(now: start), slow.take(now: start + .milliseconds(10))]
        #expect(slowWaits == [nil, 1])
    }

    @Test("the intake rules are read with defaults, and a bad value names its key")
    func configuration() throws {
        let defaults = try IntakeConfiguration(rules: .builtIn)
        #expect(defaults.dedupeRetention == .seconds(72 * 3600))
        #expect(defaults.maxBodyBytes == 1_048_576)
        #expect(defaults.ratePerSecond == 200)
        #expect(defaults.burst == 400)
        let custom = try IntakeConfiguration(rules: RulesFile(yaml: "intake: {dedupe_retention_hours: 96, rate_limit: {per_second: 50}}"))
        #expect(custom.dedupeRetention == .seconds(96 * 3600))
        #expect(custom.burst == 400)
        let error = #expect(throws: ConfigurationError.self) {
            try IntakeConfiguration(rules: RulesFile(yaml: "intake: {max_body_bytes: lots}"))
        }
        #expect(error?.description.contains("intake.max_body_bytes") == true)
        #expect(throws: ConfigurationError.self) {
            try IntakeConfiguration(rules: RulesFile(yaml: "intake: {max_body_byte: 2048}"))
        }
    }
}
