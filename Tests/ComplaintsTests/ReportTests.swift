import Foundation
import Hummingbird
import HummingbirdTesting
import Model
import Testing
import TestSupport
@testable import Complaints

@Suite("Complaint reports")
struct ReportTests {
    /// Ten cases over two weeks: first replies after 1..10 hours, four resolved, three breached,
    /// three rated; two more outside the range.
    static let facts: [CaseFacts] = (1...10).map { hour in
        let opened = monday + hours(Int64(hour) * 24)
        return CaseFacts(
            openedAt: opened, category: hour % 3 == 0 ? "quality" : "delivery", priority: hour <= 2 ? .urgent : .normal,
            firstReplyAt: opened + hours(Int64(hour)), firstResolvedAt: hour <= 4 ? opened + hours(Int64(hour) * 10) : nil,
            breached: hour > 7, rating: [1: 5, 2: 4, 3: 2][hour])
    } + [
        CaseFacts(openedAt: monday - hours(1), category: "delivery", priority: .normal, firstReplyAt: nil, firstResolvedAt: nil, breached: true, rating: 1),
        CaseFacts(openedAt: monday + hours(24 * 14), category: "delivery", priority: .normal, firstReplyAt: nil, firstResolvedAt: nil, breached: true, rating: 1),
    ]

    @Test("counts, nearest-rank median and p90, breach rate, satisfaction and weekly trend on a known data set")
    func figures() {
        let report = ComplaintReport(facts: Self.facts, from: monday, to: monday + hours(24 * 14), timeZone: nil)
        #expect(report.cases == 10)
        #expect(report.byCategory == ["delivery": 7, "quality": 3])
        #expect(report.byPriority == ["urgent": 2, "normal": 8])
        #expect(report.firstReply.count == 10 && report.firstReply.medianMs == ms(hours: 5) && report.firstReply.p90Ms == ms(hours: 9))
        #expect(report.resolution.count == 4 && report.resolution.medianMs == ms(hours: 20) && report.resolution.p90Ms == ms(hours: 40))
        #expect(report.breaches.breached == 3 && report.breaches.cases == 10 && report.breaches.rate == "0.30")
        #expect(report.satisfaction.rated == 3 && report.satisfaction.average == "3.67")
        #expect(report.satisfaction.distribution == ["1": 0, "2": 1, "3": 0, "4": 1, "5": 1])
        #expect(report.weekly.map(\.weekStart) == ["2025-03-03", "2025-03-10"])
        #expect(report.weekly.map(\.opened) == [6, 4])
        #expect(report.weekly.map(\.breached) == [0, 3])
        #expect(report.weekly.map(\.resolved) == [4, 0])
        #expect(report.weekly.map(\.firstReplyMedianMs) == [ms(hours: 3), ms(hours: 8)])
    }

    @Test("nearest rank and two-decimal ratios are exact")
    func exactFigures() {
        #expect(Figures.percentile(50, of: [4, 1, 3, 2]) == 2)
        #expect(Figures.percentile(90, of: [7]) == 7)
        #expect(Figures.percentile(90, of: []) == nil)
        #expect(Figures.percentile(100, of: [3, 9, 1]) == 9)
        #expect(Figures.decimal(1, over: 3) == "0.33" && Figures.decimal(2, over: 3) == "0.67" && Figures.decimal(1, over: 8) == "0.13")
        #expect(Figures.decimal(5, over: 0) == nil && Figures.hours(5_400_000) == "1.50")
    }

    @Test("the CSV form has one figure per row and quotes what needs quoting")
    func csv() {
        let report = ComplaintReport(facts: Self.facts, from: monday, to: monday + hours(24 * 14), timeZone: nil)
        let rows = report.csv.split(separator: "\r\n").map(String.init)
        #expect(rows.first == "section,key,value")
        #expect(rows.contains("by_category,delivery,7") && rows.contains("breaches,rate,0.30"))
        #expect(rows.contains("first_reply,median_ms,18000000") && rows.contains("satisfaction,score_2,1"))
        #expect(rows.contains("weekly_opened,2025-03-10,4"))
        #expect(ComplaintReport.csvField("late, broken") == "\"late, broken\"")
        #expect(ComplaintReport.csvField("=SUM(A1)") == "'=SUM(A1)")
    }
}

@Suite("Complaint report over the API", .timeLimit(.minutes(2)))
final class ReportAPITests {
    @Test("the report endpoint answers JSON and, for Accept: text/csv, CSV over the service's own cases")
    func endpoint() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        for (index, category) in ["delivery", "delivery", "quality"].enumerated() {
            harness.clock.set(monday + hours(Int64(index)))
            try await harness.submit("rep\(index)", category: category)
        }
        try await harness.drain()
        try await harness.makeApplication().test(.router) { client in
            for (index, delay) in [2, 4, 30].enumerated() {
                try await harness.advance(to: monday + hours(Int64(index + delay)))
                #expect(try await client.call(.post, path("web:rep\(index)") + "/replies", token: Tokens.agent, json: #"{"message": "hello"}"#).status == .ok)
            }
        }
        try await harness.advance(to: monday + hours(40))
        try await harness.makeApplication().test(.router) { client in
            let json = try await client.call(.get, "/v1/reports/complaints?from=2025-03-03&to=2025-03-10", token: Tokens.supervisor)
            #expect(json.status == .ok && json.body["cases"] as? Int == 3)
            #expect(json.body["by_category"] as? [String: Int] == ["delivery": 2, "quality": 1])
            let firstReply = try #require(json.body["first_reply"] as? [String: Any])
            #expect(firstReply["median_ms"] as? Int == Int(ms(hours: 4)) && firstReply["p90_ms"] as? Int == Int(ms(hours: 30)))
            #expect(firstReply["median_hours"] as? String == "4.00")
            #expect((json.body["breaches"] as? [String: Any])?["rate"] as? String == "0.33")
            let csv = try await client.call(.get, "/v1/reports/complaints?from=2025-03-03&to=2025-03-10", token: Tokens.supervisor, accept: "text/csv")
            #expect(csv.status == .ok && csv.text.hasPrefix("section,key,value\r\n") && csv.text.contains("cases,total,3\r\n"))
            #expect(try await client.call(.get, "/v1/reports/complaints?from=2025-03-10&to=2025-03-03", token: Tokens.supervisor).status == .badRequest)
            #expect(try await client.call(.get, "/v1/reports/complaints", token: Tokens.supervisor).status == .badRequest)
        }
    }
}
