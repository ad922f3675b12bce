import Foundation
import Model
@testable import Complaints

/// Monday 2025-03-03 00:00 UTC: a known week for deadline arithmetic.
let monday = Timestamp(unixMilliseconds: LocalDate.day(year: 2025, month: 3, day: 3) * 86_400_000)

func hours(_ count: Int64) -> Duration { .seconds(count * 3600) }
func minutes(_ count: Int64) -> Duration { .seconds(count * 60) }
func ms(hours count: Int64) -> Int64 { count * 3_600_000 }

/// An instant given as a UTC calendar date and time.
func utc(_ year: Int64, _ month: Int64, _ day: Int64, _ hour: Int64 = 0, _ minute: Int64 = 0) -> Timestamp {
    Timestamp(unixMilliseconds: LocalDate.day(year: year, month: month, day: day) * 86_400_000 + hour * 3_600_000 + minute * 60_000)
}

func newCase(
    _ complaintID: String = "c1", customer: String = "shopify:dev.myshopify.com:1", category: String = "delivery",
    submittedAt: Timestamp = monday
) -> NewCase {
    NewCase(
        source: "web", complaintID: complaintID, customer: customer, channel: .web, category: category, orderID: "o-1",
        personal: ["text": "s1:sealed"], submittedAt: submittedAt, openedBy: "intake", correlation: "corr-\(complaintID)")
}

func decision(_ priority: ComplaintPriority = .normal) -> PriorityRules.Decision {
    PriorityRules.Decision(priority: priority, reasons: priority == .urgent ? ["category"] : [], priorityHandling: false)
}

/// The events of a list of outputs, by name, for compact expectations.
func names(_ outputs: [CaseOutput]) -> [String] {
    outputs.map { output in
        switch output {
        case .opened: "opened"
        case .acknowledged: "acknowledged"
        case .escalated(let level, _, _): "escalated:\(level)"
        case .slaWarning(let deadline, _): "warning:\(deadline.rawValue)"
        case .slaBreached(let deadline, _): "breached:\(deadline.rawValue)"
        case .resolved: "resolved"
        case .compensated(let points, _): "compensated:\(points)"
        case .reopened(let reason, _): "reopened:\(reason)"
        case .followUpDue: "follow_up_due"
        case .rated(let score, _): "rated:\(score)"
        }
    }
}
