/// Resolves `Authorization: Bearer <token>` to the ``Principal`` the token was granted to.
///
/// Tokens are held only as SHA-256 digests: the admin token from `RAPPORT_ADMIN_TOKEN` (every
/// scope, for local runs and tests) and the grants of the rules file. A presented token is
/// hashed and compared with every digest in constant time, without stopping at a match, so the
/// response time tells an attacker nothing about which bytes or which entry came close.
public struct TokenAuthenticator: Sendable {
    /// Principal name of the admin token, reserved in the rules file.
    public static let adminName = "admin"

    private struct Entry: Sendable {
        var digest: TokenDigest
        var principal: Principal
    }

    private let entries: [Entry]

    public init(adminToken: String?, grants: [TokenGrant]) {
        var entries: [Entry] = []
        if let adminToken, !adminToken.isEmpty {
            entries.append(Entry(
                digest: TokenDigest(token: adminToken),
                principal: Principal(name: Self.adminName, scopes: Scope.all)
            ))
        }
        for grant in grants {
            entries.append(Entry(digest: grant.digest, principal: Principal(name: grant.name, scopes: grant.scopes)))
        }
        self.entries = entries
    }

    /// The admin token and token grants of a loaded configuration.
    public init(configuration: RapportConfiguration) {
        self.init(adminToken: configuration.adminToken, grants: configuration.rules.tokens)
    }

    /// The principal of a bare token, or `nil` when no configured token matches.
    public func principal(token: String) -> Principal? {
        let presented = TokenDigest(token: token)
        var found: Principal?
        for entry in entries {
            let matches = entry.digest.matches(presented)
            if matches && found == nil { found = entry.principal }
        }
        return found
    }

    /// The principal of an `Authorization` header value, or `nil` when the header is not
    /// `Bearer <token>` or the token is unknown.
    public func principal(authorization: String) -> Principal? {
        guard let token = Self.bearerToken(authorization) else { return nil }
        return principal(token: token)
    }

    /// The scheme is case-insensitive (RFC 9110); the token is one word after it.
    static func bearerToken(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }
}
