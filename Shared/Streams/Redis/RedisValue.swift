import Foundation

/// A RESP2 reply, decoded from hiredis into a Swift value.
///
/// Server error replies nested inside arrays (for example one failed command inside an `EXEC`)
/// stay as `.error` so the caller can see which command failed; a top-level error reply is
/// thrown as ``RedisError`` by the client instead.
public enum RedisValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case null
    case array([RedisValue])
}

extension RedisValue {
    /// The text of a bulk or simple string, or the decimal form of an integer.
    public var string: String? {
        switch self {
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .simpleString(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The integer of an integer reply, or of a string reply holding a decimal integer.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Pairs a flat `[field, value, field, value, ...]` array (HGETALL, stream entry fields).
    public var fieldMap: [String: String] {
        guard let values = array else { return [:] }
        var map: [String: String] = [:]
        map.reserveCapacity(values.count / 2)
        var index = 0
        while index + 1 < values.count {
            if let key = values[index].string, let value = values[index + 1].string {
                map[key] = value
            }
            index += 2
        }
        return map
    }
}
