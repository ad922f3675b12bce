import Foundation
import Model
import ServiceSupport

/// The deadlines of each priority, the warning share, and the working-time calendar they are
/// counted in, from the `complaints` section of the rules file.
struct SLAPolicy: Sendable, Hashable {
    /// Working-time targets of one priority, in milliseconds.
    struct Targets: Sendable, Hashable {
        var firstReply: Int64
        var update: Int64
        var resolution: Int64

        func target(_ deadline: ComplaintDeadline) -> Int64 {
            switch deadline {
            case .firstReply: firstReply
            case .update: update
            case .resolution: resolution
            }
        }
    }

    var normal: Targets
    var urgent: Targets
    /// Share of a target, in percent, after which the warning fires.
    var warningPercent: Int
    var calendar: BusinessCalendar

    static let standard = SLAPolicy(
        normal: Targets(firstReply: hours(24), update: hours(48), resolution: hours(120)),
        urgent: Targets(firstReply: hours(8), update: hours(24), resolution: hours(48)),
        warningPercent: 75, calendar: .aroundTheClock)

    func targets(_ priority: ComplaintPriority) -> Targets {
        priority == .urgent ? urgent : normal
    }

    /// The working time after which the warning of a clock with `target` fires.
    func warningThreshold(of target: Int64) -> Int64 {
        target * Int64(warningPercent) / 100
    }

    static func hours(_ count: Int64) -> Int64 { count * 3_600_000 }
}

extension SLAPolicy {
    /// Reads `complaints.sla`, `complaints.warning_percent`, `complaints.business_hours` and
    /// `complaints.holidays`; absent keys take the defaults of ``standard``.
    init(rules section: RulesValue) throws {
        let sla = section["sla"]
        try sla.requireKnownKeys(["normal", "urgent"])
        normal = try Self.targets(sla["normal"], default: Self.standard.normal)
        urgent = try Self.targets(sla["urgent"], default: Self.standard.urgent)
        warningPercent = try section["warning_percent"].int(default: 75, in: 1...99)
        let hours = try Self.businessHours(section["business_hours"])
        let holidayList = try section["holidays"].list()
        if hours == nil, !holidayList.isEmpty {
            throw section["holidays"].invalid(
                "holidays need complaints.business_hours (its time_zone says which days they are); set business_hours or remove the holidays")
        }
        var holidays = Set<Int64>()
        for item in holidayList {
            holidays.insert(try item.parse(expected: "a date like \"2025-10-01\"") { LocalDate.parse($0) })
        }
        calendar = BusinessCalendar(hours: hours, holidays: holidays)
    }

    private static func targets(_ value: RulesValue, default fallback: Targets) throws -> Targets {
        try value.requireKnownKeys(["first_reply_hours", "update_hours", "resolution_hours"])
        func read(_ key: String, _ fallback: Int64) throws -> Int64 {
            let duration = try value[key].durationHours(default: .milliseconds(fallback))
            guard duration.milliseconds > 0 else { throw value[key].invalid("a deadline must be longer than zero") }
            return duration.milliseconds
        }
        return Targets(
            firstReply: try read("first_reply_hours", fallback.firstReply),
            update: try read("update_hours", fallback.update),
            resolution: try read("resolution_hours", fallback.resolution))
    }

    static let weekdayNames: [String: Int] = [
        "mon": 1, "monday": 1, "tue": 2, "tuesday": 2, "wed": 3, "wednesday": 3, "thu": 4, "thursday": 4,
        "fri": 5, "friday": 5, "sat": 6, "saturday": 6, "sun": 7, "sunday": 7,
    ]

    private static func businessHours(_ value: RulesValue) throws -> BusinessHours? {
        guard value.exists else { return nil }
        try value.requireKnownKeys(["start", "end", "days", "time_zone"])
        let clock = "a time of day like \"09:00\""
        let start = try value["start"].parse(expected: clock, default: 9 * 60) { minuteOfDay($0) }
        let end = try value["end"].parse(expected: clock + " (\"24:00\" for midnight)", default: 18 * 60) { minuteOfDay($0) }
        guard start < end else { throw value["end"].invalid("the end of business hours must be later than the start") }
        var weekdays = Set<Int>()
        let days = try value["days"].list()
        for item in days {
            weekdays.insert(try item.parse(expected: "a weekday like mon, tue, ... sun") { weekdayNames[$0.lowercased()] })
        }
        if !value["days"].exists { weekdays = [1, 2, 3, 4, 5] }
        guard !weekdays.isEmpty else { throw value["days"].invalid("name at least one working day") }
        let zoneName = try value["time_zone"].string(default: "Asia/Shanghai")
        guard let zone = TimeZone(identifier: zoneName) else {
            throw value["time_zone"].invalid("unknown time zone \"\(zoneName)\"; use an IANA name like Asia/Shanghai")
        }
        return BusinessHours(startMinute: start, endMinute: end, weekdays: weekdays, timeZone: zone)
    }

    /// `HH:MM` as minutes after midnight; `24:00` is the end of the day.
    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute)
        else { return nil }
        if hour == 24 && minute == 0 { return 24 * 60 }
        guard (0...23).contains(hour) else { return nil }
        return hour * 60 + minute
    }
}
