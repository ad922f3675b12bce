import Model

/// The answer to a redemption or adjustment request, the same for every retry with its key.
enum RequestOutcome: Sendable, Hashable {
    /// Done (now or by an earlier call with the same key): the entry written.
    case accepted(LedgerEntry, balanceAfter: Int64, replayed: Bool)
    /// Refused (now or earlier) with the reason, nothing written.
    case refused(String, replayed: Bool)
    /// The key was used before for a different request.
    case keyReused(String)
}

extension LedgerChange {
    /// Spends `points` of the available points, oldest first, never below zero. The
    /// idempotency key is stored with the answer, so a retry returns the first answer.
    mutating func redeem(points: Int64, key: String) -> RequestOutcome {
        let fingerprint = "redemption:\(points)"
        if let answer = previousAnswer(to: "redemption:\(key)", fingerprint: fingerprint) { return answer }
        let available = ledger.lots.filter { $0.remaining > 0 && $0.isAvailable(at: now) }
        let total = available.reduce(0) { $0 + $1.remaining }
        guard points <= total else {
            return refuse("redemption:\(key)", fingerprint: fingerprint,
                          reason: "\(points) points were asked for but only \(total) are available")
        }
        let entry = debit(.redemption, points: points, from: available, reason: "redemption \(key)")
        emit(PointsRedeemed(redemptionID: key, points: points, balance: ledger.balance), entry: entry)
        return accept("redemption:\(key)", fingerprint: fingerprint, entry: entry)
    }

    /// A staff adjustment: a positive one is a new lot available at once; a negative one takes
    /// points oldest first, available before pending, and may not take more than there are.
    mutating func adjust(points: Int64, reason: String, key: String, actor: String) -> RequestOutcome {
        let fingerprint = "adjustment:\(points):\(reason)"
        if let answer = previousAnswer(to: "adjustment:\(key)", fingerprint: fingerprint) { return answer }
        let entry: Int
        if points > 0 {
            guard let credited = credit(.adjustment, points: points, reason: reason, announce: false) else {
                return refuse("adjustment:\(key)", fingerprint: fingerprint, reason: "nothing to adjust")
            }
            entry = credited
        } else {
            let lots = ledger.lots.filter { $0.remaining > 0 }
            let usable = lots.filter { $0.isAvailable(at: now) } + lots.filter { !$0.isAvailable(at: now) }
            let total = usable.reduce(0) { $0 + $1.remaining }
            guard -points <= total else {
                return refuse("adjustment:\(key)", fingerprint: fingerprint,
                              reason: "cannot take \(-points) points: the customer has \(total)")
            }
            entry = debit(.adjustment, points: -points, from: usable, reason: reason)
        }
        emit(PointsAdjusted(adjustmentID: key, points: points, actor: actor, balance: ledger.balance), entry: entry)
        return accept("adjustment:\(key)", fingerprint: fingerprint, entry: entry)
    }

    private func previousAnswer(to request: String, fingerprint: String) -> RequestOutcome? {
        guard let record = ledger.requests[request] else { return nil }
        guard record.fingerprint == fingerprint else {
            return .keyReused("this Idempotency-Key was already used for a different request; use a new key for a new request")
        }
        if let sequence = record.entry, let entry = ledger.entry(sequence) {
            return .accepted(entry, balanceAfter: ledger.balance(through: sequence), replayed: true)
        }
        return .refused(record.refusal ?? "refused", replayed: true)
    }

    private mutating func refuse(_ request: String, fingerprint: String, reason: String) -> RequestOutcome {
        ledger.requests[request] = PointsLedger.RequestRecord(fingerprint: fingerprint, entry: nil, refusal: reason, at: now)
        return .refused(reason, replayed: false)
    }

    private mutating func accept(_ request: String, fingerprint: String, entry sequence: Int) -> RequestOutcome {
        ledger.requests[request] = PointsLedger.RequestRecord(fingerprint: fingerprint, entry: sequence, refusal: nil, at: now)
        guard let entry = ledger.entry(sequence) else { return .refused("the entry was not written", replayed: false) }
        return .accepted(entry, balanceAfter: ledger.balance(through: sequence), replayed: false)
    }
}

extension PointsLedger {
    /// The balance right after entry `sequence`.
    func balance(through sequence: Int) -> Int64 {
        entries.prefix(sequence).reduce(0) { $0 + $1.points }
    }
}
