import Foundation
import Model

/// The points programme's rules (REQUIREMENTS.md section 3), as configured under `loyalty:` in
/// the rules file. The defaults are the built-in rules.
struct PointsPolicy: Sendable, Hashable {
    /// What happens when a refund takes back more points than the customer still has.
    enum DebtPolicy: String, Sendable, Hashable, CaseIterable {
        /// The balance never goes below zero: the shortfall is debt, settled by debt settlement
        /// entries out of the next credits.
        case settleFromFuture = "settle_from_future"
        /// The reversal takes the full amount and the balance goes negative; later credits
        /// bring it back up.
        case negativeBalance = "negative_balance"
    }

    /// Points granted for things other than purchases; 0 turns a bonus off.
    struct Bonuses: Sendable, Hashable {
        /// Once a year on the customer's birthday.
        var birthday: Int64 = 100
        /// To the customer whose referral code a new customer used, after that customer's first
        /// paid order with it.
        var referralReferrer: Int64 = 200
        /// To the new customer, on the same order.
        var referralNewCustomer: Int64 = 100
        /// A discount code `<prefix><referrer's platform id>` names the referrer, case-insensitively.
        var referralCodePrefix = "REF-"
        /// For an order paid within `repeatPurchaseWindow` after an earlier paid order.
        var repeatPurchase: Int64 = 50
        var repeatPurchaseWindow: Duration = .seconds(30 * 86_400)
    }

    /// Points per whole currency unit (1 per 1.00 CNY by default), before the tier multiplier.
    var pointsPerUnit = PerMille.one
    var tierMultipliers: [String: PerMille] = [
        "A": PerMille(thousandths: 2000), "B": PerMille(thousandths: 1500), "C": PerMille.one,
    ]
    /// The tier of a customer loyalty has not heard a `tier.changed` for.
    var defaultTier = "C"
    /// How long earned points stay pending before they can be redeemed.
    var returnWindow: Duration = .seconds(14 * 86_400)
    /// Calendar months (UTC) from availability to expiry.
    var expiryMonths = 12
    /// How long before expiry `points.expiring` is emitted.
    var expiryWarning: Duration = .seconds(30 * 86_400)
    var debtPolicy = DebtPolicy.settleFromFuture
    var bonuses = Bonuses()
    /// The zone a birthday starts in for customers whose profile names none.
    var defaultTimeZone = "Asia/Shanghai"

    /// The multiplier of `tier`; a tier the configuration does not list earns at 1x.
    func multiplier(forTier tier: String) -> PerMille {
        tierMultipliers[tier] ?? .one
    }

    /// Points for a goods amount at `multiplier`, rounded down once at the end so no step of
    /// the product loses a fraction. Zero or negative amounts earn nothing.
    func points(for amount: Money, multiplier: PerMille) -> Int64 {
        guard amount.minorUnits > 0 else { return 0 }
        var unit: Int128 = 1
        for _ in 0..<amount.currency.minorUnitExponent { unit *= 10 }
        let product = Int128(amount.minorUnits) * Int128(pointsPerUnit.thousandths) * Int128(multiplier.thousandths)
        return Int64(clamping: product / (unit * 1_000_000))
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// When points that became available at `availableAt` expire: `expiryMonths` calendar
    /// months later in UTC, on the last day of a shorter month when the day does not exist.
    /// Beyond the calendar's range (an absurd platform time) it is a saturating 31 days a month.
    func expiry(afterAvailable availableAt: Timestamp) -> Timestamp {
        let fallback = availableAt + .seconds(Int64(expiryMonths) * 31 * 86_400)
        guard let date = Self.utc.date(byAdding: .month, value: expiryMonths, to: availableAt.date) else { return fallback }
        // Rounded to the nearest millisecond: the date holds whole ones.
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard let whole = Int64(exactly: milliseconds), whole > availableAt.unixMilliseconds else { return fallback }
        return Timestamp(unixMilliseconds: whole)
    }
}
