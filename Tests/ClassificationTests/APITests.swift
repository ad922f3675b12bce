@testable import Classification
import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import Prometheus
@testable import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Classification HTTP API", .serialized, .timeLimit(.minutes(2)))
final class APITests: @unchecked Sendable {
    // Each test gets its own instance; its stored properties are never mutated.
    let harness: Harness
    let customer = Fixtures.customer

    static let tokens: [(name: String, token: String, scopes: [String])] = [
        ("desk", "reader-token", ["customers:read"]),
        ("privacy", "pii-token", ["customers:read", "pii:read"]),
        ("points", "points-token", ["points:write"]),
        ("account-manager", "writer-token", ["customers:write"]),
    ]

    init() throws {
        let grants = Self.tokens.map { grant in
            "  - { name: \(grant.name), sha256: \(TokenDigest(token: grant.token).hex), scopes: [\(grant.scopes.joined(separator: ", "))] }"
        }.joined(separator: "\n")
        harness = try Harness(rules: "tokens:\n" + grants + "\n")
    }

    func application() -> some ApplicationProtocol {
        let router = harness.runtime.makeRouter(registry: PrometheusCollectorRegistry(), consumer: nil)
        harness.api.register(on: router)
        return Application(router: router)
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any])
    }

    var path: String { "/v1/customers/" + (CustomerID(customer)?.percentEncoded ?? "") }

    func seed() async throws {
        let keys = try #require(harness.customerKeys)
        let customer = self.customer
        let sealed = try await harness.client.commit(clock: harness.clock) { transaction in
            try keys.seal(["email": "ana@example.com", "first_name": "Ana"], customer: customer, in: transaction)
        }
        try await harness.publish([
            try Fixtures.upserted(personal: sealed),
            try Fixtures.paid("1", "12000.00", at: harness.clock.now()),
        ])
        try await harness.settle()
    }

    @Test("profiles need a token (401) with customers:read (403); personal fields only with pii:read")
    func authorisation() async throws {
        try await seed()
        try await application().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: path, method: .get, headers: Self.bearer("points-token")) { response in
                #expect(response.status == .forbidden)
                let problem = try Self.json(response.body)
                #expect(problem["missing_scope"] as? String == "customers:read")
            }
            try await client.execute(uri: path, method: .get, headers: Self.bearer("reader-token")) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["personal"] == nil)
                #expect(!String(buffer: response.body).contains("ana@example.com"))
                #expect((body["tier"] as? [String: Any])?["name"] as? String == "B")
                #expect((body["tier"] as? [String: Any])?["reason"] as? String == "threshold_crossed")
                #expect((body["churn"] as? [String: Any])?["score"] as? Int == 0)
                let window = ((body["purchases"] as? [String: Any])?["window"] as? [String: Any])
                #expect((window?["spend"] as? [[String: String]])?.first?["amount"] == "12000.00")
            }
            try await client.execute(uri: path, method: .get, headers: Self.bearer("pii-token")) { response in
                #expect(response.status == .ok)
                let personal = try #require(try Self.json(response.body)["personal"] as? [String: Any])
                #expect(personal["available"] as? Bool == true)
                #expect((personal["fields"] as? [String: String])?["email"] == "ana@example.com")
            }
            try await client.execute(uri: "/v1/customers/shopify%3Anobody.example%3A1", method: .get, headers: Self.bearer("reader-token")) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            for (method, uri) in [(HTTPRequest.Method.get, "/v1/customers"), (.get, "/v1/reports/tiers"), (.get, path + "/audit"), (.delete, path), (.put, path + "/tier-floor")] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                }
            }
            // customers:read is not enough to set a floor or erase.
            try await client.execute(uri: path + "/tier-floor", method: .put, headers: Self.bearer("reader-token"), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .forbidden)
                let problem = try Self.json(response.body)
                #expect(problem["missing_scope"] as? String == "customers:write")
            }
            try await client.execute(uri: path, method: .delete, headers: Self.bearer("pii-token")) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("without a master key, personal fields are reported unavailable")
    func noMasterKey() async throws {
        try await seed()
        // The same Redis data, served by an API without a keyring.
        let api = ClassificationAPI(
            redis: harness.runtime.redis, partitioning: harness.partitioning, clock: harness.clock,
            settings: harness.settings, customerKeys: nil)
        let router = harness.runtime.makeRouter(registry: PrometheusCollectorRegistry(), consumer: nil)
        api.register(on: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: path, method: .get, headers: Self.bearer(Harness.adminToken)) { response in
                let personal = try #require(try Self.json(response.body)["personal"] as? [String: Any])
                #expect(personal["available"] as? Bool == false)
                #expect(personal["reason"] as? String == "no_master_key")
            }
        }
    }

    @Test("a tier floor lifts the tier with tier.changed, is validated, and lapses at its expiry")
    func tierFloor() async throws {
        try await seed()
        let expires = harness.clock.now() + .days(20)
        try await application().test(.router) { client in
            let body = #"{"tier": "A", "expires_at": "\#(expires.description)", "reason": "strategic partner"}"#
            try await client.execute(uri: path + "/tier-floor", method: .put, headers: Self.bearer("writer-token"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let tier = try #require(try Self.json(response.body)["tier"] as? [String: Any])
                #expect(tier["name"] as? String == "A")
                #expect(tier["reason"] as? String == "manual_floor")
                #expect(tier["earned"] as? String == "B")
                #expect((tier["floor"] as? [String: Any])?["set_by"] as? String == "account-manager")
            }
            for bad in [
                #"{"tier": "Z", "expires_at": "2030-01-01T00:00:00Z", "reason": "x"}"#,
                #"{"tier": "A", "expires_at": "2001-01-01T00:00:00Z", "reason": "x"}"#,
                #"{"tier": "A", "expires_at": "tomorrow", "reason": "x"}"#,
                #"{"tier": "A", "expires_at": "2030-01-01T00:00:00Z", "reason": " "}"#,
                "not json",
            ] {
                try await client.execute(uri: path + "/tier-floor", method: .put, headers: Self.bearer(Harness.adminToken), body: ByteBuffer(string: bad)) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
        // C when the customer record arrived, B on the order, A by the floor.
        var changes = try await harness.published(TierChanged.eventType, customer: customer).map { try $0.decode(TierChanged.self) }
        #expect(changes.map(\.current) == ["C", "B", "A"])
        #expect(changes.last?.reason == "manual_floor")
        #expect(try await harness.audit().last?.actor == "account-manager")
        #expect(try await harness.audit().last?.fields == ["tier", "tier_floor"])

        try await harness.advance(by: .days(19))
        #expect(try await harness.profile()?.tier?.current == "A")
        try await harness.advance(by: .days(1))
        #expect(try await harness.profile()?.tier?.current == "B")
        changes = try await harness.published(TierChanged.eventType, customer: customer).map { try $0.decode(TierChanged.self) }
        #expect(changes.map(\.current) == ["C", "B", "A", "B"])
        #expect(changes.last?.reason == "floor_expired")
    }

    @Test("the list is filtered by tier, segment and churn score and paged with a cursor across partitions")
    func listAndPaging() async throws {
        let t0 = harness.clock.now()
        var events: [Envelope] = []
        for i in 0..<25 {
            let customer = "shopify:list.example:\(String(format: "%02d", i))"
            events.append(try Fixtures.paid("l\(i)", i % 5 == 0 ? "10000.00" : "10.00", at: t0 + .seconds(Int64(i) * 60), customer: customer))
        }
        try await harness.publish(events)
        try await harness.settle()
        try await application().test(.router) { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/customers?tier=C&limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                try await client.execute(uri: uri, method: .get, headers: Self.bearer("reader-token")) { response in
                    #expect(response.status == .ok)
                    let body = try Self.json(response.body)
                    let items = try #require(body["customers"] as? [[String: Any]])
                    #expect(items.count <= 7)
                    seen += items.compactMap { $0["id"] as? String }
                    #expect(items.allSatisfy { $0["tier"] as? String == "C" })
                    cursor = body["next_cursor"] as? String
                }
            } while cursor != nil
            #expect(seen.count == 20)
            #expect(seen == seen.sorted())
            #expect(Set(seen).count == 20)

            try await client.execute(uri: "/v1/customers?tier=B", method: .get, headers: Self.bearer("reader-token")) { response in
                let items = try #require(try Self.json(response.body)["customers"] as? [[String: Any]])
                #expect(items.count == 5)
            }
            try await client.execute(uri: "/v1/customers?churn_risk_over=50", method: .get, headers: Self.bearer("reader-token")) { response in
                let items = try #require(try Self.json(response.body)["customers"] as? [[String: Any]])
                #expect(items.isEmpty)
            }
            for bad in ["tier=Z", "segment=vip", "churn_risk_over=101", "limit=0", "cursor=%25%25"] {
                try await client.execute(uri: "/v1/customers?" + bad, method: .get, headers: Self.bearer("reader-token")) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
        // After the daily recompute everyone has a segment; filter on one.
        try await harness.advance(by: .days(1))
        try await application().test(.router) { client in
            try await client.execute(uri: "/v1/customers?segment=new&limit=200", method: .get, headers: Self.bearer("reader-token")) { response in
                let items = try #require(try Self.json(response.body)["customers"] as? [[String: Any]])
                // The ten latest buyers score R 4-5; eight of them spent little: New.
                #expect(items.count == 8)
                #expect(items.allSatisfy { $0["segment"] as? String == "new" })
            }
        }
    }

    @Test("the tier report counts tiers, segments and this month's movements")
    func tierReport() async throws {
        try await seed()
        try await harness.publish([try Fixtures.paid("q", "5.00", at: harness.clock.now(), customer: "shopify:other.example:1")])
        try await harness.settle()
        try await application().test(.router) { client in
            try await client.execute(uri: "/v1/reports/tiers?periods=2", method: .get, headers: Self.bearer("reader-token")) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["customers"] as? Int == 2)
                #expect((body["tiers"] as? [String: Int]) == ["A": 0, "B": 1, "C": 1])
                #expect((body["segments"] as? [String: Int])?["unscored"] == 2)
                let movement = try #require(body["movement"] as? [[String: Any]])
                #expect(movement.count == 2)
                #expect(movement.first?["period"] as? String == "2025-01")
                #expect(movement.first?["new_customers"] as? Int == 2)
                #expect(movement.first?["upgrades"] as? Int == 1)
                #expect((movement.first?["transitions"] as? [String: Int])?["C>B"] == 1)
            }
        }
    }

    @Test("DELETE erases the profile and the data key; the audit trail shows classification's part")
    func eraseAndAudit() async throws {
        try await seed()
        try await application().test(.router) { client in
            try await client.execute(uri: path + "/audit", method: .get, headers: Self.bearer("reader-token")) { response in
                #expect(response.status == .ok)
                let entries = try #require(try Self.json(response.body)["entries"] as? [[String: Any]])
                #expect(entries.first?["action"] as? String == "profile.created")
                #expect((entries.first?["fields"] as? [String])?.contains("personal.email") == true)
                #expect(!String(buffer: response.body).contains("ana@example.com"))
            }
            try await client.execute(uri: path, method: .delete, headers: Self.bearer(Harness.adminToken)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: path, method: .get, headers: Self.bearer("reader-token")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: path, method: .delete, headers: Self.bearer(Harness.adminToken)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: path + "/audit", method: .get, headers: Self.bearer("reader-token")) { response in
                let entries = try #require(try Self.json(response.body)["entries"] as? [[String: Any]])
                #expect(entries.last?["action"] as? String == "erased")
                #expect(entries.last?["actor"] as? String == "admin")
            }
        }
        let partition = harness.partition(of: customer)
        #expect(try await harness.client.send(["EXISTS", Keyspace.dataKey(customer: customer, partition)]).int == 0)
    }
}
