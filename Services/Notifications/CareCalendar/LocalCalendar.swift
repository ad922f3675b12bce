import Foundation
import Model

/// Local wall-clock arithmetic in a customer's time zone: the birthday "on the day at 09:00"
/// and quiet hours are local times, while timers are instants.
struct LocalCalendar: Sendable {
    let timeZone: TimeZone

    /// The customer's zone, or `fallback` when they gave none or an unknown one.
    init(identifier: String?, fallback: String) {
        timeZone = identifier.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: fallback) ?? .gmt
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    struct LocalDate: Hashable, Sendable {
        var year: Int
        var month: Int
        var day: Int

        /// `yyyy-MM-dd`.
        var text: String { String(format: "%04d-%02d-%02d", year, month, day) }
    }

    /// The local date and minute of the day at `instant`.
    func local(_ instant: Timestamp) -> (date: LocalDate, minute: Int) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant.date)
        return (LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1),
                (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// The instant of local `date` at `minute` past midnight. A 29 February in a common year
    /// falls on 28 February.
    func instant(_ date: LocalDate, minute: Int) -> Timestamp {
        var day = date.day
        if date.month == 2, day == 29, !Self.isLeap(date.year) { day = 28 }
        let components = DateComponents(
            year: date.year, month: date.month, day: day, hour: minute / 60, minute: minute % 60)
        let resolved = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return Timestamp(resolved)
    }

    /// The next instant strictly after `now` when the local date is `month`-`day` at `minute`.
    func nextAnnual(month: Int, day: Int, minute: Int, after now: Timestamp) -> (Timestamp, year: Int) {
        let year = local(now).date.year
        for candidate in year...(year + 1) {
            let at = instant(LocalDate(year: candidate, month: month, day: day), minute: minute)
            if at > now { return (at, candidate) }
        }
        return (instant(LocalDate(year: year + 2, month: month, day: day), minute: minute), year + 2)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// `yyyy-MM-dd` or, for a birthday without a year, `MM-dd` / `--MM-dd`.
    static func parseDate(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        switch parts.count {
        case 3 where (1...12).contains(parts[1]) && (1...31).contains(parts[2]):
            return LocalDate(year: parts[0], month: parts[1], day: parts[2])
        case 2 where (1...12).contains(parts[0]) && (1...31).contains(parts[1]):
            return LocalDate(year: 0, month: parts[0], day: parts[1])
        default:
            return nil
        }
    }
}

/// The local hours in which non-urgent messages wait (default 21:00-09:00). Equal start and end
/// mean no quiet hours.
struct QuietHours: Sendable, Hashable {
    var startMinute: Int
    var endMinute: Int

    /// When a message decided at `now` may go: `now` outside quiet hours, else the local end of
    /// the quiet period.
    func release(at now: Timestamp, in calendar: LocalCalendar) -> Timestamp {
        guard startMinute != endMinute else { return now }
        let (date, minute) = calendar.local(now)
        let quiet = startMinute < endMinute
            ? (startMinute..<endMinute).contains(minute)
            : minute >= startMinute || minute < endMinute
        guard quiet else { return now }
        // Before midnight the period ends tomorrow morning; after midnight, this morning.
        let endsToday = startMinute < endMinute || minute < endMinute
        let today = calendar.instant(date, minute: endMinute)
        return endsToday ? today : calendar.instant(calendar.local(today + .seconds(86400)).date, minute: endMinute)
    }
}

/// How often the account manager visits: by tier, and more often while the customer is new.
struct RevisitCadence: Sendable {
    var days: [String: Int] = ["A": 30, "B": 91, "C": 182]
    var newCustomerDays = 14
    var newCustomerPeriodDays = 90
    /// Tiers with no entry (another tier scheme, or none yet).
    var otherTierDays = 182

    /// The interval to the visit after one at `at`, for a customer in `tier` created at `createdAt`.
    func interval(tier: String?, createdAt: Timestamp?, at: Timestamp) -> Duration {
        if let createdAt, at - createdAt < .seconds(Int64(newCustomerPeriodDays) * 86400) {
            return .seconds(Int64(newCustomerDays) * 86400)
        }
        let days = tier.flatMap { self.days[$0] } ?? otherTierDays
        return .seconds(Int64(days) * 86400)
    }
}
