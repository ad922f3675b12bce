import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport
@testable import Complaints

@Suite("Complaints API", .timeLimit(.minutes(2)))
final class APITests {
    static let createBody = """
        {"customer": "shopify:dev.myshopify.com:42", "complaint_id": "call-1", "channel": "phone", "category": "quality",
         "text": "the kettle leaks", "demand": "a new kettle", "contact": "13800000000", "order_id": "1001"}
        """

    @Test("each route answers 401 without a token and 403 without its scope", arguments: [
        ("POST", "/v1/complaints", Tokens.submit, Tokens.reader),
        ("GET", "/v1/complaints", Tokens.agent, Tokens.submit),
        ("GET", "/v1/complaints/web%3Ax", Tokens.agent, Tokens.supervisor),
        ("POST", "/v1/complaints/web%3Ax/replies", Tokens.agent, Tokens.submit),
        ("POST", "/v1/complaints/web%3Ax/assignment", Tokens.agent, Tokens.reader),
        ("POST", "/v1/complaints/web%3Ax/status", Tokens.agent, Tokens.supervisor),
        ("POST", "/v1/complaints/web%3Ax/resolution", Tokens.agent, Tokens.submit),
        ("POST", "/v1/complaints/web%3Ax/follow-ups", Tokens.agent, Tokens.submit),
        ("POST", "/v1/complaints/web%3Ax/satisfaction", Tokens.agent, Tokens.eraser),
        ("POST", "/v1/complaints/web%3Ax/escalations", Tokens.supervisor, Tokens.agent),
        ("POST", "/v1/complaints/web%3Ax/mediation", Tokens.supervisor, Tokens.agentPII),
        ("GET", "/v1/reports/complaints?from=2025-03-01&to=2025-04-01", Tokens.supervisor, Tokens.agent),
        ("DELETE", "/v1/customers/shopify%3Adev.myshopify.com%3A42", Tokens.eraser, Tokens.agent),
        ("GET", "/v1/customers/shopify%3Adev.myshopify.com%3A42/audit", Tokens.reader, Tokens.eraser),
    ])
    func scopes(method: String, uri: String, allowed: String, denied: String) async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let method = HTTPRequest.Method(rawValue: method)!
        try await harness.makeApplication().test(.router) { client in
            #expect(try await client.call(method, uri, token: nil).status == .unauthorized)
            #expect(try await client.call(method, uri, token: denied, json: "{}").status == .forbidden)
            let status = try await client.call(method, uri, token: allowed, json: method == .post ? "{}" : nil).status
            #expect(status != .unauthorized && status != .forbidden)
        }
    }

    @Test("an agent opens a case, works it through its lifecycle and an impossible step is a 409 with the reason")
    func lifecycle() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        try await harness.makeApplication().test(.router) { client in
            let created = try await client.call(.post, "/v1/complaints", token: Tokens.agentPII, json: Self.createBody)
            #expect(created.status == .created)
            #expect(created.body["id"] as? String == "agent:call-1")
            #expect(created.body["status"] as? String == "open")
            #expect((created.body["personal"] as? [String: String])?["demand"] == "a new kettle")
            let again = try await client.call(.post, "/v1/complaints", token: Tokens.submit, json: Self.createBody)
            #expect(again.status == .ok && again.body["personal"] == nil)
            #expect(again.body["personal_fields"] as? [String] == ["contact", "demand", "text"])

            let uri = path("agent:call-1")
            let refused = try await client.call(.post, uri + "/status", token: Tokens.agent, json: #"{"status": "investigating"}"#)
            #expect(refused.status == .conflict)
            #expect((refused.body["detail"] as? String)?.contains("cannot become investigating") == true)
            #expect(try await client.call(.post, uri + "/status", token: Tokens.agent, json: #"{"status": "resolved"}"#).status == .badRequest)
            #expect(try await client.call(.post, uri + "/satisfaction", token: Tokens.agent, json: #"{"score": 5}"#).status == .conflict)

            harness.clock.advance(by: hours(2))
            let replied = try await client.call(.post, uri + "/replies", token: Tokens.agent, json: #"{"message": "we are on it"}"#)
            #expect(replied.status == .ok && replied.body["status"] as? String == "acknowledged")
            #expect(try await client.call(.post, uri + "/assignment", token: Tokens.agent, json: #"{"assignee": "li.wei"}"#).status == .ok)
            #expect(try await client.call(.post, uri + "/status", token: Tokens.agent, json: #"{"status": "investigating"}"#).status == .ok)
            #expect(try await client.call(.post, uri + "/escalations", token: Tokens.supervisor, json: #"{"level": "manager"}"#).status == .ok)
            #expect(try await client.call(.post, uri + "/escalations", token: Tokens.supervisor, json: #"{"level": "agent"}"#).status == .conflict)
            #expect(try await client.call(.post, uri + "/escalations", token: Tokens.supervisor).status == .ok)
            #expect(try await client.call(.post, uri + "/escalations", token: Tokens.supervisor).status == .conflict)
            let resolution = #"{"root_cause": "faulty seal batch", "compensation": {"coupon_code": "SORRY20", "refund": {"amount": "59.90", "currency": "CNY"}, "points": 300}, "note": "sorry"}"#
            let resolved = try await client.call(.post, uri + "/resolution", token: Tokens.agentPII, json: resolution)
            #expect(resolved.status == .ok && resolved.body["status"] as? String == "resolved")
            let view = try #require(resolved.body["resolution"] as? [String: Any])
            #expect(view["note"] as? String == "sorry" && (view["refund"] as? [String: String])?["amount"] == "59.90")
            #expect(try await client.call(.post, uri + "/replies", token: Tokens.agent, json: #"{"message": "more"}"#).status == .conflict)
            #expect(try await client.call(.post, uri + "/follow-ups", token: Tokens.agent, json: #"{"reached": true, "note": "all fine"}"#).status == .ok)
            #expect(try await client.call(.post, uri + "/follow-ups", token: Tokens.agent, json: #"{"reached": true}"#).status == .conflict)
            #expect(try await client.call(.post, uri + "/satisfaction", token: Tokens.agent, json: #"{"score": 9}"#).status == .badRequest)

            let rated = try await client.call(.post, uri + "/satisfaction", token: Tokens.agent, json: #"{"score": 1}"#)
            #expect(rated.status == .ok && rated.body["status"] as? String == "reopened")

            let detail = try await client.call(.get, uri, token: Tokens.agentPII)
            let steps = try #require(detail.body["timeline"] as? [[String: Any]])
            #expect(steps.compactMap { $0["action"] as? String } == [
                "opened", "status", "replied", "assigned", "status", "escalated", "escalated", "resolved", "followed_up", "rated", "reopened",
            ])
            #expect(steps[2]["actor"] as? String == "desk" && steps[2]["text"] as? String == "we are on it")
            #expect(steps[7]["actor"] as? String == "desk-pii")
            let plain = try await client.call(.get, uri, token: Tokens.agent)
            #expect(plain.text.contains("we are on it") == false && plain.text.contains("13800000000") == false)
        }
        let events = try await harness.events().map(\.type)
        #expect(events == [
            "complaint.opened", "complaint.acknowledged", "complaint.escalated", "complaint.escalated",
            "complaint.resolved", "complaint.compensated", "complaint.rated", "complaint.reopened",
        ])
        let compensated = try await harness.events(ComplaintCompensated.self)
        #expect(compensated == [ComplaintCompensated(complaintID: "agent:call-1", points: 300, grantedAt: monday + hours(2))])
        let audit = try await harness.service.routes.queries.audit(customer: "shopify:dev.myshopify.com:42", after: nil, limit: 50).records
        #expect(audit.map(\.record.actor).filter { $0 == "desk" }.count == 5)
        #expect(audit.allSatisfy { !$0.record.fields.contains("we are on it") })
    }

    @Test("an agent's change retried with the same Idempotency-Key is applied once; the key on another request is a 409")
    func idempotentChanges() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        try await harness.makeApplication().test(.router) { client in
            #expect(try await client.call(.post, "/v1/complaints", token: Tokens.agentPII, json: Self.createBody).status == .created)
            let uri = path("agent:call-1") + "/replies"
            let reply = #"{"message": "we are on it"}"#
            let first = try await client.send(.post, uri, token: Tokens.agent, json: reply, headers: [.idempotencyKey: "retry-1"])
            #expect(first.status == .ok && first.headers[.idempotentReplayed] == nil)
            let retry = try await client.send(.post, uri, token: Tokens.agent, json: reply, headers: [.idempotencyKey: "retry-1"])
            #expect(retry.status == .ok && retry.headers[.idempotentReplayed] == "true")
            let other = #"{"message": "something else"}"#
            #expect(try await client.send(.post, uri, token: Tokens.agent, json: other, headers: [.idempotencyKey: "retry-1"]).status == .conflict)
            #expect(try await client.send(.post, uri, token: Tokens.agent, json: reply, headers: [.idempotencyKey: "has space"]).status == .badRequest)
            // Without a key each request stands for itself: a second reply is a second reply.
            #expect(try await client.call(.post, uri, token: Tokens.agent, json: reply).status == .ok)
            let steps = try #require(try await client.call(.get, path("agent:call-1"), token: Tokens.agent).body["timeline"] as? [[String: Any]])
            #expect(steps.filter { $0["action"] as? String == "replied" }.count == 2)
        }
        let audit = try await harness.service.routes.queries.audit(customer: "shopify:dev.myshopify.com:42", after: nil, limit: 50).records
        #expect(audit.filter { $0.record.action == "complaint.replied" }.count == 2)
    }

    @Test("the list filters by status, priority, assignee, breached and customer and pages with a cursor")
    func list() async throws {
        let harness = try ComplaintsHarness(partitions: 3)
        try await harness.setUp()
        for index in 0..<25 {
            harness.clock.set(monday + minutes(Int64(index)))
            try await harness.submit("l\(index)", customer: "shopify:dev.myshopify.com:\(index % 5)", category: index % 5 == 0 ? "safety" : "delivery")
            try await harness.drain()
        }
        try await harness.makeApplication().test(.router) { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/v1/complaints?limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), token: Tokens.agent)
                #expect(page.status == .ok)
                let items = try #require(page.body["items"] as? [[String: Any]])
                seen += items.compactMap { $0["id"] as? String }
                cursor = page.body["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == (0..<25).reversed().map { "web:l\($0)" })

            let urgent = try await client.call(.get, "/v1/complaints?priority=urgent", token: Tokens.agent)
            #expect((urgent.body["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["web:l20", "web:l15", "web:l10", "web:l5", "web:l0"])
            let customer = try await client.call(.get, "/v1/complaints?customer=shopify%3Adev.myshopify.com%3A1&status=open", token: Tokens.agent)
            #expect((customer.body["items"] as? [[String: Any]])?.count == 5)
            #expect(try await client.call(.post, path("web:l3") + "/assignment", token: Tokens.agent, json: #"{"assignee": "wang"}"#).status == .ok)
            let mine = try await client.call(.get, "/v1/complaints?assignee=wang", token: Tokens.agent)
            #expect((mine.body["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["web:l3"])
            #expect(try await client.call(.get, "/v1/complaints?status=nonsense", token: Tokens.agent).status == .badRequest)
            #expect(try await client.call(.get, "/v1/complaints?cursor=%%%", token: Tokens.agent).status == .badRequest)
        }
        try await harness.advance(to: monday + hours(9))
        try await harness.makeApplication().test(.router) { client in
            let breached = try await client.call(.get, "/v1/complaints?breached=true", token: Tokens.agent)
            #expect((breached.body["items"] as? [[String: Any]])?.count == 5)
            let fine = try await client.call(.get, "/v1/complaints?breached=false&limit=200", token: Tokens.agent)
            #expect((fine.body["items"] as? [[String: Any]])?.count == 20)
        }
    }

    @Test("erasure through the API and the customer's audit trail")
    func eraseAndAudit() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        try await harness.makeApplication().test(.router) { client in
            #expect(try await client.call(.post, "/v1/complaints", token: Tokens.agent, json: Self.createBody).status == .created)
            let customer = "/v1/customers/shopify%3Adev.myshopify.com%3A42"
            #expect(try await client.call(.delete, customer, token: Tokens.eraser).status == .noContent)
            let detail = try await client.call(.get, path("agent:call-1"), token: Tokens.agentPII)
            #expect(detail.status == .ok && detail.body["personal_fields"] as? [String] == [] && detail.body["erased_at"] != nil)
            let audit = try await client.call(.get, customer + "/audit", token: Tokens.reader)
            let entries = try #require(audit.body["entries"] as? [[String: Any]])
            #expect(entries.compactMap { $0["action"] as? String } == ["complaint.opened", "erased"])
            #expect(entries.last?["actor"] as? String == "privacy")
            #expect(try await client.call(.get, "/v1/customers/nonsense/audit", token: Tokens.reader).status == .notFound)
        }
    }
}
