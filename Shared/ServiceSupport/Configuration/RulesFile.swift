import Foundation
import Yams

/// The business rules file named by `RAPPORT_CONFIG`: bearer token grants, read here, and the
/// sections other services read for themselves (`tiers`, `points`, `sla`, `holidays`,
/// `templates`) through ``subscript(_:)``.
///
/// Without a file every service runs on its built-in rules, which ``builtIn`` represents.
public struct RulesFile: Sendable {
    /// Where the rules came from; `nil` for the built-in rules.
    public let path: String?
    /// The whole file, top-level map included.
    public let root: RulesNode
    /// Bearer tokens from the `tokens` section.
    public let tokens: [TokenGrant]

    /// No file: every section absent, so every reader falls back to its default.
    public static let builtIn = RulesFile(path: nil, root: .map([:]), tokens: [])

    private init(path: String?, root: RulesNode, tokens: [TokenGrant]) {
        self.path = path
        self.root = root
        self.tokens = tokens
    }

    /// Parses rules from YAML text; `path` only labels errors.
    public init(yaml: String, path: String? = nil) throws {
        let label = path.map { "the rules file \($0)" } ?? "the rules file"
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError.problem("RAPPORT_CONFIG", "\(label) is not valid YAML: \(error)")
        }
        let root = try composed.map { try RulesNode($0, path: "") } ?? .map([:])
        guard case .map = root else {
            throw ConfigurationError.problem(
                "RAPPORT_CONFIG",
                "\(label) must hold a map of sections (tokens:, tiers:, ...) at the top level"
            )
        }
        let tokens = try Self.tokenGrants(RulesValue(path: "", node: root)["tokens"])
        self.init(path: path, root: root, tokens: tokens)
    }

    /// Reads and parses the file at `path`; every failure names `RAPPORT_CONFIG` and the path.
    public static func load(path: String) throws -> RulesFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError.problem(
                "RAPPORT_CONFIG",
                "the rules file \(path) does not exist; point RAPPORT_CONFIG at a YAML rules file or unset it to run on the built-in rules"
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError.problem(
                "RAPPORT_CONFIG",
                "the rules file \(path) cannot be read (\(error.localizedDescription)); check its permissions"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError.problem("RAPPORT_CONFIG", "the rules file \(path) is not UTF-8 text")
        }
        return try RulesFile(yaml: text, path: path)
    }

    /// The top-level section `key`, for example `rules["tiers"]`.
    public subscript(key: String) -> RulesValue {
        RulesValue(path: "", node: root)[key]
    }
}
