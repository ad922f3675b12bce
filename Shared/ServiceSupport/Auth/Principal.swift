/// Who made an authenticated request: the token's configured name and the scopes it grants.
///
/// The name goes into the audit trail and logs; it is a label such as `support-desk`,
/// never the token itself.
public struct Principal: Sendable, Hashable {
    public var name: String
    public var scopes: Set<Scope>

    public init(name: String, scopes: Set<Scope>) {
        self.name = name
        self.scopes = scopes
    }

    /// Whether this principal may act with `scope`.
    public func has(_ scope: Scope) -> Bool {
        scopes.contains(scope)
    }
}
