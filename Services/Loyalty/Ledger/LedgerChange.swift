import Model

/// A decision in progress: the ledger being changed plus the effects collected so far. The
/// per-event rules (earning, refunds, bonuses, timers, redemptions) are extensions of it, and
/// every entry is written through the few primitives here, so each kind of change moves
/// points, debt and timers the same way.
struct LedgerChange {
    let policy: PointsPolicy
    let now: Timestamp
    /// The event id or API call the entries name when no other cause is given.
    let cause: String
    var decision: LedgerDecision

    init(_ ledger: PointsLedger, policy: PointsPolicy, now: Timestamp, cause: String) {
        self.policy = policy
        self.now = now
        self.cause = cause
        self.decision = LedgerDecision(ledger: ledger)
    }

    var ledger: PointsLedger {
        get { decision.ledger }
        set { decision.ledger = newValue }
    }

    mutating func emit(_ event: some DomainEvent, entry: Int) {
        decision.outputs.append(PointsOutput(suffix: "\(type(of: event).eventType)-\(entry)", event: event))
    }

    // MARK: credits

    /// Appends a credit (a new lot) and settles outstanding debt from it first. Announces it
    /// as `points.earned` unless `announce` is false (adjustments announce themselves).
    /// Returns the entry's sequence, or nil when there is nothing to credit.
    @discardableResult
    mutating func credit(
        _ kind: LedgerEntry.Kind, points: Int64, orderID: String? = nil, reason: String,
        availableAt: Timestamp? = nil, cause: String? = nil, announce: Bool = true
    ) -> Int? {
        guard points > 0 else { return nil }
        let sequence = ledger.nextSequence
        let availableAt = availableAt ?? now
        let expiresAt = policy.expiry(afterAvailable: availableAt)
        var entry = LedgerEntry(
            sequence: sequence, kind: kind, points: points, cause: cause ?? self.cause, at: now,
            orderID: orderID, reason: reason, availableAt: availableAt, expiresAt: expiresAt)
        let settled = min(max(ledger.debt, 0), points)
        switch policy.debtPolicy {
        case .negativeBalance:
            // The negative balance is the debt: the credit covers it without an entry of its own.
            if settled > 0 {
                entry.draws = [LedgerEntry.Draw(lot: sequence, points: settled)]
                entry.debt = -settled
            }
            ledger.entries.append(entry)
        case .settleFromFuture:
            ledger.entries.append(entry)
            if settled > 0 {
                ledger.entries.append(LedgerEntry(
                    sequence: sequence + 1, kind: .debtSettlement, points: -settled, cause: entry.cause, at: now,
                    orderID: orderID, reason: "settles debt from entry \(sequence)",
                    draws: [LedgerEntry.Draw(lot: sequence, points: settled)], debt: -settled))
            }
        }
        if announce {
            emit(PointsEarned(
                kind: kind == .earn ? .earn : .bonus, reason: reason, points: points, orderID: orderID,
                availableAt: availableAt, expiresAt: expiresAt, debtSettled: settled, balance: ledger.balance),
                entry: sequence)
        }
        // Earned points are announced again when their return window ends (at once for an
        // order that arrives late); other credits are available from the start.
        if points > settled {
            if kind == .earn {
                schedule(LoyaltyTimer(kind: .available, lot: sequence, due: availableAt))
            } else {
                scheduleExpiry(lot: sequence, expiresAt: expiresAt)
            }
        }
        return sequence
    }

    // MARK: debits

    /// Takes back `points` of the credit `lot` (a refunded order's earn, a revoked bonus): from
    /// that lot first, then from the customer's other points, oldest first; what is still
    /// missing is debt (or, under `negative_balance`, a negative balance).
    mutating func reverse(
        points: Int64, lot: Int?, orderID: String, refundID: String?, reason: String, cause: String? = nil
    ) {
        guard points > 0 else { return }
        let lots = ledger.lots.filter { $0.remaining > 0 }
        let ordered = lots.filter { $0.sequence == lot } + lots.filter { $0.sequence != lot }
        let (draws, shortfall) = Self.draw(points, from: ordered)
        let sequence = ledger.nextSequence
        let taken = points - shortfall
        ledger.entries.append(LedgerEntry(
            sequence: sequence, kind: .reversal,
            points: policy.debtPolicy == .settleFromFuture ? -taken : -points,
            cause: cause ?? self.cause, at: now, orderID: orderID, reason: reason, draws: draws, debt: shortfall))
        emit(PointsReversed(
            points: points, shortfall: shortfall, orderID: orderID, refundID: refundID,
            balance: ledger.balance, debt: ledger.debt), entry: sequence)
    }

    /// Appends a debit of exactly `points` drawn from `lots` in the order given; the caller
    /// has checked they hold enough. Returns the entry's sequence.
    @discardableResult
    mutating func debit(
        _ kind: LedgerEntry.Kind, points: Int64, from lots: [Lot], reason: String? = nil, cause: String? = nil
    ) -> Int {
        let (draws, _) = Self.draw(points, from: lots)
        let sequence = ledger.nextSequence
        ledger.entries.append(LedgerEntry(
            sequence: sequence, kind: kind, points: -points, cause: cause ?? self.cause, at: now,
            reason: reason, draws: draws))
        return sequence
    }

    /// Draws up to `points` from `lots` in order; returns the draws and what could not be drawn.
    static func draw(_ points: Int64, from lots: [Lot]) -> (draws: [LedgerEntry.Draw], missing: Int64) {
        var missing = points
        var draws: [LedgerEntry.Draw] = []
        for lot in lots where missing > 0 && lot.remaining > 0 {
            let taken = min(lot.remaining, missing)
            draws.append(LedgerEntry.Draw(lot: lot.sequence, points: taken))
            missing -= taken
        }
        return (draws, missing)
    }

    // MARK: timers

    mutating func schedule(_ timer: LoyaltyTimer) {
        let id = timer.id(customer: ledger.customer)
        ledger.timers[id] = timer.due
        decision.timers.append(.schedule(timer, id: id))
    }

    mutating func cancelTimer(id: String) {
        guard ledger.timers.removeValue(forKey: id) != nil else { return }
        decision.timers.append(.cancel(id: id))
    }

    /// A fired timer was removed from the timer set by its release; forget it.
    mutating func forget(_ timer: LoyaltyTimer) {
        ledger.timers.removeValue(forKey: timer.id(customer: ledger.customer))
    }

    /// The warning and the expiry of a lot that is (or just became) available.
    mutating func scheduleExpiry(lot: Int, expiresAt: Timestamp) {
        schedule(LoyaltyTimer(kind: .expiryWarning, lot: lot, due: expiresAt - policy.expiryWarning))
        schedule(LoyaltyTimer(kind: .expiry, lot: lot, due: expiresAt))
    }
}
