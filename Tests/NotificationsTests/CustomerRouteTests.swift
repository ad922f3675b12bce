import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Notifications
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Notifications: customer routes", .serialized, .timeLimit(.minutes(2)))
struct CustomerRouteTests {
    let ana = "shopify:snow.myshopify.com:1001"
    let bo = "shopify:snow.myshopify.com:1002"

    /// reader-token: customers:read; eraser-token: customers:erase; desk-token: notifications:admin.
    static let tokens = """
        tokens:
          - name: reader
            sha256: ba5005a40cf5212e4ac0190104cc127edab013294bb71279a975b27a80982d45
            scopes: [customers:read]
          - name: eraser
            sha256: a28c0d6bd89c5438cbc7b613c170b05101faebda26f6e568090b46d4fe81b6d2
            scopes: [customers:erase]
          - name: desk
            sha256: 9af7349c492f94983c4a4c4017b045fedfb2e5c28a1a958a07b02af2c7d604e3
            scopes: [notifications:admin]

        """

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
    static let reader = bearer("reader-token")
    static let eraser = bearer("eraser-token")
    static let desk = bearer("admin-only-token")

    static func emailHarness() throws -> (Harness, RecordingChannel) {
        let email = RecordingChannel()
        let harness = try Harness(rules: tokens, start: mayMorning, channels: [.email: email], settings: {
            $0.smtp = .init(url: "smtp://unused", from: "care@snow.example")
        })
        return (harness, email)
    }

    static func application(_ harness: Harness) -> some ApplicationProtocol {
        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: harness.runtime.authenticator))
        harness.app.registerRoutes(on: router)
        return Application(router: router)
    }

    static func bothKnown(_ harness: Harness, _ first: String, _ second: String) async throws -> Bool {
        let a = try await harness.contact(first)
        let b = try await harness.contact(second)
        return a != nil && b != nil
    }

    private struct AuditPage: Decodable {
        struct Record: Decodable {
            var entry: String
            var action: String
            var fields: [String]
            var cause: String
            var actor: String
            var at: String
        }

        var customer: String
        var records: [Record]
    }

    @Test("GET /v1/customers/{id}/audit lists this service's records of the customer, newest first, with customers:read only")
    func auditTrail() async throws {
        let (harness, _) = try Self.emailHarness()
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com"], language: "en", timeZone: "Asia/Shanghai")
        try await harness.upsert(bo, personal: ["email": "bo@example.com"], language: "zh-CN", timeZone: nil)
        #expect(try await eventually { try await Self.bothKnown(harness, ana, bo) })
        // Another service's record of the same customer in the same partition's trail.
        let foreign = AuditRecord(
            customer: ana, fields: ["entries"], action: "order.paid", cause: "evt-1", actor: "loyalty", service: "loyalty",
            at: harness.clock.now())
        _ = try await harness.server.send(
            ["XADD", Keyspace.audit(harness.partition(of: ana)), "*"] + foreign.streamFields.flatMap { [$0.0, $0.1] })

        let encoded = try #require(CustomerID(ana)).percentEncoded
        try await Self.application(harness).test(.router) { client in
            try await client.execute(
                uri: "/v1/customers/\(encoded)/preferences", method: .put, headers: Self.bearer("admin-token"),
                body: ByteBuffer(string: #"{"sms": {"marketing": false}}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/audit", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/audit", method: .get, headers: Self.desk) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("customers:read"))
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/audit", method: .get, headers: Self.reader) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains("ana@example.com"))
                let page = try JSONDecoder().decode(AuditPage.self, from: Data(text.utf8))
                #expect(page.customer == ana)
                #expect(page.records.map(\.action) == ["preferences.changed", "contact_book.updated"])
                #expect(page.records.first?.fields == ["preferences"])
                #expect(page.records.first?.cause == "PUT /v1/customers/{id}/preferences")
                let upserted = try #require(page.records.last)
                #expect(upserted.fields == ["consent", "email", "language", "time_zone"])
                #expect(upserted.actor == "test")
                #expect(upserted.at == mayMorning.description)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/audit?limit=1", method: .get, headers: Self.reader) { response in
                let page = try JSONDecoder().decode(AuditPage.self, from: Data(String(buffer: response.body).utf8))
                #expect(page.records.map(\.action) == ["preferences.changed"])
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/audit?limit=0", method: .get, headers: Self.reader) { response in
                #expect(response.status == .badRequest)
            }
        }
        let document = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Services/Notifications/openapi.yaml").standardized,
            encoding: .utf8)
        #expect(document.contains("  /v1/customers/{id}/audit:\n    get:"))
    }

    private struct Overview: Decodable {
        var customer: String
        var language: String?
        var timeZone: String?
        var tier: String?
        var preferences: [String: [String: Bool]]
        var nextVisit: Int64?
        var deliveries: [DeliveryRecord]
    }

    @Test("GET /v1/customers/{id}/notifications shows settings and deliveries without personal data, with customers:read only")
    func overview() async throws {
        let (harness, email) = try Self.emailHarness()
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "first_name": "Ana"], language: "en",
                                 timeZone: "Asia/Shanghai", createdAt: mayMorning - .seconds(400 * 86400))
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publishRaw(type: "points.earned", data: #"{"points":120}"#, customer: ana, stream: "loyalty")
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.count == 1)

        let encoded = try #require(CustomerID(ana)).percentEncoded
        let unknown = try #require(CustomerID("shopify:snow.myshopify.com:9999")).percentEncoded
        try await Self.application(harness).test(.router) { client in
            try await client.execute(uri: "/v1/customers/\(encoded)/notifications", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/notifications", method: .get, headers: Self.eraser) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/notifications", method: .get, headers: Self.reader) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(!text.contains("ana@example.com"))
                let overview = try JSONDecoder().decode(Overview.self, from: Data(text.utf8))
                #expect(overview.customer == ana)
                #expect(overview.language == "en")
                #expect(overview.timeZone == "Asia/Shanghai")
                // No tier yet: the revisit follows the other-tier cadence of 182 days.
                #expect(overview.nextVisit == (mayMorning + .seconds(182 * 86400)).unixMilliseconds)
                #expect(overview.deliveries.map(\.purpose) == ["points_earned"])
                #expect(overview.deliveries.map(\.status) == [.sent])
                #expect(overview.deliveries.first?.attempts == 1)
            }
            try await client.execute(uri: "/v1/customers/\(unknown)/notifications", method: .get, headers: Self.reader) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("DELETE /v1/customers/{id} with customers:erase removes the entry, history, tasks and every timer, and nothing of others")
    func eraseThroughAPI() async throws {
        let (harness, email) = try Self.emailHarness()
        try await harness.startConsumers()
        // 08:00 in New York: quiet hours, so Ana's message waits on a delivery timer.
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "birthday": "1990-07-01"], language: "en",
                                 timeZone: "America/New_York")
        try await harness.upsert(bo, personal: ["email": "bo@example.com", "birthday": "1990-07-01"], language: "zh-CN",
                                 timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await Self.bothKnown(harness, ana, bo) })
        try await harness.publishRaw(type: "points.earned", data: #"{"points":5}"#, customer: ana, stream: "loyalty")
        try await harness.publishRaw(
            type: "churn.risk_raised", data: #"{"score":81,"threshold":70,"raisedAt":1778932800000}"#, customer: ana, stream: "customers")
        try await harness.publishRaw(
            type: "churn.risk_raised", data: #"{"score":90,"threshold":70,"raisedAt":1778932800000}"#, customer: bo, stream: "customers")
        let partition = harness.partition(of: ana)
        let keys = NotificationKeys(partition)
        #expect(try await eventually { try await harness.history(ana).count == 2 })
        #expect(try await eventually { try await harness.server.send(["SCARD", keys.customerTasks(ana)]).int == 1 })
        #expect(try await eventually { try await harness.server.send(["SCARD", NotificationKeys(harness.partition(of: bo)).customerTasks(bo)]).int == 1 })
        let deferred = try await harness.history(ana)
        #expect(Set(deferred.map(\.status)) == [.deferred])
        for record in deferred {
            #expect(try await harness.timerDue("delivery:\(record.id)", customer: ana) != nil)
        }
        #expect(try await harness.timerDue("birthday:\(ana)", customer: ana) != nil)
        #expect(try await harness.timerDue("revisit:\(ana)", customer: ana) != nil)
        let sealedEmail = try #require(try await harness.contact(ana)?.personal["email"])
        let customerKeys = harness.keys
        let (redis, clock, customer) = (harness.runtime.redis, harness.clock, ana)
        func openEmail() async throws -> String? {
            try await redis.commit(clock: clock) { tx in
                try customerKeys.open(["email": sealedEmail], customer: customer, in: tx)?["email"]
            }
        }
        #expect(try await openEmail() == "ana@example.com")
        let taskIDs = try await harness.server.send(["SMEMBERS", keys.customerTasks(ana)]).array?.compactMap(\.string) ?? []

        let encoded = try #require(CustomerID(ana)).percentEncoded
        try await Self.application(harness).test(.router) { client in
            try await client.execute(uri: "/v1/customers/\(encoded)", method: .delete) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)", method: .delete, headers: Self.reader) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await harness.contact(ana) != nil)
            try await client.execute(uri: "/v1/customers/\(encoded)", method: .delete, headers: Self.eraser) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/notifications", method: .get, headers: Self.reader) { response in
                #expect(response.status == .notFound)
            }
        }

        #expect(try await harness.contact(ana) == nil)
        #expect(try await harness.history(ana).isEmpty)
        #expect(try await harness.server.send(["EXISTS", keys.history(ana), keys.customerTasks(ana)]).int == 0)
        for record in deferred {
            #expect(try await harness.delivery(record.id) == nil)
            #expect(try await harness.timerDue("delivery:\(record.id)", customer: ana) == nil)
        }
        for id in taskIDs {
            #expect(try await harness.server.send(["EXISTS", keys.task(id)]).int == 0)
            #expect(try await harness.server.send(["ZSCORE", keys.tasks, id]).isNull)
        }
        #expect(try await harness.timerDue("birthday:\(ana)", customer: ana) == nil)
        #expect(try await harness.timerDue("revisit:\(ana)", customer: ana) == nil)
        #expect(try await harness.server.send(["SISMEMBER", keys.customers, ana]).int == 0)
        // The data key went too, so sealed copies in old stream entries stay unreadable.
        #expect(try await openEmail() == nil)

        // Bo keeps everything.
        #expect(try await harness.contact(bo) != nil)
        #expect(try await harness.timerDue("birthday:\(bo)", customer: bo) != nil)
        #expect(try await harness.timerDue("revisit:\(bo)", customer: bo) != nil)
        #expect(try await harness.server.send(["SCARD", NotificationKeys(harness.partition(of: bo)).customerTasks(bo)]).int == 1)

        // Ana's deferred message never goes out, even once its release time has passed.
        harness.clock.advance(by: .seconds(2 * 3600))
        try await harness.releaseTimers()
        try await harness.sendOutbox()
        #expect(!email.messages.contains { $0.customer == ana })
    }
}
