/// A bearer token granted in the rules file: a name for logs and the audit trail, the SHA-256
/// of the token, and the scopes it carries. The token itself is never configured anywhere.
public struct TokenGrant: Sendable, Hashable {
    /// Label such as `support-desk`; recorded as the actor of every change made with the token.
    public let name: String
    public let scopes: Set<Scope>
    let digest: TokenDigest

    /// SHA-256 of the token as 64 lowercase hex digits.
    public var sha256: String { digest.hex }

    /// `nil` when `sha256` is not 64 hex digits.
    public init?(name: String, sha256: String, scopes: Set<Scope>) {
        guard let digest = TokenDigest(hex: sha256) else { return nil }
        self.init(name: name, digest: digest, scopes: scopes)
    }

    /// Grants `token` itself, hashing it here; for tools and tests that hold the token.
    public init(name: String, token: String, scopes: Set<Scope>) {
        self.init(name: name, digest: TokenDigest(token: token), scopes: scopes)
    }

    init(name: String, digest: TokenDigest, scopes: Set<Scope>) {
        self.name = name
        self.digest = digest
        self.scopes = scopes
    }
}
