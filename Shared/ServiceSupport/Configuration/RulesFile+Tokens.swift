/// The `tokens` section:
///
/// ```yaml
/// tokens:
///   - name: support-desk
///     sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
///     scopes: [customers:read, complaints:agent]
/// ```
extension RulesFile {
    static func tokenGrants(_ section: RulesValue) throws -> [TokenGrant] {
        var grants: [TokenGrant] = []
        for item in try section.list() {
            guard case .map = item.node else {
                throw item.invalid("expected a map with name, sha256 and scopes")
            }
            try item.requireKnownKeys(["name", "sha256", "scopes"])
            let grant = try tokenGrant(item)
            if grants.contains(where: { $0.name == grant.name }) {
                throw item["name"].invalid("another token already has the name \"\(grant.name)\"; names must be unique")
            }
            if grants.contains(where: { $0.digest == grant.digest }) {
                throw item["sha256"].invalid("another token already has this hash; give each token its own secret")
            }
            grants.append(grant)
        }
        return grants
    }

    private static func tokenGrant(_ item: RulesValue) throws -> TokenGrant {
        let name = try item["name"].parse(expected: "a name of letters, digits, '.', '-' or '_', such as \"support-desk\"") {
            isTokenName($0) ? $0 : nil
        }
        if name == TokenAuthenticator.adminName {
            throw item["name"].invalid("\"\(name)\" is reserved for RAPPORT_ADMIN_TOKEN; choose another name")
        }
        let digest = try item["sha256"].parse(
            expected: "the SHA-256 of the token as 64 hex digits (printf %s \"$TOKEN\" | sha256sum)",
            TokenDigest.init(hex:)
        )
        let scopeItems = try item["scopes"].list()
        if scopeItems.isEmpty {
            throw item["scopes"].invalid("list at least one scope: " + knownScopes)
        }
        var scopes: Set<Scope> = []
        for scopeItem in scopeItems {
            scopes.insert(try scopeItem.parse(expected: "one of " + knownScopes) { text in
                let scope = Scope(rawValue: text)
                return Scope.all.contains(scope) ? scope : nil
            })
        }
        return TokenGrant(name: name, digest: digest, scopes: scopes)
    }

    private static var knownScopes: String {
        Scope.all.map(\.rawValue).sorted().joined(separator: ", ")
    }

    private static func isTokenName(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }
}
