/// Why a stream entry cannot be read as an envelope, or an event cannot be wrapped or unwrapped.
///
/// Messages name the entry and the field so an operator looking at a dead letter knows what
/// to fix; field values are quoted only for the envelope's own fields, never from `data`.
public struct EnvelopeError: Error, CustomStringConvertible {
    private enum Reason {
        case missingField(String)
        case invalidField(String, value: String, expected: String)
        case typeMismatch(expected: String, found: String)
        case unsupportedVersion(type: String, version: Int, newestKnown: Int)
        case undecodableData(type: String, version: Int, detail: String)
        case unencodableEvent(type: String, detail: String)
        case emptyID(type: String)
        case emptySuffix(type: String)
    }

    private let reason: Reason
    private let entry: String?

    private init(_ reason: Reason, entry: String?) {
        self.reason = reason
        self.entry = entry
    }

    /// The stream field at fault, when one is: `occurred`, `v`, `data`.
    public var field: String? {
        switch reason {
        case .missingField(let name), .invalidField(let name, _, _): name
        case .typeMismatch: "type"
        case .unsupportedVersion: "v"
        case .undecodableData: "data"
        case .unencodableEvent, .emptyID, .emptySuffix: nil
        }
    }

    static func missingField(_ name: String, entry: String?) -> EnvelopeError {
        EnvelopeError(.missingField(name), entry: entry)
    }

    static func invalidField(_ name: String, value: String, expected: String, entry: String?) -> EnvelopeError {
        EnvelopeError(.invalidField(name, value: value, expected: expected), entry: entry)
    }

    static func typeMismatch(expected: String, found: String, entry: String) -> EnvelopeError {
        EnvelopeError(.typeMismatch(expected: expected, found: found), entry: entry)
    }

    static func unsupportedVersion(type: String, version: Int, newestKnown: Int, entry: String) -> EnvelopeError {
        EnvelopeError(.unsupportedVersion(type: type, version: version, newestKnown: newestKnown), entry: entry)
    }

    static func undecodableData(type: String, version: Int, detail: String, entry: String) -> EnvelopeError {
        EnvelopeError(.undecodableData(type: type, version: version, detail: detail), entry: entry)
    }

    static func unencodableEvent(type: String, detail: String) -> EnvelopeError {
        EnvelopeError(.unencodableEvent(type: type, detail: detail), entry: nil)
    }

    static func emptyID(type: String) -> EnvelopeError {
        EnvelopeError(.emptyID(type: type), entry: nil)
    }

    static func emptySuffix(type: String, parent: String) -> EnvelopeError {
        EnvelopeError(.emptySuffix(type: type), entry: parent)
    }

    public var description: String {
        let subject = entry.map { "stream entry \($0.debugDescription)" } ?? "stream entry"
        switch reason {
        case .missingField(let name):
            return "\(subject) has no field \"\(name)\"; every envelope carries "
                + Envelope.fieldNames.joined(separator: ", ")
        case .invalidField(let name, let value, let expected):
            return "\(subject) field \"\(name)\" is \(Self.quoted(value)); expected \(expected)"
        case .typeMismatch(let expected, let found):
            return "\(subject) has type \"\(found)\", not \"\(expected)\"; dispatch on the type before decoding"
        case .unsupportedVersion(let type, let version, let newestKnown):
            return "\(subject) is \(type) version \(version), but this service reads up to version \(newestKnown); "
                + "deploy the newer consumer before the producer, then replay the dead letters"
        case .undecodableData(let type, let version, let detail):
            return "\(subject) field \"data\" is not a valid \(type) version \(version): \(detail)"
        case .unencodableEvent(let type, let detail):
            return "cannot encode a \(type) event as JSON: \(detail)"
        case .emptyID(let type):
            return "cannot wrap a \(type) event without an id; give it a deterministic id derived from its delivery"
        case .emptySuffix(let type):
            return "cannot derive a \(type) event from \(subject) with an empty suffix; "
                + "use a suffix naming the derived event, such as \"points\""
        }
    }

    /// Long values are cut so one bad entry cannot flood a log line.
    private static func quoted(_ value: String) -> String {
        value.count <= 80 ? value.debugDescription : String(value.prefix(80)).debugDescription + "…"
    }
}
