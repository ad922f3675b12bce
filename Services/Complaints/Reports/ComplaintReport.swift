import Foundation
import Model

/// `GET /v1/reports/complaints`: the management review of REQUIREMENTS.md section 4 over the
/// cases opened in `[from, to)`: counts by category and priority, time to first reply and to
/// resolution (median and p90 by nearest rank, measured from when the customer complained),
/// breach rate, satisfaction, and the trend by week.
struct ComplaintReport: Encodable, Sendable, Equatable {
    struct Durations: Encodable, Sendable, Equatable {
        /// Cases that reached the step.
        var count: Int
        var medianMs: Int64?
        var p90Ms: Int64?

        init(_ values: [Int64]) {
            count = values.count
            medianMs = Figures.percentile(50, of: values)
            p90Ms = Figures.percentile(90, of: values)
        }

        enum CodingKeys: String, CodingKey {
            case count, medianMs = "median_ms", p90Ms = "p90_ms", medianHours = "median_hours", p90Hours = "p90_hours"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(medianMs, forKey: .medianMs)
            try container.encode(p90Ms, forKey: .p90Ms)
            try container.encode(Figures.hours(medianMs), forKey: .medianHours)
            try container.encode(Figures.hours(p90Ms), forKey: .p90Hours)
        }
    }

    struct Breaches: Encodable, Sendable, Equatable {
        var breached: Int
        var cases: Int
        /// `breached / cases`, two decimals.
        var rate: String? { Figures.decimal(Int64(breached), over: Int64(cases)) }

        enum CodingKeys: String, CodingKey { case breached, cases, rate }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(breached, forKey: .breached)
            try container.encode(cases, forKey: .cases)
            try container.encode(rate, forKey: .rate)
        }
    }

    struct Satisfaction: Encodable, Sendable, Equatable {
        var rated: Int
        var sum: Int
        /// Count per score, `"1"` to `"5"`.
        var distribution: [String: Int]
        var average: String? { Figures.decimal(Int64(sum), over: Int64(rated)) }

        enum CodingKeys: String, CodingKey { case rated, sum, distribution, average }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rated, forKey: .rated)
            try container.encode(sum, forKey: .sum)
            try container.encode(distribution, forKey: .distribution)
            try container.encode(average, forKey: .average)
        }
    }

    struct Week: Encodable, Sendable, Equatable {
        /// The Monday the week starts on.
        var weekStart: String
        var opened: Int
        var breached: Int
        var resolved: Int
        var firstReplyMedianMs: Int64?

        enum CodingKeys: String, CodingKey {
            case opened, breached, resolved
            case weekStart = "week_start"
            case firstReplyMedianMs = "first_reply_median_ms"
        }
    }

    var from: String
    var to: String
    var cases: Int
    var byCategory: [String: Int]
    var byPriority: [String: Int]
    var firstReply: Durations
    var resolution: Durations
    var breaches: Breaches
    var satisfaction: Satisfaction
    var weekly: [Week]

    enum CodingKeys: String, CodingKey {
        case from, to, cases, breaches, satisfaction, weekly
        case byCategory = "by_category"
        case byPriority = "by_priority"
        case firstReply = "first_reply"
        case resolution
    }

    /// Weeks are filled in, empty ones included, for ranges up to this many weeks.
    static let filledWeeks: Int64 = 260

    /// - Parameter timeZone: where weeks start on Monday at midnight (UTC when nil).
    init(facts: [CaseFacts], from: Timestamp, to: Timestamp, timeZone: TimeZone?) {
        self.from = from.description
        self.to = to.description
        let inRange = facts.filter { $0.openedAt >= from && $0.openedAt < to }
        cases = inRange.count
        byCategory = Dictionary(inRange.map { ($0.category, 1) }, uniquingKeysWith: +)
        var priorities = Dictionary(uniqueKeysWithValues: ComplaintPriority.allCases.map { ($0.rawValue, 0) })
        for fact in inRange { priorities[fact.priority.rawValue, default: 0] += 1 }
        byPriority = priorities
        firstReply = Durations(inRange.compactMap { fact in fact.firstReplyAt.map { $0.unixMilliseconds - fact.countsFrom.unixMilliseconds } })
        resolution = Durations(inRange.compactMap { fact in fact.firstResolvedAt.map { $0.unixMilliseconds - fact.countsFrom.unixMilliseconds } })
        breaches = Breaches(breached: inRange.filter(\.breached).count, cases: inRange.count)
        let scores = inRange.compactMap(\.rating)
        var distribution = Dictionary(uniqueKeysWithValues: (1...5).map { (String($0), 0) })
        for score in scores { distribution[String(score), default: 0] += 1 }
        satisfaction = Satisfaction(rated: scores.count, sum: scores.reduce(0, +), distribution: distribution)

        func weekStart(_ instant: Timestamp) -> Int64 {
            let offset = Int64(timeZone?.secondsFromGMT(for: instant.date) ?? 0) * 1000
            let day = LocalDate.floorDivide(instant.unixMilliseconds + offset, 86_400_000)
            return day - Int64(LocalDate.isoWeekday(ofDay: day) - 1)
        }
        var byWeek: [Int64: [CaseFacts]] = [:]
        for fact in inRange { byWeek[weekStart(fact.openedAt), default: []].append(fact) }
        var weeks = Array(byWeek.keys)
        if to > from {
            let first = weekStart(from)
            let last = weekStart(to - .milliseconds(1))
            if (last - first) / 7 <= Self.filledWeeks {
                weeks = Array(stride(from: first, through: last, by: 7))
            }
        }
        weekly = weeks.sorted().map { start in
            let facts = byWeek[start] ?? []
            return Week(
                weekStart: LocalDate.format(day: start), opened: facts.count, breached: facts.filter(\.breached).count,
                resolved: facts.filter { $0.firstResolvedAt != nil }.count,
                firstReplyMedianMs: Figures.percentile(50, of: facts.compactMap { fact in
                    fact.firstReplyAt.map { $0.unixMilliseconds - fact.countsFrom.unixMilliseconds }
                }))
        }
    }

    /// The report as CSV (`section,key,value`), one figure per row, for spreadsheets.
    var csv: String {
        var rows: [[String]] = [["section", "key", "value"]]
        rows.append(["range", "from", from])
        rows.append(["range", "to", to])
        rows.append(["cases", "total", String(cases)])
        for (category, count) in byCategory.sorted(by: { $0.key < $1.key }) { rows.append(["by_category", category, String(count)]) }
        for (priority, count) in byPriority.sorted(by: { $0.key < $1.key }) { rows.append(["by_priority", priority, String(count)]) }
        for (name, durations) in [("first_reply", firstReply), ("resolution", resolution)] {
            rows.append([name, "count", String(durations.count)])
            rows.append([name, "median_ms", durations.medianMs.map(String.init) ?? ""])
            rows.append([name, "p90_ms", durations.p90Ms.map(String.init) ?? ""])
            rows.append([name, "median_hours", Figures.hours(durations.medianMs) ?? ""])
            rows.append([name, "p90_hours", Figures.hours(durations.p90Ms) ?? ""])
        }
        rows.append(["breaches", "breached", String(breaches.breached)])
        rows.append(["breaches", "cases", String(breaches.cases)])
        rows.append(["breaches", "rate", breaches.rate ?? ""])
        rows.append(["satisfaction", "rated", String(satisfaction.rated)])
        rows.append(["satisfaction", "average", satisfaction.average ?? ""])
        for score in 1...5 { rows.append(["satisfaction", "score_\(score)", String(satisfaction.distribution[String(score)] ?? 0)]) }
        for week in weekly {
            rows.append(["weekly_opened", week.weekStart, String(week.opened)])
            rows.append(["weekly_breached", week.weekStart, String(week.breached)])
            rows.append(["weekly_resolved", week.weekStart, String(week.resolved)])
            rows.append(["weekly_first_reply_median_ms", week.weekStart, week.firstReplyMedianMs.map(String.init) ?? ""])
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a category name
    /// cannot become a spreadsheet formula.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Int64(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
