/// Where a complaint case stands. The allowed moves are one table, ``allowedNext``, so the API
/// and the timers validate every change the same way and an impossible one is refused with the
/// reason and the moves that are possible instead.
enum CaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    /// The customer got the first reply.
    case acknowledged
    case investigating
    /// Waiting for the customer to answer; the deadlines are paused.
    case awaitingCustomer = "awaiting_customer"
    case resolved
    case closed
    case reopened
    /// Marked for third-party mediation: a dispute the parties could not settle.
    case mediation

    /// The statuses a case may move to from this one.
    var allowedNext: [CaseStatus] {
        switch self {
        case .open: [.acknowledged, .mediation]
        case .acknowledged: [.investigating, .awaitingCustomer, .resolved, .mediation]
        case .investigating: [.awaitingCustomer, .resolved, .mediation]
        case .awaitingCustomer: [.investigating, .resolved, .mediation]
        case .mediation: [.investigating, .resolved, .closed]
        case .resolved: [.closed, .reopened]
        case .closed: [.reopened]
        case .reopened: [.acknowledged, .investigating, .awaitingCustomer, .resolved, .mediation]
        }
    }

    /// The case still needs work: its deadlines may run and it may be escalated or replied to.
    var isActive: Bool {
        switch self {
        case .resolved, .closed: false
        default: true
        }
    }

    /// The case waits for its first reply (a new case, or one opened again).
    var awaitsFirstReply: Bool { self == .open || self == .reopened }

    /// Checks the move to `next`; the error says why it is impossible and what is possible.
    func transition(to next: CaseStatus) throws(TransitionError) -> CaseStatus {
        guard allowedNext.contains(next) else { throw TransitionError(from: self, to: next) }
        return next
    }
}

/// A status change the lifecycle does not allow, answered 409 by the API.
struct TransitionError: Error, Hashable, CustomStringConvertible {
    let from: CaseStatus
    let to: CaseStatus

    var description: String {
        let allowed = from.allowedNext.map(\.rawValue).joined(separator: ", ")
        if from == to { return "the case is already \(from.rawValue); from \(from.rawValue) it may become: \(allowed)" }
        return "a case that is \(from.rawValue) cannot become \(to.rawValue); from \(from.rawValue) it may become: \(allowed)"
    }
}
