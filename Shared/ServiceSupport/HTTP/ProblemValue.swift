/// The value of a problem's extension member: a small JSON subset, enough for machine-readable
/// hints such as a missing scope, a size limit or a retry delay.
public enum ProblemValue: Sendable, Hashable, Encodable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case strings([String])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
