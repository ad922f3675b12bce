import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceSupport

@Suite("Problem details (RFC 9457)")
struct ProblemTests {
    private func json(_ problem: Problem) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: problem.jsonBody()) as? [String: Any])
    }

    @Test("the body carries type, title, status and detail")
    func body() throws {
        let body = try json(.badRequest("the field 'email' is missing"))
        #expect(body["type"] as? String == "about:blank")
        #expect(body["title"] as? String == "Bad Request")
        #expect(body["status"] as? Int == 400)
        #expect(body["detail"] as? String == "the field 'email' is missing")
        #expect(body["instance"] == nil)
        let text = try #require(String(data: Problem.badRequest("x").jsonBody(), encoding: .utf8))
        #expect(text == #"{"detail":"x","status":400,"title":"Bad Request","type":"about:blank"}"#)
    }

    @Test("extension members are added but cannot replace standard members")
    func extensions() throws {
        let problem = Problem(
            status: .conflict, title: "Duplicate redemption", detail: "d",
            type: "https://rapport.example/problems/duplicate", instance: "/v1/x",
            extensions: ["status": .int(200), "ids": .strings(["a", "b"]), "final": .bool(true)]
        )
        let body = try json(problem)
        #expect(body["status"] as? Int == 409)
        #expect(body["title"] as? String == "Duplicate redemption")
        #expect(body["type"] as? String == "https://rapport.example/problems/duplicate")
        #expect(body["instance"] as? String == "/v1/x")
        #expect(body["ids"] as? [String] == ["a", "b"])
        #expect(body["final"] as? Bool == true)
    }

    @Test("the convenience problems carry their status, hints and headers")
    func conveniences() throws {
        #expect(Problem.unauthorized().status == .unauthorized)
        #expect(Problem.unauthorized().headers[.wwwAuthenticate] == "Bearer realm=\"rapport\"")
        #expect(Problem.unauthorized("bad signature", challenge: nil).headers[.wwwAuthenticate] == nil)
        #expect(Problem.forbidden(missing: .piiRead).status == .forbidden)
        #expect(Problem.forbidden(missing: .piiRead).detail?.contains("'pii:read'") == true)
        #expect(Problem.notFound().status == .notFound)
        #expect(Problem.conflict("taken").status == .conflict)
        #expect(Problem.payloadTooLarge(limit: 1_048_576).status.code == 413)
        #expect(try json(.payloadTooLarge(limit: 1_048_576))["limit_bytes"] as? Int == 1_048_576)
        #expect(Problem.unsupportedMediaType(expected: "application/json").status.code == 415)
        let limited = Problem.tooManyRequests(retryAfterSeconds: 30)
        #expect(limited.status == .tooManyRequests)
        #expect(limited.headers[.retryAfter] == "30")
        #expect(Problem.serviceUnavailable("Redis is not answering").status == .serviceUnavailable)
        #expect(Problem.serviceUnavailable("busy", retryAfterSeconds: 5).headers[.retryAfter] == "5")
        #expect(Problem.notFound("no customer").description == "404 Not Found: no customer")
    }

    @Test("a thrown problem is answered as application/problem+json with its headers")
    func response() async throws {
        let router = Router(context: RapportRequestContext.self)
        router.get("/limited") { _, _ -> String in throw Problem.tooManyRequests(retryAfterSeconds: 12) }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/limited", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "12")
                let body = try #require(JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
                #expect(body["retry_after_seconds"] as? Int == 12)
                #expect(body["status"] as? Int == 429)
            }
        }
    }
}
