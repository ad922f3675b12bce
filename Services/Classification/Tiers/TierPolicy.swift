import Model

/// One rung of the tier ladder: the tier's name and what qualifies a customer for it.
///
/// A customer qualifies when their spend in the window reaches `minSpend` OR their order count
/// reaches `minOrders` (REQUIREMENTS.md 2: "A >= 50,000.00 CNY or >= 24 orders"). A threshold
/// left out (nil) never qualifies on its own, so a ladder can rank by spend only or by frequency
/// only. The lowest rung is where every customer stands whatever its figures.
struct TierRung: Sendable, Hashable {
    var name: String
    /// Minor units of the policy currency.
    var minSpend: Int64?
    var minOrders: Int?

    func admits(spend: Int64, orders: Int) -> Bool {
        if let minSpend, spend >= minSpend { return true }
        if let minOrders, orders >= minOrders { return true }
        return false
    }
}

/// The tier ladder and the rules that move customers along it: the A/B/C default, or any named
/// ladder (Diamond/Gold/Silver/Regular) from the rules file.
///
/// Spend counts in the configured currency only: a shop selling in several currencies keeps
/// each currency's spend in the profile, but only `currency` is compared with the thresholds,
/// since converting at some rate would make a tier depend on the day's exchange rate. Orders in
/// every currency count toward frequency.
struct TierPolicy: Sendable, Hashable {
    /// Highest first; the last rung is the base tier.
    var ladder: [TierRung]
    var currency: CurrencyCode
    /// Length of the rolling window, in calendar months, measured back from the evaluation time.
    var windowMonths: Int
    /// Downgrades wait for a review after the customer has been below their tier this long.
    var downgradeGrace: Duration

    static let defaultLadder: [TierRung] = [
        TierRung(name: "A", minSpend: 5_000_000, minOrders: 24),
        TierRung(name: "B", minSpend: 1_000_000, minOrders: 6),
        TierRung(name: "C", minSpend: 0, minOrders: 0),
    ]

    var baseTier: String { ladder[ladder.count - 1].name }

    var names: [String] { ladder.map(\.name) }

    /// 0 for the highest tier; nil for a name not on the ladder (a tier from an older configuration).
    func rank(of tier: String) -> Int? {
        ladder.firstIndex { $0.name == tier }
    }

    /// The highest tier the figures qualify for.
    func qualifyingTier(spend: Int64, orders: Int) -> String {
        for rung in ladder.dropLast() where rung.admits(spend: spend, orders: orders) {
            return rung.name
        }
        return baseTier
    }

    /// The better of two tiers (lower rank); a tier not on the ladder counts as the lowest.
    func higher(_ a: String, _ b: String) -> String {
        isHigher(b, than: a) ? b : a
    }

    func isHigher(_ a: String, than b: String) -> Bool {
        (rank(of: a) ?? ladder.count) < (rank(of: b) ?? ladder.count)
    }
}
