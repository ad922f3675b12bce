import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import Prometheus
import ServiceSupport
import Streams
import TestSupport

@testable import Intake

/// A real intake for one test suite: its own redis-server, a manual clock, a secret for each
/// platform and the admin token, and the router exactly as the service builds it.
final class IntakeHarness: @unchecked Sendable {
    // Set once in init; tests only read.
    static let shopifySecret = "shpss_5f1d2a9c0b7e4d3a8c6b"
    static let wooSecret = "woo secret with spaces & symbols!"
    static let standardKey = Data(repeating: 0x5a, count: 24)
    static let standardSecret = "whsec_" + standardKey.base64EncodedString()
    static let adminToken = "intake-test-admin-token"
    static let shop = "snowdevil.myshopify.com"
    static let start = Timestamp(unixMilliseconds: 1_741_000_000_000)

    let server: RedisServer
    let clock = ManualTimeSource(IntakeHarness.start)
    let runtime: ServiceRuntime
    let registry = PrometheusCollectorRegistry()
    let keys: CustomerKeys

    init(rules: String? = nil, appendOnly: Bool = false) throws {
        server = try RedisServer(appendOnly: appendOnly)
        var configuration = try RapportConfiguration.load(service: .intake, environment: [
            "RAPPORT_REDIS_URL": server.url,
            "RAPPORT_ADMIN_TOKEN": Self.adminToken,
            "RAPPORT_MASTER_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
            "RAPPORT_SHOPIFY_SECRETS": "\(Self.shopifySecret),shpss_previous_secret",
            "RAPPORT_WOOCOMMERCE_SECRETS": Self.wooSecret,
            "RAPPORT_STANDARD_WEBHOOK_SECRETS": Self.standardSecret,
            "RAPPORT_LOG_LEVEL": "warning",
        ])
        if let rules { configuration.rules = try RulesFile(yaml: rules) }
        runtime = try ServiceRuntime(configuration: configuration, clock: clock)
        keys = CustomerKeys(keyring: try MasterKeyring(configuration: configuration), partitioning: runtime.partitioning)
    }

    deinit {
        let redis = runtime.redis
        Task { await redis.shutdown() }
    }

    func application() throws -> some ApplicationProtocol {
        Application(router: try buildIntakeRouter(runtime: runtime, registry: registry))
    }

    // MARK: deliveries

    func shopifyHeaders(topic: String, body: Data, eventID: String = UUID().uuidString, secret: String = shopifySecret) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HeaderName("X-Shopify-Topic")!] = topic
        headers[HeaderName("X-Shopify-Shop-Domain")!] = Self.shop
        headers[HeaderName("X-Shopify-Event-Id")!] = eventID
        headers[HeaderName("X-Shopify-Webhook-Id")!] = UUID().uuidString
        headers[HeaderName("X-Shopify-Triggered-At")!] = "2025-03-03T11:06:40.000Z"
        headers[HeaderName("X-Shopify-API-Version")!] = "2025-01"
        headers[HeaderName("X-Shopify-Hmac-Sha256")!] = sign(body, secret: secret)
        return headers
    }

    func wooHeaders(topic: String, body: Data, deliveryID: String = UUID().uuidString) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let parts = topic.split(separator: ".")
        headers[HeaderName("X-WC-Webhook-Source")!] = "https://example.com/"
        headers[HeaderName("X-WC-Webhook-Topic")!] = topic
        headers[HeaderName("X-WC-Webhook-Resource")!] = String(parts[0])
        headers[HeaderName("X-WC-Webhook-Event")!] = String(parts[1])
        headers[HeaderName("X-WC-Webhook-ID")!] = "17"
        headers[HeaderName("X-WC-Webhook-Delivery-ID")!] = deliveryID
        headers[HeaderName("X-WC-Webhook-Signature")!] = sign(body, secret: Self.wooSecret)
        return headers
    }

    func standardHeaders(body: Data, id: String = "msg_" + UUID().uuidString, sentAt: Timestamp? = nil) -> HTTPFields {
        let seconds = String((sentAt ?? clock.now()).unixMilliseconds / 1000)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HeaderName("webhook-id")!] = id
        headers[HeaderName("webhook-timestamp")!] = seconds
        headers[HeaderName("webhook-signature")!] = "v1," + sign(Data("\(id).\(seconds).".utf8) + body, secret: Self.standardKey)
        return headers
    }

    // MARK: what was stored

    /// Every entry of the intake stream of `partition`, oldest first.
    func entries(in partition: Partition) async throws -> [Envelope] {
        let reply = try await server.send(["XRANGE", Keyspace.stream("intake", partition), "-", "+"])
        return try (reply.array ?? []).map { entry in
            try Envelope(fields: entry.array?[1].fieldMap ?? [:])
        }
    }

    /// Every entry of every partition.
    func allEntries() async throws -> [Envelope] {
        var all: [Envelope] = []
        for partition in runtime.partitioning.all { all += try await entries(in: partition) }
        return all
    }

    /// Raw field values of every entry, to check no personal data is stored in clear.
    func rawStreamText() async throws -> String {
        var text = ""
        for partition in runtime.partitioning.all {
            let reply = try await server.send(["XRANGE", Keyspace.stream("intake", partition), "-", "+"])
            for entry in reply.array ?? [] { text += entry.array?[1].fieldMap.values.joined(separator: "\n") ?? "" }
        }
        return text
    }

    func partition(of customer: CustomerID) -> Partition { runtime.partitioning.partition(of: customer) }

    /// The value of `rapport_intake_deliveries_total{source,outcome}`, 0 when never counted.
    func deliveries(source: String, outcome: String) -> Int {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(IntakeMetrics.deliveries + "{") {
            if line.contains("source=\"\(source)\""), line.contains("outcome=\"\(outcome)\""),
                let value = line.split(separator: " ").last.flatMap({ Int($0) })
            {
                return value
            }
        }
        return 0
    }
}

extension ByteBuffer {
    init(data: Data) { self.init(bytes: data) }
}
