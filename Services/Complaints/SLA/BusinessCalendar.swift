import Foundation
import Model

/// Working time for deadlines: around the clock, or the configured business hours on working
/// days in one time zone, without holidays.
///
/// Deadlines are amounts of working time (24 working hours to a first reply), so both directions
/// are needed: ``instant(after:from:)`` finds when an amount of working time has passed, and
/// ``workingTime(from:to:)`` measures what passed between two instants. The two agree exactly,
/// at millisecond resolution: `workingTime(from: s, to: instant(after: d, from: s)) == d`.
struct BusinessCalendar: Sendable, Hashable {
    /// Working hours on a working day; nil means the clock always runs.
    let hours: BusinessHours?
    /// Days off, as day numbers (days since 1970-01-01) in the business time zone.
    let holidays: Set<Int64>

    static let aroundTheClock = BusinessCalendar(hours: nil, holidays: [])

    init(hours: BusinessHours?, holidays: Set<Int64>) {
        self.hours = hours
        self.holidays = hours == nil ? [] : holidays
    }

    /// A calendar search never needs more than this many days: it bounds a loop on a calendar
    /// whose every day is a holiday, which configuration already refuses.
    private static let searchDays: Int64 = 3 * 366

    /// The instant at which `amount` milliseconds of working time have passed since `start`.
    /// Outside working hours the amount starts counting at the next working moment.
    func instant(after amount: Int64, from start: Timestamp) -> Timestamp {
        guard let hours else { return start + .milliseconds(max(0, amount)) }
        var remaining = max(0, amount)
        var day = hours.localDay(of: start)
        for _ in 0..<Self.searchDays {
            defer { day += 1 }
            guard let window = window(on: day, hours) else { continue }
            let from = max(window.start, start.unixMilliseconds)
            guard from < window.end else { continue }
            let available = window.end - from
            if remaining <= available { return Timestamp(unixMilliseconds: from + remaining) }
            remaining -= available
        }
        return Timestamp(unixMilliseconds: .max)
    }

    /// The working time, in milliseconds, between `start` and `end` (zero when `end` is earlier).
    func workingTime(from start: Timestamp, to end: Timestamp) -> Int64 {
        guard end > start else { return 0 }
        guard let hours else { return end.unixMilliseconds - start.unixMilliseconds }
        var total: Int64 = 0
        let last = hours.localDay(of: end)
        var day = hours.localDay(of: start)
        while day <= last {
            defer { day += 1 }
            guard let window = window(on: day, hours) else { continue }
            let from = max(window.start, start.unixMilliseconds)
            let to = min(window.end, end.unixMilliseconds)
            if to > from { total += to - from }
        }
        return total
    }

    /// The working window of a local day, in Unix ms; nil on a day off.
    private func window(on day: Int64, _ hours: BusinessHours) -> (start: Int64, end: Int64)? {
        guard hours.weekdays.contains(LocalDate.isoWeekday(ofDay: day)), !holidays.contains(day) else { return nil }
        return (hours.instant(day: day, minute: hours.startMinute), hours.instant(day: day, minute: hours.endMinute))
    }
}

/// Business hours: from `startMinute` to `endMinute` after local midnight on `weekdays`
/// (ISO numbering, 1 = Monday) in `timeZone`.
struct BusinessHours: Sendable, Hashable {
    let startMinute: Int
    let endMinute: Int
    let weekdays: Set<Int>
    let timeZone: TimeZone

    /// The local day number (days since 1970-01-01 in this time zone) of an instant.
    func localDay(of instant: Timestamp) -> Int64 {
        let local = instant.unixMilliseconds + offsetMilliseconds(at: instant.unixMilliseconds)
        return LocalDate.floorDivide(local, 86_400_000)
    }

    /// The instant of `minute` after local midnight of `day`. The offset is looked up twice so
    /// a day on which daylight saving time changes still lands on the right side of the change.
    func instant(day: Int64, minute: Int) -> Int64 {
        let local = day * 86_400_000 + Int64(minute) * 60_000
        let guess = local - offsetMilliseconds(at: local)
        return local - offsetMilliseconds(at: guess)
    }

    private func offsetMilliseconds(at unixMilliseconds: Int64) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
        return Int64(timeZone.secondsFromGMT(for: date)) * 1000
    }
}

/// Calendar arithmetic on day numbers (days since 1970-01-01), exact for any date.
enum LocalDate {
    /// 1 = Monday ... 7 = Sunday; 1970-01-01 was a Thursday.
    static func isoWeekday(ofDay day: Int64) -> Int {
        Int(floorModulo(day + 3, 7)) + 1
    }

    /// Howard Hinnant's `days_from_civil`.
    static func day(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `YYYY-MM-DD` as a day number; nil for text that is not a real date.
    static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int64(parts[0]), let month = Int64(parts[1]), let dayOfMonth = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        let number = day(year: year, month: month, day: dayOfMonth)
        // 2025-02-30 would roll over into March: refuse it rather than guess.
        guard civil(fromDay: number) == (year, month, dayOfMonth) else { return nil }
        return number
    }

    /// Hinnant's `civil_from_days`.
    static func civil(fromDay days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD` of a day number.
    static func format(day: Int64) -> String {
        let (year, month, dayOfMonth) = civil(fromDay: day)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(dayOfMonth, 2))"
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
