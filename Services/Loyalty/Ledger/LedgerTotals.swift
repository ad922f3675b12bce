import Model

/// A credit's points as they stand after every draw on it.
struct Lot: Sendable, Hashable {
    var sequence: Int
    var kind: LedgerEntry.Kind
    var orderID: String?
    var credited: Int64
    var remaining: Int64
    var availableAt: Timestamp
    var expiresAt: Timestamp

    func isAvailable(at now: Timestamp) -> Bool {
        availableAt <= now && now < expiresAt
    }

    /// Oldest points first: the earliest expiry, then the earliest credit.
    static func oldestFirst(_ lhs: Lot, _ rhs: Lot) -> Bool {
        (lhs.expiresAt, lhs.availableAt, lhs.sequence) < (rhs.expiresAt, rhs.availableAt, rhs.sequence)
    }
}

extension PointsLedger {
    /// Every lot with its remaining points, derived from the entries alone.
    var lots: [Lot] {
        var lots: [Int: Lot] = [:]
        for entry in entries {
            if entry.isLot, let availableAt = entry.availableAt, let expiresAt = entry.expiresAt {
                lots[entry.sequence] = Lot(
                    sequence: entry.sequence, kind: entry.kind, orderID: entry.orderID, credited: entry.points,
                    remaining: entry.points, availableAt: availableAt, expiresAt: expiresAt)
            }
            for draw in entry.draws {
                lots[draw.lot]?.remaining -= draw.points
            }
        }
        return lots.values.sorted(by: Lot.oldestFirst)
    }
}

/// What a customer has at one instant, derived from the ledger's entries.
struct LedgerTotals: Sendable, Hashable {
    /// One date on which points expire.
    struct Expiry: Sendable, Hashable {
        var expiresAt: Timestamp
        var points: Int64
    }

    /// The sum of every entry. Under the `negative_balance` debt policy it is below zero while
    /// debt is outstanding.
    var balance: Int64
    /// Points still in their return window.
    var pending: Int64
    /// Points that can be redeemed now.
    var available: Int64
    /// Points owed after refunds took back points already spent.
    var debt: Int64
    /// Points that will expire within `window` of `now`.
    var expiring: Int64
    /// Unspent points by expiry date, soonest first.
    var expiries: [Expiry]

    init(ledger: PointsLedger, at now: Timestamp, expiringWithin window: Duration) {
        let lots = ledger.lots.filter { $0.remaining > 0 }
        balance = ledger.balance
        debt = ledger.debt
        pending = lots.filter { now < $0.availableAt }.reduce(0) { $0 + $1.remaining }
        available = lots.filter { $0.isAvailable(at: now) }.reduce(0) { $0 + $1.remaining }
        expiring = lots.filter { now < $0.expiresAt && $0.expiresAt <= now + window }.reduce(0) { $0 + $1.remaining }
        var byDate: [Timestamp: Int64] = [:]
        for lot in lots where now < lot.expiresAt { byDate[lot.expiresAt, default: 0] += lot.remaining }
        expiries = byDate.keys.sorted().map { Expiry(expiresAt: $0, points: byDate[$0] ?? 0) }
    }
}
