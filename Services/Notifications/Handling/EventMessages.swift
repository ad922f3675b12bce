import Foundation
import Model

/// A message the handler decided to send: what for, in which category, and the period that
/// makes it unique (a year for a birthday, a complaint id for its acknowledgement).
struct PlannedMessage: Sendable, Hashable {
    var purpose: String
    var category: MessageCategory
    var period: String
    /// Urgent messages ignore quiet hours.
    var urgent = false
    var variables: [String: String] = [:]
}

/// The events of other services that become a message to the customer. Their producers are
/// other services, so only the envelope and a few scalar fields are read: a new field or a
/// renamed one never breaks this service, it only leaves a template variable empty.
enum EventMessages {
    struct Rule: Sendable {
        var purpose: String
        var category: MessageCategory
        var urgent: Bool
        /// The data field naming the period; the event id when absent.
        var periodField: String?
    }

    /// Keyed by the producers' published event types (Shared/Model/Commerce), so a renamed type
    /// fails to compile here instead of silently sending nothing.
    static let rules: [String: Rule] = [
        PointsEarned.eventType: Rule(purpose: "points_earned", category: .service, urgent: false, periodField: nil),
        PointsExpiring.eventType: Rule(purpose: "points_expiring", category: .service, urgent: false, periodField: "expiresAt"),
        ComplaintOpened.eventType: Rule(purpose: "complaint_opened", category: .service, urgent: true, periodField: "complaintID"),
        // The first reply to the customer, recorded by the complaints service.
        ComplaintAcknowledged.eventType: Rule(purpose: "complaint_replied", category: .service, urgent: false, periodField: "complaintID"),
        ComplaintResolved.eventType: Rule(purpose: "complaint_resolved", category: .service, urgent: false, periodField: "complaintID"),
        ComplaintFollowUpDue.eventType: Rule(purpose: "complaint_follow_up", category: .service, urgent: false, periodField: "complaintID"),
    ]

    /// `churn.risk_raised`: a task for the account manager and a retention offer to the customer.
    static let churnRiskRaised = ChurnRiskRaised.eventType

    /// The top-level scalar fields of an event's data, as template variables.
    static func variables(of envelope: Envelope) -> [String: String] {
        guard let object = try? JSONDocumentDecoder().decode([String: Scalar].self, from: envelope.data) else {
            return [:]
        }
        return object.compactMapValues(\.text)
    }

    /// One JSON value, kept only when it is a string, number or boolean.
    private struct Scalar: Decodable {
        var text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                text = flag ? "true" : "false"
            } else if let whole = try? container.decode(Int64.self) {
                text = String(whole)
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else if let string = try? container.decode(String.self) {
                text = string
            } else {
                text = nil
            }
        }
    }

    static func message(for envelope: Envelope) -> PlannedMessage? {
        guard let rule = rules[envelope.type] else { return nil }
        let variables = variables(of: envelope)
        let period = rule.periodField.flatMap { variables[$0] } ?? envelope.id
        return PlannedMessage(
            purpose: rule.purpose, category: rule.category, period: period, urgent: rule.urgent, variables: variables)
    }

    /// Tier order, for telling an upgrade (worth a message) from a downgrade (not).
    static func rank(ofTier tier: String?) -> Int? {
        guard let tier else { return nil }
        return ["a": 3, "b": 2, "c": 1, "diamond": 4, "gold": 3, "silver": 2, "regular": 1][tier.lowercased()]
    }
}
