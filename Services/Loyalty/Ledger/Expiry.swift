import Model

extension LedgerChange {
    /// A loyalty timer came due. Only a timer the ledger still waits for acts, so a timer
    /// delivered again (or one moved or cancelled meanwhile) announces nothing twice.
    mutating func timerFired(_ timer: LoyaltyTimer, birthDate: BirthDate?) {
        guard ledger.timers[timer.id(customer: ledger.customer)] == timer.due else { return }
        forget(timer)
        switch timer.kind {
        case .available: lotBecameAvailable(timer.lot)
        case .expiryWarning: warnExpiry(timer.lot)
        case .expiry: expire(dueBy: timer.due)
        case .birthday: birthdayCame(year: timer.year, birthDate: birthDate)
        }
    }

    /// The return window of an earned lot ended: announce what is left of it and set its
    /// expiry timers (expiry counts from availability).
    private mutating func lotBecameAvailable(_ sequence: Int?) {
        guard let lot = ledger.lots.first(where: { $0.sequence == sequence }), lot.remaining > 0 else { return }
        emit(PointsAvailable(points: lot.remaining, orderID: lot.orderID, expiresAt: lot.expiresAt), entry: lot.sequence)
        scheduleExpiry(lot: lot.sequence, expiresAt: lot.expiresAt)
    }

    private mutating func warnExpiry(_ sequence: Int?) {
        guard let lot = ledger.lots.first(where: { $0.sequence == sequence }), lot.remaining > 0 else { return }
        emit(PointsExpiring(points: lot.remaining, expiresAt: lot.expiresAt), entry: lot.sequence)
    }

    /// Expires every unspent lot due by `due`, oldest first, one entry and one
    /// `points.expired` per lot. A lot already spent or expired expires nothing.
    private mutating func expire(dueBy due: Timestamp) {
        for lot in ledger.lots where lot.remaining > 0 && lot.expiresAt <= due {
            let entry = debit(.expiry, points: lot.remaining, from: [lot], reason: "lot \(lot.sequence) expired")
            emit(PointsExpired(points: lot.remaining, expiredAt: lot.expiresAt, balance: ledger.balance), entry: entry)
        }
    }
}
