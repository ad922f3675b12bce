import Model

/// Quintile boundaries of one measure over a population: four cut values splitting it into
/// fifths, so a value scores 1 (lowest fifth) to 5 (highest fifth).
///
/// A value scores 1 + the number of cuts it is strictly above, where cut k is the
/// ⌈k·n/5⌉-th smallest value. That equals 1 + ⌊5·b/n⌋ for a value with b population values
/// below it, so ties share a score and the values 1...10 score 1,1,2,2,3,3,4,4,5,5.
struct Quintiles: Sendable, Hashable, Codable {
    var cuts: [Int64]

    /// Nil for an empty population.
    init?(values: [Int64]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        self.init(sorted: sorted)
    }

    /// `sorted` must be ascending and non-empty.
    init(sorted: [Int64]) {
        let count = sorted.count
        cuts = (1...4).map { k in sorted[(k * count + 4) / 5 - 1] }
    }

    func score(_ value: Int64) -> Int {
        1 + cuts.count(where: { value > $0 })
    }
}

/// The quintiles of a partition's customers, recomputed by the daily job and used to score
/// every customer of the partition until the next run.
struct RFMCuts: Sendable, Hashable, Codable {
    /// Over the time of each customer's last purchase: later is better.
    var recency: Quintiles
    /// Over the number of purchases.
    var frequency: Quintiles
    /// Over net spend in the policy currency.
    var monetary: Quintiles
    /// How many customers the quintiles were computed over.
    var population: Int
    var computedAt: Timestamp
}

/// A customer's three scores and the segment they name.
struct RFMStanding: Sendable, Hashable, Codable {
    var recency: Int
    var frequency: Int
    var monetary: Int
    var segment: Segment
}

/// What the RFM scores are computed from: the lifetime purchase history.
///
/// Lifetime rather than the tier window, so that a customer who bought a lot long ago and
/// stopped scores high on frequency and money and low on recency: the "Can't lose" segment.
struct RFMInputs: Sendable, Hashable {
    var lastPurchase: Timestamp
    var purchases: Int64
    var spend: Int64

    /// Nil for a customer without a purchase, who is not scored.
    init?(_ figures: ProfileFigures, currency: CurrencyCode) {
        guard let last = figures.lastOrderAt else { return nil }
        lastPurchase = last
        purchases = Int64(figures.lifetimeOrders)
        spend = figures.lifetimeSpend(in: currency)
    }

    func standing(with cuts: RFMCuts) -> RFMStanding {
        let r = cuts.recency.score(lastPurchase.unixMilliseconds)
        let f = cuts.frequency.score(purchases)
        let m = cuts.monetary.score(spend)
        return RFMStanding(recency: r, frequency: f, monetary: m, segment: Segment(recency: r, frequency: f, monetary: m))
    }
}
