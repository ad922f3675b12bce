import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport
@testable import Complaints

@Suite("Data requests and shop erasure", .timeLimit(.minutes(2)))
final class DataRightsTests {
    @Test("a data request writes the customer's cases as an export that opens only with pii:read")
    func export() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let customer = "shopify:dev.myshopify.com:5"
        try await harness.submit("x1", customer: customer, text: "the lid is cracked")
        let request = try Envelope.make(
            CustomerDataRequested(requestID: "req-1", requestedAt: monday), id: "data-req-1", customer: customer,
            occurred: monday, recorded: monday, source: "shopify", correlation: "req-1", cause: nil)
        try await harness.drain()
        try await harness.append(request, to: "intake")
        try await harness.drain()
        try await harness.makeApplication().test(.router) { client in
            let uri = "/v1/customers/shopify%3Adev.myshopify.com%3A5/exports/req-1"
            let opened = try await client.call(.get, uri, token: Tokens.admin)
            #expect(opened.status == .ok && opened.text.contains("the lid is cracked"))
            let sealed = try await client.call(.get, uri, token: Tokens.reader)
            #expect(sealed.status == .ok && !sealed.text.contains("the lid is cracked") && sealed.text.contains("x1"))
            #expect(try await client.call(.get, "/v1/customers/shopify%3Adev.myshopify.com%3A5/exports/none", token: Tokens.admin).status == .notFound)
        }
    }

    @Test("a shop erasure erases every customer of that store in the partition and no other")
    func shopErasure() async throws {
        let harness = try ComplaintsHarness(partitions: 1)
        try await harness.setUp()
        let first = try await harness.submit("s1", customer: "shopify:gone.myshopify.com:1")
        let second = try await harness.submit("s2", customer: "shopify:gone.myshopify.com:2")
        let other = try await harness.submit("s3", customer: "shopify:stays.myshopify.com:1")
        try await harness.drain()
        let erasure = try Envelope.make(
            ShopRedacted(source: "shopify", store: "gone.myshopify.com", requestedAt: monday), id: "shop-redact", customer: "",
            occurred: monday, recorded: monday, source: "shopify", correlation: "shop", cause: nil)
        _ = try await harness.runtime.redis.send(["XADD", Keyspace.stream("intake", Partition(0)), "*"] + erasure.fields.flatMap { [$0.0, $0.1] })
        try await harness.drain()
        #expect(try await harness.load(first)?.personal.isEmpty == true)
        #expect(try await harness.load(second)?.erasedAt == monday)
        #expect(try await harness.load(other)?.personal.isEmpty == false)
    }
}

@Suite("Start-up")
struct StartUpTests {
    @Test("without a master key the service refuses to start, naming RAPPORT_MASTER_KEY")
    func needsMasterKey() async throws {
        let configuration = try RapportConfiguration.load(service: .complaints, environment: ["RAPPORT_REDIS_URL": "redis://127.0.0.1:1"])
        let runtime = try ServiceRuntime(configuration: configuration)
        let error = try #require(throws: ConfigurationError.self) { try ComplaintsService(runtime: runtime) }
        #expect(error.key == "RAPPORT_MASTER_KEY")
        await runtime.redis.shutdown()
    }
}
