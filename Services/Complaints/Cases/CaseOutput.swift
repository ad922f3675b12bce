import Model

/// An event a change of a case puts on the `complaints` stream.
enum CaseOutput: Sendable, Hashable {
    case opened(at: Timestamp)
    case acknowledged(at: Timestamp)
    case escalated(level: String, reason: String, at: Timestamp)
    case slaWarning(ComplaintDeadline, at: Timestamp)
    case slaBreached(ComplaintDeadline, at: Timestamp)
    case resolved(rootCause: String, compensation: [String], at: Timestamp)
    /// Points granted as compensation, for loyalty.
    case compensated(points: Int64, at: Timestamp)
    case reopened(reason: String, at: Timestamp)
    case followUpDue(at: Timestamp)
    case rated(score: Int, at: Timestamp)
}

/// The data a new case is made from, whether it came through intake or from an agent.
struct NewCase: Sendable, Hashable {
    var source: String
    var complaintID: String
    var customer: String
    var channel: ComplaintChannel
    var category: String
    var orderID: String?
    /// Sealed `text`, `demand`, `contact`.
    var personal: [String: String]
    var submittedAt: Timestamp
    var openedBy: String
    var correlation: String

    var caseID: String { ComplaintCase.caseID(source: source, complaintID: complaintID) }
}
