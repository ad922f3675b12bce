import Model

/// The points programme as pure decisions: given a customer's ledger, an event and the time,
/// the new ledger and its effects. No Redis, no clock: the handler and the API commit what
/// these return, and tests call them directly.
struct LedgerRules: Sendable {
    let policy: PointsPolicy

    func decide(_ ledger: PointsLedger, _ event: LedgerEvent, now: Timestamp) throws -> LedgerDecision {
        var change = LedgerChange(ledger, policy: policy, now: now, cause: event.cause)
        switch event {
        case .orderPaid(let paid, _): try change.orderPaid(paid)
        case .orderRefunded(let refund, _): try change.orderRefunded(refund)
        case .orderCancelled(let cancelled, _): change.orderCancelled(cancelled)
        case .tierChanged(let tier, _): change.tierChanged(tier)
        case .compensated(let compensation, _): change.compensated(compensation)
        case .profile(let update, _): change.profileUpdated(update)
        case .timer(let timer, let birthDate, _): change.timerFired(timer, birthDate: birthDate)
        case .referralCredit(let credit, _): change.referralCredited(credit)
        }
        return change.decision
    }

    /// `POST /redemptions`: the decision and the answer for the caller.
    func redeem(_ ledger: PointsLedger, points: Int64, key: String, now: Timestamp) -> (LedgerDecision, RequestOutcome) {
        var change = LedgerChange(ledger, policy: policy, now: now, cause: "api:redemption:\(key)")
        let outcome = change.redeem(points: points, key: key)
        return (change.decision, outcome)
    }

    /// `POST /adjustments`.
    func adjust(
        _ ledger: PointsLedger, points: Int64, reason: String, key: String, actor: String, now: Timestamp
    ) -> (LedgerDecision, RequestOutcome) {
        var change = LedgerChange(ledger, policy: policy, now: now, cause: "api:adjustment:\(key)")
        let outcome = change.adjust(points: points, reason: reason, key: key, actor: actor)
        return (change.decision, outcome)
    }
}
