import Model

/// One line of a customer's points ledger. Entries are only ever appended; every total is
/// derived from them (``LedgerTotals``).
///
/// Credits (an earn, a bonus, a positive adjustment) are lots: points with a time they become
/// available and a time they expire. Debits name the lots they took points from in `draws`, so
/// "oldest points first" is recorded rather than recomputed, and a lot's remaining points are
/// its credit minus every draw on it.
struct LedgerEntry: Sendable, Hashable, Codable {
    enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case earn, bonus, reversal, redemption, expiry, adjustment
        case debtSettlement = "debt_settlement"
    }

    /// Points taken from one lot, named by the lot's entry sequence.
    struct Draw: Sendable, Hashable, Codable {
        var lot: Int
        var points: Int64
    }

    /// Position in the ledger, from 1.
    var sequence: Int
    var kind: Kind
    /// The change to the balance: positive for credits, negative for debits.
    var points: Int64
    /// The event id or API call (`api:redemption:<key>`) that caused the entry.
    var cause: String
    /// When the entry was recorded, by the deciding service's clock.
    var at: Timestamp
    var orderID: String?
    /// Why: the bonus kind, the refund id, the staff reason.
    var reason: String?
    /// Credits only: when the points can be spent and when they expire.
    var availableAt: Timestamp?
    var expiresAt: Timestamp?
    var draws: [Draw] = []
    /// The change to the customer's debt: a reversal's shortfall (positive) or what a
    /// settlement paid off (negative).
    var debt: Int64 = 0

    /// Whether this entry holds points that debits can draw on.
    var isLot: Bool {
        points > 0 && availableAt != nil && expiresAt != nil
    }
}
