/// Why a stream entry cannot be read as an audit record.
public struct AuditRecordError: Error, CustomStringConvertible {
    private enum Reason {
        case missingField(String)
        case invalidTimestamp(String)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// The stream field at fault.
    public var field: String {
        switch reason {
        case .missingField(let name): name
        case .invalidTimestamp: "at"
        }
    }

    static func missingField(_ name: String) -> AuditRecordError {
        AuditRecordError(.missingField(name))
    }

    static func invalidTimestamp(_ value: String) -> AuditRecordError {
        AuditRecordError(.invalidTimestamp(value))
    }

    public var description: String {
        switch reason {
        case .missingField(let name):
            return "audit entry has no field \"\(name)\"; every audit entry carries "
                + AuditRecord.streamFieldNames.joined(separator: ", ")
        case .invalidTimestamp(let value):
            return "audit entry field \"at\" is \(String(value.prefix(80)).debugDescription); "
                + "expected Unix milliseconds as a decimal integer"
        }
    }
}
