import Model

/// The events a ledger decision is made on, each with the id of what caused it.
enum LedgerEvent: Sendable {
    case orderPaid(OrderPaid, cause: String)
    case orderRefunded(OrderRefunded, cause: String)
    case orderCancelled(OrderCancelled, cause: String)
    case tierChanged(TierChanged, cause: String)
    case compensated(ComplaintCompensated, cause: String)
    case profile(ProfileUpdate, cause: String)
    /// A timer came due; `birthDate` is the opened birthday for birthday timers.
    case timer(LoyaltyTimer, birthDate: BirthDate?, cause: String)
    case referralCredit(ReferralCredit, cause: String)

    var cause: String {
        switch self {
        case .orderPaid(_, let cause), .orderRefunded(_, let cause), .orderCancelled(_, let cause),
            .tierChanged(_, let cause), .compensated(_, let cause), .profile(_, let cause),
            .timer(_, _, let cause), .referralCredit(_, let cause):
            cause
        }
    }
}

/// What loyalty needs from a `customer.upserted`: the birthday stays sealed in the ledger,
/// `birthDate` is its opened form, used only to schedule the timer.
struct ProfileUpdate: Sendable, Hashable {
    var sealedBirthday: String?
    var birthDate: BirthDate?
    var timeZone: String?
    var updatedAt: Timestamp
}

/// An output event and the suffix that makes its id unique under its cause.
struct PointsOutput: Sendable {
    var suffix: String
    var event: any DomainEvent
}

/// A timer to set or take away.
enum TimerChange: Sendable, Hashable {
    case schedule(LoyaltyTimer, id: String)
    case cancel(id: String)
}

/// A message for another customer's ledger, which may live in another partition.
struct RelayMessage: Sendable, Hashable {
    var customer: String
    var suffix: String
    var credit: ReferralCredit
}

/// The result of one decision: the new ledger and its effects. Applying it twice is never
/// needed: the handler commits it with the event's processed marker.
struct LedgerDecision: Sendable {
    var ledger: PointsLedger
    var outputs: [PointsOutput] = []
    var timers: [TimerChange] = []
    var relays: [RelayMessage] = []
}
