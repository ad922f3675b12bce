import Foundation
import Testing

@testable import ServiceSupport

/// SHA-256 of the example token "support-desk-token".
private let supportDeskHash = TokenDigest(token: "support-desk-token").hex

@Suite("Rules file named by RAPPORT_CONFIG")
struct RulesFileTests {
    /// Writes `yaml` to a fresh temporary file and returns its path.
    private func temporaryRulesFile(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-rules-\(UUID().uuidString).yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("token grants are read with their name, hash and scopes")
    func tokenGrants() throws {
        let path = try temporaryRulesFile("""
            tokens:
              - name: support-desk
                sha256: "\(supportDeskHash.uppercased())"
                scopes: [customers:read, complaints:agent]
              - name: "shop-front"
                sha256: \(TokenDigest(token: "shop-front-token").hex)
                scopes:
                  - complaints:submit
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try RapportConfiguration.load(service: .complaints, environment: ["RAPPORT_CONFIG": path])
        let tokens = configuration.rules.tokens
        #expect(configuration.rules.path == path)
        #expect(tokens.map(\.name) == ["support-desk", "shop-front"])
        #expect(tokens[0].sha256 == supportDeskHash)
        #expect(tokens[0].scopes == [.customersRead, .complaintsAgent])
        #expect(tokens[1].scopes == [.complaintsSubmit])
    }

    @Test("a missing file stops start-up naming RAPPORT_CONFIG and the path")
    func missingFile() throws {
        let path = "/nonexistent/rapport-\(UUID().uuidString).yaml"
        #expect {
            try RapportConfiguration.load(service: .intake, environment: ["RAPPORT_CONFIG": path])
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.key == "RAPPORT_CONFIG" && error?.description.contains(path) == true
        }
    }

    @Test("invalid YAML is reported with the file's path")
    func invalidYAML() throws {
        let path = try temporaryRulesFile("tokens: [unclosed\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try RulesFile.load(path: path)
        } throws: { error in
            "\(error)".hasPrefix("RAPPORT_CONFIG: the rules file \(path) is not valid YAML")
        }
    }

    @Test("the top level must be a map of sections")
    func topLevelMap() {
        #expect(throws: ConfigurationError.self) { try RulesFile(yaml: "- tokens\n") }
    }

    @Test("an empty file, or sections with every entry commented out, mean the built-in rules")
    func emptySections() throws {
        #expect(try RulesFile(yaml: "").root == .map([:]))
        let rules = try RulesFile(yaml: "tokens:\nsla:\n  # first_response: 24h\n")
        #expect(rules.tokens.isEmpty)
        #expect(!rules["sla"].exists)
    }

    @Test(
        "a bad token grant is reported at its full path",
        arguments: [
            ("tokens: [{name: desk, sha256: abc, scopes: [customers:read]}]", "tokens[0].sha256", "64 hex digits"),
            ("tokens: [{name: desk, sha256: \(supportDeskHash), scopes: [customer:read]}]", "tokens[0].scopes[0]", "customers:read"),
            ("tokens: [{name: desk, sha256: \(supportDeskHash), scopes: []}]", "tokens[0].scopes", "at least one scope"),
            ("tokens: [{sha256: \(supportDeskHash), scopes: [pii:read]}]", "tokens[0].name", "required"),
            ("tokens: [{name: admin, sha256: \(supportDeskHash), scopes: [pii:read]}]", "tokens[0].name", "reserved"),
            ("tokens: [{name: desk, sha256: \(supportDeskHash), scope: [pii:read]}]", "tokens[0].scope", "unknown key"),
            ("tokens: [{name: a b, sha256: \(supportDeskHash), scopes: [pii:read]}]", "tokens[0].name", "letters, digits"),
            ("tokens: {name: desk}", "tokens", "expected a list"),
            ("tokens: [desk]", "tokens[0]", "expected a map"),
            (
                "tokens: [{name: a, sha256: \(supportDeskHash), scopes: [pii:read]}, {name: b, sha256: \(supportDeskHash), scopes: [pii:read]}]",
                "tokens[1].sha256", "already has this hash"
            ),
        ]
    )
    func badTokenGrant(yaml: String, path: String, hint: String) throws {
        #expect {
            try RulesFile(yaml: yaml)
        } throws: { error in
            let error = error as? ConfigurationError
            return error?.key == path && error?.description.contains(hint) == true
        }
    }

    @Test("a key given twice is refused")
    func duplicateKey() {
        #expect {
            try RulesFile(yaml: "sla:\n  first_response: 24h\n  first_response: 48h\n")
        } throws: { error in
            (error as? ConfigurationError)?.key == "sla.first_response"
        }
    }

    @Test("the example rules file in Compose/ parses")
    func exampleFile() throws {
        let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rules = try RulesFile.load(path: repository.appendingPathComponent("Compose/rapport.yaml").path)
        #expect(rules.path?.hasSuffix("Compose/rapport.yaml") == true)
    }
}
