import Foundation
import Model

/// A profile as the API and the data export show it: figures derived at the time of the
/// request, times in ISO 8601 (UTC), amounts as exact decimal strings per currency.
struct ProfileDocument: Sendable, Encodable {
    var id: String
    var kind: String?
    var language: String?
    var timeZone: String?
    var customerSince: String?
    var purchases: Purchases
    var tier: Tier?
    var segment: SegmentView?
    var churn: Churn?
    var complaints: Complaints
    /// Present only for callers allowed to read personal data.
    var personal: Personal?

    struct Amount: Sendable, Encodable, Hashable {
        var currency: String
        var amount: String
    }

    struct Purchases: Sendable, Encodable {
        var firstOrderAt: String?
        var lastOrderAt: String?
        var window: Window
        var lifetime: Totals
    }

    struct Window: Sendable, Encodable {
        var months: Int
        var from: String
        var orders: Int
        var spend: [Amount]
        /// Only spend in this currency counts toward tier thresholds.
        var thresholdCurrency: String
    }

    struct Totals: Sendable, Encodable {
        var orders: Int
        var spend: [Amount]
    }

    struct Tier: Sendable, Encodable {
        var name: String
        var reason: String
        var since: String
        /// The tier the figures hold with hysteresis, before any floor.
        var earned: String
        /// The tier the figures qualify for right now (upgrades are immediate, downgrades wait
        /// for a review).
        var qualifiesFor: String
        var belowSince: String?
        var floor: Floor?
    }

    struct Floor: Sendable, Encodable {
        var tier: String
        var expiresAt: String
        var reason: String
        var setBy: String
        var setAt: String
    }

    struct SegmentView: Sendable, Encodable {
        var name: String
        var title: String
        var recency: Int
        var frequency: Int
        var monetary: Int
    }

    struct Churn: Sendable, Encodable {
        var score: Int
        var threshold: Int
        var atRisk: Bool
        var evaluatedAt: String
        var parts: ChurnScore
    }

    struct Complaints: Sendable, Encodable {
        var open: Int
        var escalatedOpen: Int
        var lowRatings: Int
    }

    struct Personal: Sendable, Encodable {
        var available: Bool
        /// Why the fields cannot be shown: `erased`, `no_master_key`, `unreadable`.
        var reason: String?
        var fields: [String: String]?
    }

    init(_ profile: CustomerProfile, settings: ClassificationSettings, at now: Timestamp, personal: Personal?) {
        let policy = settings.policy
        let figures = profile.figures(at: now, windowMonths: policy.windowMonths)
        id = profile.customer
        kind = profile.attributes?.kind.rawValue
        language = profile.attributes?.language
        timeZone = profile.attributes?.timeZone
        customerSince = profile.attributes?.createdAt?.description
        purchases = Purchases(
            firstOrderAt: figures.firstOrderAt?.description,
            lastOrderAt: figures.lastOrderAt?.description,
            window: Window(
                months: policy.windowMonths, from: figures.windowStart.description, orders: figures.windowOrders,
                spend: Self.amounts(figures.windowSpend), thresholdCurrency: policy.currency.code),
            lifetime: Totals(orders: figures.lifetimeOrders, spend: Self.amounts(figures.lifetimeSpend)))
        tier = profile.tier.map { standing in
            Tier(
                name: standing.current, reason: standing.reason, since: standing.since.description, earned: standing.held,
                qualifiesFor: policy.qualifyingTier(spend: figures.windowSpend(in: policy.currency), orders: figures.windowOrders),
                belowSince: standing.belowSince?.description,
                floor: standing.floor.map {
                    Floor(tier: $0.tier, expiresAt: $0.expiresAt.description, reason: $0.reason, setBy: $0.setBy, setAt: $0.setAt.description)
                })
        }
        segment = profile.rfm.map {
            SegmentView(name: $0.segment.rawValue, title: $0.segment.title, recency: $0.recency, frequency: $0.frequency, monetary: $0.monetary)
        }
        churn = profile.churn.map {
            Churn(score: $0.score.total, threshold: settings.churnThreshold, atRisk: $0.alerted, evaluatedAt: $0.evaluatedAt.description, parts: $0.score)
        }
        let complaintFacts = profile.complaints.values
        complaints = Complaints(
            open: complaintFacts.count(where: \.isOpen),
            escalatedOpen: complaintFacts.count(where: { $0.isOpen && $0.escalatedAt != nil }),
            lowRatings: complaintFacts.count(where: { ($0.rating ?? 5) <= ChurnScore.lowRating }))
        self.personal = personal
    }

    private static func amounts(_ spend: [CurrencyCode: Int64]) -> [Amount] {
        spend.sorted { $0.key.code < $1.key.code }.map {
            Amount(currency: $0.key.code, amount: Money(minorUnits: $0.value, currency: $0.key).decimalString)
        }
    }

    /// The one JSON form of API answers and exports: snake_case keys, sorted.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
