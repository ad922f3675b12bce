import Crypto
import Foundation
import Model
import Testing
import TestSupport

/// The five executables against one Redis, driven only through their public doors: a signed
/// webhook into intake, then the domain APIs of classification and loyalty.
@Suite("A webhook through the running services", .serialized, .timeLimit(.minutes(3)))
final class WebhookToServicesTests {
    let server: RedisServer
    let token = "end-to-end-admin-token"
    let secret = "end-to-end-shopify-secret"
    let shop = "snowdevil.myshopify.com"

    init() throws {
        server = try RedisServer()
    }

    func start(_ executable: String) async throws -> ServiceProcess {
        let process = try ServiceProcess(executable, environment: [
            "RAPPORT_REDIS_URL": server.url,
            "RAPPORT_ADMIN_TOKEN": token,
            "RAPPORT_SHOPIFY_SECRETS": secret,
            "RAPPORT_MASTER_KEY": Data(repeating: 3, count: 32).base64EncodedString(),
            "RAPPORT_CONSUMER_NAME": "e2e",
        ])
        try process.start()
        let healthy = try await process.waitUntilHealthy()
        #expect(healthy, "\(executable) log: \(process.log)")
        return process
    }

    /// A published sample payload, moved to yesterday: the services run on the real clock, and an
    /// order from the sample's year would have earned points that expired long ago.
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let yesterday = Date().addingTimeInterval(-86_400).formatted(.iso8601.year().month().day().dateSeparator(.dash))
        return Data(text.replacingOccurrences(of: "2021-12-31T", with: "\(yesterday)T").utf8)
    }

    func deliver(_ body: Data, topic: String, eventID: String, to intake: ServiceProcess) async -> Int? {
        let signature = Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
        return await intake.request("POST", "/webhooks/shopify", headers: [
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-Event-Id": eventID,
            "X-Shopify-Webhook-Id": eventID,
            "X-Shopify-Hmac-Sha256": signature,
        ], body: body)?.status
    }

    func json(_ text: String?) -> [String: Any]? {
        text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test("a paid Shopify order reaches classification's profile and loyalty's ledger once, however often it is delivered")
    func paidOrderEverywhere() async throws {
        let intake = try await start("rapport-intake")
        let classification = try await start("rapport-classification")
        let loyalty = try await start("rapport-loyalty")

        let created = try fixture("orders-create")
        let paid = try fixture("orders-paid")
        #expect(await deliver(created, topic: "orders/create", eventID: "evt-create", to: intake) == 202)
        #expect(await deliver(paid, topic: "orders/paid", eventID: "evt-paid", to: intake) == 202)
        // The platform retries, and a second delivery of the same payment arrives under a new id.
        #expect(await deliver(paid, topic: "orders/paid", eventID: "evt-paid", to: intake) == 202)
        #expect(await deliver(paid, topic: "orders/paid", eventID: "evt-paid-again", to: intake) == 202)
        let forged = await intake.request("POST", "/webhooks/shopify", headers: [
            "Content-Type": "application/json", "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": shop,
            "X-Shopify-Event-Id": "evt-forged", "X-Shopify-Hmac-Sha256": "AAAA",
        ], body: paid)
        #expect(forged?.status == 401)

        let customer = CustomerID(source: "shopify", store: shop, externalID: "115310627314723954")
        let auth = ["Authorization": "Bearer \(token)"]

        var points: [String: Any]?
        let earned = try await eventually(timeout: .seconds(30)) {
            points = self.json(await loyalty.request("GET", "/v1/customers/\(customer.percentEncoded)/points", headers: auth)?.body)
            return (points?["pending"] as? Int ?? 0) > 0
        }
        #expect(earned, "points: \(String(describing: points)); loyalty log: \(loyalty.log.suffix(2000))")
        // 388.00 USD of goods, tier C (x1), one point per 1.00: earned exactly once.
        #expect(points?["pending"] as? Int == 388)
        #expect(points?["balance"] as? Int == 388)

        var profile: [String: Any]?
        let classified = try await eventually(timeout: .seconds(30)) {
            profile = self.json(await classification.request("GET", "/v1/customers/\(customer.percentEncoded)", headers: auth)?.body)
            let lifetime = (profile?["purchases"] as? [String: Any])?["lifetime"] as? [String: Any]
            return lifetime?["orders"] as? Int == 1
        }
        #expect(classified, "profile: \(String(describing: profile))")
        let tier = profile?["tier"] as? [String: Any]
        #expect(tier?["name"] as? String == "C")

        // Nothing of the order's personal data is in any service's log.
        for process in [intake, classification, loyalty] {
            #expect(!process.log.contains("john@example.com"))
        }
        for process in [intake, classification, loyalty] {
            let stopped = await process.terminate()
            #expect(stopped?.status == 0)
        }
    }

    @Test("a complaint from a shop front end opens one case and reaches the customer's profile as an open complaint")
    func complaintThroughTheServices() async throws {
        let intake = try await start("rapport-intake")
        let complaints = try await start("rapport-complaints")
        let classification = try await start("rapport-classification")
        let customer = CustomerID(source: "shopify", store: shop, externalID: "706405506930370084")
        let auth = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
        let form = Data("""
            {"complaint_id": "web-0007", "customer": "\(customer)", "channel": "web", "category": "delivery",
             "text": "The parcel arrived damaged.", "demand": "replacement", "contact": "ana.li@example.org"}
            """.utf8)
        #expect(await intake.request("POST", "/v1/complaints", headers: auth, body: form)?.status == 202)
        #expect(await intake.request("POST", "/v1/complaints", headers: auth, body: form)?.status == 202)
        #expect(await intake.request("POST", "/v1/complaints", body: form)?.status == 401)

        var listed: [[String: Any]] = []
        let opened = try await eventually(timeout: .seconds(30)) {
            let body = await complaints.request("GET", "/v1/complaints?customer=\(customer.percentEncoded)", headers: auth)?.body
            listed = (self.json(body)?["items"] as? [[String: Any]]) ?? []
            return !listed.isEmpty
        }
        #expect(opened, "complaints log: \(complaints.log.suffix(2000))")
        #expect(listed.count == 1)
        #expect(listed.first?["category"] as? String == "delivery")

        var open: Int?
        let signalled = try await eventually(timeout: .seconds(30)) {
            let profile = self.json(await classification.request("GET", "/v1/customers/\(customer.percentEncoded)", headers: auth)?.body)
            open = (profile?["complaints"] as? [String: Any])?["open"] as? Int
            return open == 1
        }
        #expect(signalled, "open complaints in the profile: \(String(describing: open))")
        for process in [intake, complaints, classification] {
            #expect(!process.log.contains("ana.li@example.org"))
            #expect(!process.log.contains("arrived damaged"))
            let stopped = await process.terminate()
            #expect(stopped?.status == 0)
        }
    }
}
