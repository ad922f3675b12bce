import Model

/// The purchase figures of a profile at one instant, derived from its order facts.
///
/// A purchase is an order that is paid, not cancelled and not wholly refunded: it counts once
/// toward frequency, and its total less its refunds counts toward spend. A fully refunded order
/// is no purchase, so buying and returning cannot climb a tier by frequency.
struct ProfileFigures: Sendable, Hashable {
    var windowStart: Timestamp
    var windowOrders: Int
    var windowSpend: [CurrencyCode: Int64]
    var lifetimeOrders: Int
    var lifetimeSpend: [CurrencyCode: Int64]
    var firstOrderAt: Timestamp?
    var lastOrderAt: Timestamp?
    /// Every purchase, oldest first (for the purchase rhythm and the churn trends).
    var purchases: [Purchase]

    /// One purchase: when it was placed and what it kept paying for.
    struct Purchase: Sendable, Hashable {
        var placedAt: Timestamp
        var currency: CurrencyCode
        var net: Int64
    }

    init(orders: [String: OrderFacts], at now: Timestamp, windowMonths: Int) {
        windowStart = RollingWindow.start(endingAt: now, months: windowMonths)
        windowOrders = 0
        windowSpend = [:]
        lifetimeOrders = 0
        lifetimeSpend = [:]
        var purchases: [Purchase] = []
        for facts in orders.values {
            guard let net = facts.netAmount, net > 0, let summary = facts.summary else { continue }
            lifetimeOrders += 1
            lifetimeSpend[summary.currency, default: 0] &+= net
            purchases.append(Purchase(placedAt: summary.placedAt, currency: summary.currency, net: net))
            if summary.placedAt >= windowStart {
                windowOrders += 1
                windowSpend[summary.currency, default: 0] &+= net
            }
        }
        purchases.sort { ($0.placedAt, $0.net) < ($1.placedAt, $1.net) }
        self.purchases = purchases
        firstOrderAt = purchases.first?.placedAt
        lastOrderAt = purchases.last?.placedAt
    }

    func windowSpend(in currency: CurrencyCode) -> Int64 { windowSpend[currency] ?? 0 }
    func lifetimeSpend(in currency: CurrencyCode) -> Int64 { lifetimeSpend[currency] ?? 0 }
}
