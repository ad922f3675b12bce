/// A configuration value that stops start-up: `key` names the environment variable or the
/// dotted path in the rules file, and the message says which form is accepted.
///
/// Values of secret variables (tokens, webhook secrets, master keys, the Redis URL) are never
/// repeated in the message.
public struct ConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Reason: Hashable {
        case invalid(expected: String, got: String?)
        case missing(expected: String)
        case problem(String)
    }

    /// The environment variable (`RAPPORT_HTTP_PORT`) or rules path (`tiers.ladder[1].min_spend`).
    public let key: String
    private let reason: Reason

    private init(key: String, reason: Reason) {
        self.key = key
        self.reason = reason
    }

    /// A value that is present but not in the accepted form. Pass `got: nil` for secrets.
    static func invalid(_ key: String, expected: String, got: String?) -> ConfigurationError {
        ConfigurationError(key: key, reason: .invalid(expected: expected, got: got))
    }

    /// A value that must be present and is not.
    static func missing(_ key: String, expected: String) -> ConfigurationError {
        ConfigurationError(key: key, reason: .missing(expected: expected))
    }

    /// Anything else about `key`, stated as a sentence a person can act on.
    public static func problem(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(key: key, reason: .problem(message))
    }

    public var description: String {
        let label = key.isEmpty ? "rules file" : key
        switch reason {
        case .invalid(let expected, let got?):
            return "\(label): expected \(expected), got \"\(got)\""
        case .invalid(let expected, nil):
            return "\(label): expected \(expected)"
        case .missing(let expected):
            return "\(label): required, expected \(expected)"
        case .problem(let message):
            return "\(label): \(message)"
        }
    }
}
