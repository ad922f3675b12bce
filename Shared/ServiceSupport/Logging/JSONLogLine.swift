import Foundation
import Logging
import Model

/// One log record as one line of JSON:
/// `{"ts":"2025-06-01T08:00:00.000Z","level":"info","label":"rapport.intake","message":"...","source":"Intake","customer":"..."}`.
///
/// Metadata sits beside the fixed members so collectors can index it directly; nested
/// dictionaries become dotted names (`redis.host`). A metadata key that collides with a fixed
/// member is written as `meta.<key>`, so it cannot forge the level or the message.
enum JSONLogLine {
    private static let reserved: Set<String> = ["ts", "level", "label", "message", "source"]

    static func render(
        timestamp: Date,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata,
        source: String
    ) -> String {
        var members: [(String, String)] = [
            ("ts", quoted(isoMilliseconds(timestamp))),
            ("level", quoted(level.rawValue)),
            ("label", quoted(label)),
            ("message", quoted(message)),
            ("source", quoted(source)),
        ]
        var flat: [String: String] = [:]
        flatten(metadata, prefix: "", into: &flat)
        for key in flat.keys.sorted() {
            let name = reserved.contains(key) ? "meta.\(key)" : key
            members.append((name, flat[key] ?? "null"))
        }
        return "{" + members.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// UTC to the nearest millisecond. A `Date` holds binary seconds (`.123` is `.12299...`),
    /// so cutting off the fraction, as the ISO 8601 format style does, can print the
    /// millisecond before the one logged.
    private static func isoMilliseconds(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard let exact = Int64(exactly: milliseconds) else { return Timestamp(date).description }
        return Timestamp(unixMilliseconds: exact).description
    }

    private static func flatten(_ metadata: Logger.Metadata, prefix: String, into flat: inout [String: String]) {
        for (key, value) in metadata {
            let name = prefix + key
            switch value {
            case .dictionary(let nested):
                flatten(nested, prefix: name + ".", into: &flat)
            case .array(let items):
                flat[name] = "[" + items.map { quoted($0.description) }.joined(separator: ",") + "]"
            case .string(let text):
                flat[name] = quoted(text)
            case .stringConvertible(let convertible):
                flat[name] = quoted(convertible.description)
            }
        }
    }

    /// A JSON string literal; control characters are escaped so a value can never break the line.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
