import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceSupport

@Suite("Bearer tokens")
struct TokenAuthenticatorTests {
    private let authenticator = TokenAuthenticator(
        adminToken: "local-admin-token",
        grants: [TokenGrant(name: "support-desk", token: "desk-token", scopes: [.customersRead, .complaintsAgent])]
    )

    @Test("the admin token is the principal 'admin' with every scope")
    func adminToken() throws {
        let principal = try #require(authenticator.principal(authorization: "Bearer local-admin-token"))
        #expect(principal.name == "admin")
        #expect(principal.scopes == Scope.all)
        #expect(principal.has(.customersErase))
    }

    @Test("a granted token resolves by its SHA-256 to its name and scopes")
    func grantedToken() throws {
        let grant = try #require(TokenGrant(
            name: "support-desk",
            sha256: TokenDigest(token: "desk-token").hex,
            scopes: [.customersRead]
        ))
        let principal = try #require(TokenAuthenticator(adminToken: nil, grants: [grant]).principal(token: "desk-token"))
        #expect(principal == Principal(name: "support-desk", scopes: [.customersRead]))
        #expect(authenticator.principal(authorization: "bearer   desk-token")?.name == "support-desk")
    }

    @Test("unknown tokens and other schemes resolve to nobody")
    func rejected() {
        #expect(authenticator.principal(token: "desk-token ") == nil)
        #expect(authenticator.principal(authorization: "Bearer wrong") == nil)
        #expect(authenticator.principal(authorization: "Basic ZGVzazp0b2tlbg==") == nil)
        #expect(authenticator.principal(authorization: "Bearer") == nil)
        #expect(authenticator.principal(authorization: "Bearer desk-token extra") == nil)
        #expect(TokenAuthenticator(adminToken: "", grants: []).principal(token: "") == nil)
    }

    @Test("the configuration's admin token and rules grants are both accepted")
    func fromConfiguration() throws {
        let yaml = "tokens: [{name: desk, sha256: \(TokenDigest(token: "desk-token").hex), scopes: [pii:read]}]"
        var configuration = try RapportConfiguration.load(service: .intake, environment: ["RAPPORT_ADMIN_TOKEN": "adm"])
        configuration.rules = try RulesFile(yaml: yaml)
        let authenticator = TokenAuthenticator(configuration: configuration)
        #expect(authenticator.principal(token: "adm")?.name == "admin")
        #expect(authenticator.principal(token: "desk-token")?.scopes == [.piiRead])
    }

    @Test("a known scope parses from the rules file; digests compare whole")
    func digests() throws {
        #expect(TokenDigest(hex: String(repeating: "a", count: 63)) == nil)
        #expect(TokenDigest(hex: String(repeating: "g", count: 64)) == nil)
        let digest = TokenDigest(token: "x")
        #expect(digest.matches(try #require(TokenDigest(hex: digest.hex.uppercased()))))
        #expect(!digest.matches(TokenDigest(token: "y")))
    }
}

@Suite("Bearer authentication on the router")
struct AuthenticationMiddlewareTests {
    /// A router with a public route and routes that need `customers:read` and `customers:erase`.
    private func makeApplication() -> some ApplicationProtocol {
        let authenticator = TokenAuthenticator(
            adminToken: "local-admin-token",
            grants: [TokenGrant(name: "support-desk", token: "desk-token", scopes: [.customersRead])]
        )
        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: authenticator))
        router.get("/public") { _, context in
            context.principal?.name ?? "nobody"
        }
        router.group("/v1/customers")
            .add(middleware: RequireScope(.customersRead))
            .get { _, context in context.principal?.name ?? "nobody" }
        router.group("/v1/erase")
            .add(middleware: RequireScope(.customersErase))
            .delete { _, _ in HTTPResponse.Status.noContent }
        return Application(router: router)
    }

    private func problem(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any])
    }

    @Test("no header leaves the principal empty and public routes answer")
    func noHeader() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/public", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "nobody")
            }
        }
    }

    @Test("a valid token sets the principal")
    func validToken() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/public", method: .get, headers: [.authorization: "Bearer desk-token"]) { response in
                #expect(String(buffer: response.body) == "support-desk")
            }
            try await client.execute(uri: "/v1/customers", method: .get, headers: [.authorization: "Bearer local-admin-token"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "admin")
            }
        }
    }

    @Test("a wrong token is answered 401 with a Bearer challenge, even on a public route")
    func wrongToken() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/public", method: .get, headers: [.authorization: "Bearer nope"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try problem(response.body)
                #expect(body["status"] as? Int == 401)
            }
        }
    }

    @Test("a scoped route without a token is answered 401")
    func scopedWithoutToken() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/customers", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"rapport\"")
                let body = try problem(response.body)
                #expect(body["detail"] as? String == "this route needs a bearer token with the scope 'customers:read'")
            }
        }
    }

    @Test("a token without the route's scope is answered 403 naming the scope")
    func missingScope() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/erase", method: .delete, headers: [.authorization: "Bearer desk-token"]) { response in
                #expect(response.status == .forbidden)
                let body = try problem(response.body)
                #expect(body["missing_scope"] as? String == "customers:erase")
                #expect((body["detail"] as? String)?.contains("'customers:erase'") == true)
            }
            try await client.execute(uri: "/v1/erase", method: .delete, headers: [.authorization: "Bearer local-admin-token"]) { response in
                #expect(response.status == .noContent)
            }
        }
    }
}
