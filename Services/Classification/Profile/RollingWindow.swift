import Foundation
import Model

/// The rolling window tiers are measured over: the last N calendar months (UTC) before the
/// evaluation time, by the platform's order time.
enum RollingWindow {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()

    /// The first instant inside a window of `months` calendar months ending at `now`.
    static func start(endingAt now: Timestamp, months: Int) -> Timestamp {
        guard let date = calendar.date(byAdding: .month, value: -months, to: now.date) else {
            return now - .days(Int64(months) * 31)
        }
        return Timestamp(date)
    }

    /// `2025-03`: the calendar month (UTC) of `time`, the period reports group movements by.
    static func period(of time: Timestamp) -> String {
        let parts = calendar.dateComponents([.year, .month], from: time.date)
        let month = parts.month ?? 1
        return "\(parts.year ?? 1970)-\(month < 10 ? "0" : "")\(month)"
    }

    /// The `count` periods ending with the one holding `time`, most recent first.
    static func periods(endingAt time: Timestamp, count: Int) -> [String] {
        (0..<count).compactMap { back in
            calendar.date(byAdding: .month, value: -back, to: time.date).map { period(of: Timestamp($0)) }
        }
    }
}
