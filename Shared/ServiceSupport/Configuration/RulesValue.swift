/// A place in the rules file, such as `tiers.ladder[1].min_spend`, and what is written there.
///
/// Services walk to their settings with subscripts and read them with typed accessors. A place
/// that is not in the file reads as its default (or fails with "required" when there is none),
/// and a value in the wrong form fails with a ``ConfigurationError`` naming the full path and the
/// accepted form, so a mistake in the file stops start-up with a message that points at it.
///
/// ```swift
/// let ladder = try configuration.rules["tiers"]["ladder"].list()
/// let minimum = try ladder[1]["min_spend"].parse(expected: "a decimal amount like \"10000.00\"") { Money(decimal: $0) }
/// let firstReply = try configuration.rules["sla"]["first_reply"].durationHours(default: .seconds(24 * 3600))
/// ```
public struct RulesValue: Sendable, Hashable {
    /// Dotted path from the top of the file; empty for the top itself.
    public let path: String
    /// What the file holds here, `nil` when the key is absent.
    public let node: RulesNode?

    public init(path: String, node: RulesNode?) {
        self.path = path
        self.node = node
    }

    /// Whether the file sets this place at all.
    public var exists: Bool { node != nil }

    /// The entry `key` of this map; absent when this place is absent or holds no such key.
    public subscript(key: String) -> RulesValue {
        let child: RulesNode?
        if case .map(let entries) = node { child = entries[key] } else { child = nil }
        return RulesValue(path: Self.path(path, key: key), node: child)
    }

    /// The item at `index` of this list; absent when out of range.
    public subscript(index: Int) -> RulesValue {
        let child: RulesNode?
        if case .list(let items) = node, items.indices.contains(index) { child = items[index] } else { child = nil }
        return RulesValue(path: "\(path)[\(index)]", node: child)
    }

    /// An error about this place, for rules that span values ("thresholds must ascend").
    public func invalid(_ problem: String) -> ConfigurationError {
        ConfigurationError.problem(path, problem)
    }

    static func path(_ parent: String, key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }
}

// MARK: - Scalars

extension RulesValue {
    /// The scalar here converted by `transform`, which returns `nil` for text it does not accept;
    /// `expected` describes the accepted form for the error message.
    public func parse<Value>(expected: String, _ transform: (String) throws -> Value?) throws -> Value {
        guard let node else { throw ConfigurationError.missing(path, expected: expected) }
        guard case .scalar(let text) = node else {
            throw wrongShape(expected: expected, node)
        }
        guard let value = try transform(text) else {
            throw ConfigurationError.invalid(path, expected: expected, got: text)
        }
        return value
    }

    /// Like ``parse(expected:_:)``, with `defaultValue` when the key is absent.
    public func parse<Value>(
        expected: String,
        default defaultValue: Value,
        _ transform: (String) throws -> Value?
    ) throws -> Value {
        guard exists else { return defaultValue }
        return try parse(expected: expected, transform)
    }

    public func string() throws -> String {
        try parse(expected: "a text value") { $0 }
    }

    public func string(default defaultValue: String) throws -> String {
        try parse(expected: "a text value", default: defaultValue) { $0 }
    }

    /// A whole number, optionally limited to `range`.
    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        try parse(expected: Self.intForm(range)) { Self.int($0, in: range) }
    }

    public func int(default defaultValue: Int, in range: ClosedRange<Int>? = nil) throws -> Int {
        try parse(expected: Self.intForm(range), default: defaultValue) { Self.int($0, in: range) }
    }

    /// `true`/`false`; `yes`/`no` and `on`/`off` are accepted as well, in any case.
    public func bool() throws -> Bool {
        try parse(expected: Self.boolForm, Self.bool)
    }

    public func bool(default defaultValue: Bool) throws -> Bool {
        try parse(expected: Self.boolForm, default: defaultValue, Self.bool)
    }

    private static let boolForm = "true or false"

    private static func intForm(_ range: ClosedRange<Int>?) -> String {
        guard let range else { return "a whole number" }
        return "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }

    private static func int(_ text: String, in range: ClosedRange<Int>?) -> Int? {
        guard let value = Int(text) else { return nil }
        if let range, !range.contains(value) { return nil }
        return value
    }

    private static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}

// MARK: - Lists and maps

extension RulesValue {
    /// The items of the list here; an absent key reads as an empty list (check ``exists`` to
    /// tell the two apart).
    public func list() throws -> [RulesValue] {
        guard let node else { return [] }
        guard case .list(let items) = node else {
            throw wrongShape(expected: "a list", node)
        }
        return items.indices.map { self[$0] }
    }

    /// The entries of the map here, sorted by key; an absent key reads as an empty map.
    public func map() throws -> [(key: String, value: RulesValue)] {
        guard let node else { return [] }
        guard case .map(let entries) = node else {
            throw wrongShape(expected: "a map of key: value entries", node)
        }
        return entries.keys.sorted().map { (key: $0, value: self[$0]) }
    }

    /// Fails when the map here holds a key outside `known`, so a misspelt setting is reported
    /// instead of silently falling back to its default.
    public func requireKnownKeys(_ known: Set<String>) throws {
        guard let node, case .map(let entries) = node else { return }
        if let unknown = entries.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError.problem(
                Self.path(path, key: unknown),
                "unknown key; expected one of " + known.sorted().joined(separator: ", ")
            )
        }
    }
}

extension RulesValue {
    private func wrongShape(expected: String, _ node: RulesNode) -> ConfigurationError {
        switch node {
        case .scalar(let text): ConfigurationError.invalid(path, expected: expected, got: text)
        case .list: ConfigurationError.problem(path, "expected \(expected), found a list")
        case .map: ConfigurationError.problem(path, "expected \(expected), found a map")
        }
    }
}
