import Model

/// A customer's churn risk, 0-100, and the parts it is made of.
///
/// The formula (also in README.md, "Classification"):
///
/// - **Recency against the customer's own rhythm, 0-50.** The rhythm is the mean gap between
///   their purchases (first to last over n-1 gaps, at least one day); with fewer than two
///   purchases it is `churn_default_rhythm_days` (90). With `elapsed` the time since the last
///   purchase: `25 × (elapsed − rhythm) / rhythm`, clamped to 0...50. Nothing while the
///   customer is within their rhythm; 50 once they are three rhythms late.
/// - **Falling frequency, 0-15.** The tier window is split at its midpoint. With `earlier`
///   and `recent` purchases in the older and newer half: `15 × (earlier − recent) / earlier`
///   when recent < earlier, else 0.
/// - **Falling spend, 0-15.** The same over net spend in the policy currency.
/// - **Complaints, 0-20.** 8 for each open complaint, 4 more if it was escalated, and 8 for
///   each complaint rated 1 or 2 (of 5) in the window; capped at 20.
///
/// The score is the sum, at most 100. A customer without any purchase has no recency or trend
/// part: only complaints count. Integer arithmetic throughout, rounding down.
struct ChurnScore: Sendable, Hashable, Codable {
    var recency: Int
    var frequency: Int
    var spend: Int
    var complaints: Int

    var total: Int { min(100, recency + frequency + spend + complaints) }

    static let lowRating = 2

    init(recency: Int, frequency: Int, spend: Int, complaints: Int) {
        self.recency = recency
        self.frequency = frequency
        self.spend = spend
        self.complaints = complaints
    }

    init(
        figures: ProfileFigures, complaints: [String: ComplaintFacts], at now: Timestamp,
        currency: CurrencyCode, defaultRhythm: Duration
    ) {
        let purchases = figures.purchases
        if let last = purchases.last {
            let rhythmMs: Int64
            if purchases.count >= 2, let first = purchases.first {
                let span = last.placedAt.unixMilliseconds &- first.placedAt.unixMilliseconds
                rhythmMs = max(86_400_000, span / Int64(purchases.count - 1))
            } else {
                rhythmMs = max(86_400_000, defaultRhythm.milliseconds)
            }
            let elapsed = now.unixMilliseconds &- last.placedAt.unixMilliseconds
            let late = elapsed &- rhythmMs
            recency = late <= 0 ? 0 : Int(min(50, late / rhythmMs * 25 + (late % rhythmMs) * 25 / rhythmMs))
        } else {
            recency = 0
        }

        let start = figures.windowStart.unixMilliseconds
        let midpoint = Timestamp(unixMilliseconds: start + (now.unixMilliseconds - start) / 2)
        var earlierCount: Int64 = 0, recentCount: Int64 = 0, earlierSpend: Int64 = 0, recentSpend: Int64 = 0
        for purchase in purchases where purchase.placedAt >= figures.windowStart {
            let amount = purchase.currency == currency ? purchase.net : 0
            if purchase.placedAt < midpoint {
                earlierCount += 1
                earlierSpend &+= amount
            } else {
                recentCount += 1
                recentSpend &+= amount
            }
        }
        frequency = Self.decline(from: earlierCount, to: recentCount, weight: 15)
        spend = Self.decline(from: earlierSpend, to: recentSpend, weight: 15)

        var complaintPoints = 0
        for complaint in complaints.values {
            if complaint.isOpen {
                complaintPoints += 8
                if complaint.escalatedAt != nil { complaintPoints += 4 }
            }
            if let rating = complaint.rating, rating <= Self.lowRating,
               let ratedAt = complaint.ratedAt, ratedAt >= figures.windowStart {
                complaintPoints += 8
            }
        }
        self.complaints = min(20, complaintPoints)
    }

    /// `weight × (earlier − recent) / earlier`, 0 when nothing fell; computed without overflow.
    private static func decline(from earlier: Int64, to recent: Int64, weight: Int64) -> Int {
        guard earlier > 0, recent < earlier else { return 0 }
        let drop = earlier - max(0, recent)
        let (product, overflow) = drop.multipliedReportingOverflow(by: weight)
        return Int(overflow ? drop / (earlier / weight) : product / earlier)
    }
}

/// The churn score last computed and whether an alert is out.
struct ChurnStanding: Sendable, Hashable, Codable {
    var score: ChurnScore
    /// True after `churn.risk_raised` until `churn.risk_cleared`.
    var alerted: Bool
    var evaluatedAt: Timestamp
}
