import Foundation
import Model
import PropertyBased
import ServiceSupport
import Testing
@testable import Complaints

@Suite("SLA clocks in working time")
struct BusinessCalendarTests {
    /// 09:00-18:00 Monday to Friday in Shanghai (UTC+8), with Tuesday 2025-03-11 a holiday.
    static let yaml = """
        complaints:
          business_hours: {start: "09:00", end: "18:00", days: [mon, tue, wed, thu, fri], time_zone: Asia/Shanghai}
          holidays: ["2025-03-11"]
        """

    let policy: CasePolicy
    var calendar: BusinessCalendar { policy.sla.calendar }

    init() throws {
        policy = try CasePolicy(rules: RulesFile(yaml: Self.yaml))
    }

    /// Shanghai wall-clock time as an instant.
    func shanghai(_ day: Int64, _ hour: Int64, _ minute: Int64 = 0) -> Timestamp {
        utc(2025, 3, day, hour, minute) - hours(8)
    }

    @Test("the rules file sets hours, days, zone and holidays")
    func configuration() throws {
        let hours = try #require(calendar.hours)
        #expect(hours.startMinute == 540 && hours.endMinute == 1080 && hours.weekdays == [1, 2, 3, 4, 5])
        #expect(hours.timeZone.identifier == "Asia/Shanghai")
        #expect(calendar.holidays == [LocalDate.day(year: 2025, month: 3, day: 11)])
    }

    @Test("a deadline opened on Friday afternoon runs across the weekend and skips the holiday")
    func weekendAndHoliday() {
        // Friday 2025-03-07 16:00: 2 h on Friday, 9 h on Monday, Tuesday off, 9 h on Wednesday, then Thursday.
        let start = shanghai(7, 16)
        #expect(calendar.instant(after: ms(hours: 24), from: start) == shanghai(13, 13))
        #expect(calendar.instant(after: ms(hours: 18), from: start) == shanghai(12, 16))
        let plain = BusinessCalendar(hours: calendar.hours, holidays: [])
        #expect(plain.instant(after: ms(hours: 24), from: start) == shanghai(12, 13))
        #expect(calendar.workingTime(from: start, to: shanghai(10, 9)) == ms(hours: 2))
        #expect(calendar.workingTime(from: shanghai(8, 10), to: shanghai(10, 8)) == 0)
        #expect(calendar.workingTime(from: shanghai(11, 0), to: shanghai(12, 0)) == 0)
    }

    @Test("time outside business hours starts counting at the next opening")
    func outsideHours() {
        #expect(calendar.instant(after: ms(hours: 1), from: shanghai(8, 3)) == shanghai(10, 10))
        #expect(calendar.instant(after: 0, from: shanghai(7, 20)) == shanghai(10, 9))
        #expect(calendar.instant(after: ms(hours: 9), from: shanghai(10, 9)) == shanghai(10, 18))
    }

    @Test("working time to the instant a duration ends is that duration, for any start and duration")
    func roundTrip() async {
        let base = shanghai(1, 0).unixMilliseconds
        await propertyCheck(count: 500, input: Gen.int64(in: 0...(40 * 86_400_000)), Gen.int64(in: 0...(200 * 3_600_000))) { offset, amount in
            let start = Timestamp(unixMilliseconds: base + offset)
            let end = calendar.instant(after: amount, from: start)
            #expect(calendar.workingTime(from: start, to: end) == amount)
        }
    }

    @Test("a clock paused while waiting for the customer moves its due instant by the working time waited")
    func pausedClock() {
        var clock = SLAClock.started(target: ms(hours: 24), at: shanghai(7, 16), cycle: 1)
        #expect(clock.due(calendar: calendar) == shanghai(13, 13))
        clock.pause(at: shanghai(10, 12), calendar: calendar)
        #expect(clock.consumed == ms(hours: 5))
        #expect(clock.due(calendar: calendar) == nil)
        clock.resume(at: shanghai(12, 12))
        // 19 h left from Wednesday 12:00: 6 h Wednesday, 9 h Thursday, 4 h Friday.
        #expect(clock.due(calendar: calendar) == shanghai(14, 13))
        #expect(clock.elapsed(at: shanghai(12, 18), calendar: calendar) == ms(hours: 11))
    }

    @Test("bad business-hours settings stop start-up naming the key", arguments: [
        ("complaints: {business_hours: {start: \"18:00\", end: \"09:00\"}}", "complaints.business_hours.end"),
        ("complaints: {business_hours: {time_zone: Mars/Olympus}}", "complaints.business_hours.time_zone"),
        ("complaints: {business_hours: {days: [caturday]}}", "complaints.business_hours.days[0]"),
        ("complaints: {holidays: [\"2025-10-01\"]}", "complaints.holidays"),
        ("complaints: {business_hours: {start: \"9am\"}}", "complaints.business_hours.start"),
        ("complaints: {business_hours: {}, holidays: [\"2025-02-30\"]}", "complaints.holidays[0]"),
        ("complaints: {warning_percent: 100}", "complaints.warning_percent"),
        ("complaints: {sla: {urgent: {first_reply_hours: 0}}}", "complaints.sla.urgent.first_reply_hours"),
        ("complaints: {sla: {normal: {first_reply: 3}}}", "complaints.sla.normal.first_reply"),
        ("complaints: {escalation_levels: []}", "complaints.escalation_levels"),
        ("complaints: {slas: {}}", "complaints.slas"),
    ])
    func badSettings(yaml: String, key: String) throws {
        let rules = try RulesFile(yaml: yaml)
        let error = try #require(throws: ConfigurationError.self) { try CasePolicy(rules: rules) }
        #expect(error.key == key)
    }

    @Test("configured deadlines, warning share, ladder and follow-up delay are read from the rules file")
    func settings() throws {
        let policy = try CasePolicy(rules: RulesFile(yaml: """
            complaints:
              sla:
                normal: {first_reply_hours: 12, update_hours: 30m, resolution_hours: 3d}
                urgent: {first_reply_hours: 2}
              warning_percent: 80
              escalation_levels: [agent, supervisor]
              follow_up_days: 5
              urgent_keywords: []
              priority_tiers: [VIP]
            """))
        #expect(policy.sla.normal == .init(firstReply: ms(hours: 12), update: 30 * 60_000, resolution: ms(hours: 72)))
        #expect(policy.sla.urgent == .init(firstReply: ms(hours: 2), update: ms(hours: 24), resolution: ms(hours: 48)))
        #expect(policy.sla.warningThreshold(of: ms(hours: 10)) == ms(hours: 8))
        #expect(policy.escalationLevels == ["agent", "supervisor"] && policy.followUpDelay == .seconds(5 * 86_400))
        #expect(policy.priority.urgentKeywords.isEmpty && policy.priority.priorityTiers == ["VIP"])
        #expect(CasePolicy.standard == (try CasePolicy(rules: .builtIn)))
    }
}

@Suite("Priority rules")
struct PriorityRulesTests {
    let rules = PriorityRules.standard

    @Test("category, keyword and tier decide urgency; high tiers get priority handling", arguments: [
        ("delivery", "the parcel is late", nil as String?, ComplaintPriority.normal, [String](), false),
        ("Safety", "", nil, .urgent, ["category"], false),
        ("quality", "the charger caught FIRE last night", "Gold", .urgent, ["keyword"], true),
        ("quality", "孩子用了以后过敏", "Silver", .urgent, ["keyword"], false),
        ("delivery", "late again", "Diamond", .normal, [], true),
    ])
    func decide(category: String, text: String, tier: String?, priority: ComplaintPriority, reasons: [String], handling: Bool) {
        let decision = rules.decide(category: category, words: [text], tier: tier)
        #expect(decision == PriorityRules.Decision(priority: priority, reasons: reasons, priorityHandling: handling))
    }

    @Test("an urgent tier rule and an agent's request make a case urgent")
    func tierAndAgent() {
        var rules = rules
        rules.urgentTiers = ["A"]
        #expect(rules.decide(category: "delivery", words: [], tier: "A").reasons == ["tier"])
        #expect(rules.decide(category: "delivery", words: [], tier: nil, requested: .urgent).priority == .urgent)
        #expect(rules.decide(category: "delivery", words: [], tier: nil, requested: .normal).priority == .normal)
    }
}
