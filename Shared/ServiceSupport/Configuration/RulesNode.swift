import Yams

/// The parsed rules file as a plain tree, so services read it without knowing YAML.
///
/// Every scalar is kept as the text written in the file (`10000.00` stays `"10000.00"`), and each
/// service parses its own values exactly, through ``RulesValue``. A key whose value is empty or
/// `null` is left out of its map, so a section written with all of its entries commented out
/// means "use the built-in defaults".
public enum RulesNode: Sendable, Hashable {
    case scalar(String)
    case list([RulesNode])
    case map([String: RulesNode])

    /// Converts a composed YAML node; `path` is the dotted key path used in errors.
    init(_ node: Node, path: String) throws {
        switch node {
        case .scalar(let scalar):
            self = .scalar(scalar.string)
        case .sequence(let sequence):
            var items: [RulesNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(try RulesNode(item, path: "\(path)[\(index)]"))
            }
            self = .list(items)
        case .mapping(let mapping):
            var entries: [String: RulesNode] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigurationError.problem(path, "map keys must be plain words, not lists or maps")
                }
                let key = keyScalar.string
                let childPath = RulesValue.path(path, key: key)
                guard entries[key] == nil else {
                    throw ConfigurationError.problem(childPath, "the key is given twice; keep one")
                }
                if Self.isNull(valueNode) { continue }
                entries[key] = try RulesNode(valueNode, path: childPath)
            }
            self = .map(entries)
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
