import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Loyalty
import Model
import Prometheus
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Loyalty HTTP API", .timeLimit(.minutes(2)))
final class APITests {
    let harness: LoyaltyHarness
    let alice = "shopify:snowdevil.myshopify.com:1001"
    var path: String { "/v1/customers/" + (CustomerID(alice)?.percentEncoded ?? "") }

    init() throws {
        harness = try LoyaltyHarness(rules: """
            loyalty:
              bonuses:
                repeat_purchase: 0
            """)
    }

    @discardableResult
    func withApp<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let router = harness.runtime.makeRouter(registry: PrometheusCollectorRegistry(), consumer: nil)
        harness.loyalty.api.register(on: router)
        return try await Application(router: router).test(.router) { client in try await body(client) }
    }

    static func headers(_ token: String, key: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[.idempotencyKey] = key }
        return headers
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// 1,000 available points from a compensation, plus an order still pending.
    func seed() async throws {
        try await harness.send(ComplaintCompensated(complaintID: "c1", points: 1_000, grantedAt: Fixture.start), id: "evt-comp", customer: alice, on: "complaints")
        try await harness.send(Fixture.order("o1", subtotal: "250.00"), id: "evt-paid", customer: alice)
        try await harness.drain()
    }

    @Test("the points document shows the totals, the next expiries and a ledger page with a cursor")
    func pointsDocument() async throws {
        try await seed()
        let path = path
        try await withApp { client in
            try await client.execute(uri: path + "/points?limit=1", method: .get, headers: Self.headers(LoyaltyHarness.readerToken)) { response in
                #expect(response.status == .ok)
                let document = try Self.json(response)
                #expect(document["balance"] as? Int == 1_250)
                #expect(document["available"] as? Int == 1_000)
                #expect(document["pending"] as? Int == 250)
                #expect(document["debt"] as? Int == 0)
                #expect(document["tier"] as? String == "C")
                #expect((document["next_expiries"] as? [[String: Any]])?.map { $0["points"] as? Int } == [1_000, 250])
                let entries = try #require(document["entries"] as? [[String: Any]])
                // Intake's stream is consumed before the complaints stream: the order is entry 1.
                #expect(entries.map { $0["kind"] as? String } == ["bonus"])
                #expect(entries.first?["reason"] as? String == "compensation")
                #expect(document["next_cursor"] as? String == "2")
            }
            try await client.execute(uri: path + "/points?cursor=2", method: .get, headers: Self.headers(LoyaltyHarness.readerToken)) { response in
                let document = try Self.json(response)
                #expect((document["entries"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["earn"])
                #expect((document["entries"] as? [[String: Any]])?.first?["order_id"] as? String == "o1")
                #expect(document["next_cursor"] == nil)
            }
        }
    }

    @Test("routes need a token with the right scope, and a customer id that reads")
    func access() async throws {
        try await seed()
        let path = path
        try await withApp { client in
            try await client.execute(uri: path + "/points", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: path + "/points", method: .get, headers: Self.headers(LoyaltyHarness.deskToken)) { response in
                let problem = try Self.json(response)
                #expect(response.status == .forbidden)
                #expect(problem["missing_scope"] as? String == "customers:read")
            }
            try await client.execute(
                uri: path + "/redemptions", method: .post, headers: Self.headers(LoyaltyHarness.readerToken, key: "k"), body: Self.body(#"{"points": 1}"#)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(uri: path, method: .delete, headers: Self.headers(LoyaltyHarness.deskToken)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/customers/shopify%3Astore%3A999/points", method: .get, headers: Self.headers(LoyaltyHarness.adminToken)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v1/customers/%zz/points", method: .get, headers: Self.headers(LoyaltyHarness.adminToken)) {
                #expect($0.status == .notFound)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("a redemption with the same key answers the first result; a refusal is a 409 with the reason")
    func redemptionIdempotency() async throws {
        try await seed()
        let (path, harness, alice) = (path, harness, alice)
        try await withApp { client in
            let redeem = { (key: String?, body: String) in
                try await client.execute(uri: path + "/redemptions", method: .post, headers: Self.headers(LoyaltyHarness.deskToken, key: key), body: Self.body(body))
            }
            let first = try await redeem("k1", #"{"points": 300}"#)
            #expect(first.status == .created)
            let again = try await redeem("k1", #"{"points": 300}"#)
            #expect(again.status == .created)
            #expect(again.headers[.idempotentReplayed] == "true")
            #expect(Data(again.body.readableBytesView) == Data(first.body.readableBytesView))
            #expect(try Self.json(first)["balance"] as? Int == 950)

            let refused = try await redeem("k2", #"{"points": 701}"#)
            #expect(refused.status == .conflict)
            #expect(try Self.json(refused)["reason"] as? String == "701 points were asked for but only 700 are available")
            #expect(try await redeem("k2", #"{"points": 701}"#).status == .conflict)
            let reused = try await redeem("k1", #"{"points": 10}"#)
            #expect(reused.status == .conflict)
            #expect((try Self.json(reused)["detail"] as? String)?.contains("different request") == true)

            #expect(try await redeem(nil, #"{"points": 10}"#).status == .badRequest)
            #expect(try await redeem("k3", #"{"points": 0}"#).status == .badRequest)
            #expect(try await redeem("k3", #"{"points": "ten"}"#).status == .badRequest)
            let text = try await client.execute(
                uri: path + "/redemptions", method: .post,
                headers: [.authorization: "Bearer \(LoyaltyHarness.deskToken)", .contentType: "text/plain", .idempotencyKey: "k4"],
                body: Self.body("10"))
            #expect(text.status == .unsupportedMediaType)
        }
        let outputs = try await harness.outputs(alice).filter { $0.type == PointsRedeemed.eventType }
        #expect(outputs.count == 1)
        #expect(try outputs.first?.decode(PointsRedeemed.self) == PointsRedeemed(redemptionID: "k1", points: 300, balance: 950))
        #expect(outputs.first?.id == "api:redemption:\(alice):k1/points.redeemed-3")
    }

    @Test("20 concurrent redemptions that together exceed the balance never take it below zero")
    func concurrentRedemptions() async throws {
        try await seed()
        let path = path
        let amounts: [Int64] = (0..<20).map { 40 + Int64($0) * 7 }
        #expect(amounts.reduce(0, +) > 1_000)
        let answers = try await withApp { client in
            try await withThrowingTaskGroup(of: (Int64, HTTPResponse.Status).self) { group in
                for (index, amount) in amounts.enumerated() {
                    group.addTask {
                        let response = try await client.execute(
                            uri: path + "/redemptions", method: .post,
                            headers: Self.headers(LoyaltyHarness.deskToken, key: "c\(index)"), body: Self.body(#"{"points": \#(amount)}"#))
                        return (amount, response.status)
                    }
                }
                var answers: [(Int64, HTTPResponse.Status)] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
        }
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { $0.1 == .created || $0.1 == .conflict })
        let accepted = answers.filter { $0.1 == .created }.map(\.0)
        let refused = answers.filter { $0.1 == .conflict }.map(\.0)
        let ledger = try #require(try await harness.ledger(alice))
        let totals = LedgerTotals(ledger: ledger, at: harness.clock.now(), expiringWithin: .zero)
        #expect(!refused.isEmpty)
        #expect(totals.available == 1_000 - accepted.reduce(0, +))
        #expect(totals.available >= 0)
        #expect(refused.allSatisfy { $0 > totals.available })
        let redeemed: Int64 = ledger.entries.filter { $0.kind == .redemption }.reduce(0) { $0 - $1.points }
        #expect(redeemed == accepted.reduce(0, +))
        #expect(ledger.balance == 1_250 - accepted.reduce(0, +))
        #expect(try await harness.outputs(alice).filter { $0.type == PointsRedeemed.eventType }.count == accepted.count)
    }

    @Test("staff adjustments need points:write and a reason, and are announced with the actor")
    func adjustments() async throws {
        try await seed()
        let (path, harness, alice) = (path, harness, alice)
        try await withApp { client in
            let adjust = { (token: String, key: String, body: String) in
                try await client.execute(uri: path + "/adjustments", method: .post, headers: Self.headers(token, key: key), body: Self.body(body))
            }
            #expect(try await adjust(LoyaltyHarness.readerToken, "a1", #"{"points": 10, "reason": "goodwill"}"#).status == .forbidden)
            #expect(try await adjust(LoyaltyHarness.deskToken, "a1", #"{"points": 10}"#).status == .badRequest)
            #expect(try await adjust(LoyaltyHarness.deskToken, "a1", #"{"points": 10, "reason": "  "}"#).status == .badRequest)
            let credit = try await adjust(LoyaltyHarness.deskToken, "a1", #"{"points": 10, "reason": "goodwill"}"#)
            #expect(credit.status == .created)
            #expect((try Self.json(credit)["entry"] as? [String: Any])?["reason"] as? String == "goodwill")
            #expect(try await adjust(LoyaltyHarness.deskToken, "a2", #"{"points": -1261, "reason": "fix"}"#).status == .conflict)
            let debit = try await adjust(LoyaltyHarness.deskToken, "a3", #"{"points": -60, "reason": "fix"}"#)
            #expect(try Self.json(debit)["balance"] as? Int == 1_200)
        }
        let adjusted = try await harness.outputs(alice).filter { $0.type == PointsAdjusted.eventType }.map { try $0.decode(PointsAdjusted.self) }
        #expect(adjusted == [
            PointsAdjusted(adjustmentID: "a1", points: 10, actor: "desk", balance: 1_260),
            PointsAdjusted(adjustmentID: "a3", points: -60, actor: "desk", balance: 1_200),
        ])
    }

    @Test("DELETE erases the ledger; the audit lists loyalty's records for the customer")
    func erasureAndAudit() async throws {
        try await seed()
        let path = path
        try await withApp { client in
            try await client.execute(uri: path + "/redemptions", method: .post, headers: Self.headers(LoyaltyHarness.deskToken, key: "k1"), body: Self.body(#"{"points": 5}"#)) {
                #expect($0.status == .created)
            }
            try await client.execute(uri: path, method: .delete, headers: Self.headers(LoyaltyHarness.adminToken)) { #expect($0.status == .noContent) }
            try await client.execute(uri: path, method: .delete, headers: Self.headers(LoyaltyHarness.adminToken)) { #expect($0.status == .noContent) }
            try await client.execute(uri: path + "/points", method: .get, headers: Self.headers(LoyaltyHarness.adminToken)) { #expect($0.status == .notFound) }
            try await client.execute(uri: path + "/audit", method: .get, headers: Self.headers(LoyaltyHarness.readerToken)) { response in
                #expect(response.status == .ok)
                let records = try #require(try Self.json(response)["records"] as? [[String: Any]])
                #expect(records.map { $0["action"] as? String } == ["erased", "api.redemption", "complaint.compensated", "order.paid"])
                #expect(records.map { $0["actor"] as? String } == ["admin", "desk", "loyalty", "loyalty"])
            }
        }
        #expect(try await harness.ledger(alice) == nil)
    }
}
