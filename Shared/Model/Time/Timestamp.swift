import Foundation

/// An instant as Unix epoch milliseconds, the resolution every platform and Redis score uses.
///
/// Encodes as a single integer so stream entries, timers and JSON payloads agree on one form.
/// Arithmetic saturates at the representable range: a deadline beyond it means "never",
/// and a configured duration, however absurd, must not crash a service.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var unixMilliseconds: Int64

    public init(unixMilliseconds: Int64) {
        self.unixMilliseconds = unixMilliseconds
    }

    /// Rounds down to the millisecond, so a timestamp never claims to be later than the date.
    public init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        self.unixMilliseconds = Self.clamped(milliseconds)
    }

    public var date: Date {
        Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.unixMilliseconds < rhs.unixMilliseconds
    }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(unixMilliseconds: Int64(clamping: Int128(lhs.unixMilliseconds) + rhs.wholeMilliseconds))
    }

    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(unixMilliseconds: Int64(clamping: Int128(lhs.unixMilliseconds) - rhs.wholeMilliseconds))
    }

    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .milliseconds(lhs.unixMilliseconds) - .milliseconds(rhs.unixMilliseconds)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.unixMilliseconds = try container.decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(unixMilliseconds)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2025-03-01T08:00:00.000Z`, for logs and reports.
    public var description: String {
        CivilTime(unixMilliseconds: unixMilliseconds).iso8601
    }
}

extension Timestamp {
    /// Reads the decimal Unix milliseconds written in stream fields and sorted-set scores.
    init?(decimalMilliseconds text: String) {
        guard let value = Int64(text) else { return nil }
        self.init(unixMilliseconds: value)
    }

    var decimalMilliseconds: String { String(unixMilliseconds) }

    /// A date beyond the Int64 millisecond range (or an infinite or NaN interval) pins to the
    /// nearest end instead of trapping.
    private static func clamped(_ milliseconds: Double) -> Int64 {
        if let exact = Int64(exactly: milliseconds) { return exact }
        if milliseconds.isNaN { return 0 }
        return milliseconds > 0 ? .max : .min
    }
}

extension Duration {
    /// Truncates toward zero: sub-millisecond parts cannot be stored in a `Timestamp`.
    var wholeMilliseconds: Int128 {
        let (seconds, attoseconds) = components
        return Int128(seconds) * 1000 + Int128(attoseconds) / 1_000_000_000_000_000
    }
}
