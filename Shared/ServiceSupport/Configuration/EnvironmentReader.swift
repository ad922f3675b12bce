import Foundation

/// Typed reads of `RAPPORT_*` variables, each failing with an error that names the variable.
///
/// An empty or blank value counts as unset, because compose files and shells often pass
/// `VAR=` for "not configured".
struct EnvironmentReader {
    let environment: [String: String]

    /// The trimmed value, or `nil` when unset or blank.
    func string(_ key: String) -> String? {
        guard let raw = environment[key] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError.invalid(
                key,
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)",
                got: text
            )
        }
        return value
    }

    /// A comma-separated list, entries trimmed, empty entries dropped.
    func list(_ key: String) -> [String] {
        guard let text = string(key) else { return [] }
        return text.split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// One of a fixed set of words, compared case-insensitively.
    func choice<Value>(
        _ key: String,
        default defaultValue: Value,
        _ choices: [(String, Value)]
    ) throws -> Value {
        guard let text = string(key) else { return defaultValue }
        guard let match = choices.first(where: { $0.0 == text.lowercased() }) else {
            throw ConfigurationError.invalid(
                key,
                expected: "one of " + choices.map(\.0).joined(separator: ", "),
                got: text
            )
        }
        return match.1
    }
}
