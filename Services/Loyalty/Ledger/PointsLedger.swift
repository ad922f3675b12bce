import Model

/// Everything loyalty keeps about one customer, stored as one JSON value: the append-only
/// entries plus what is needed to decide the next event exactly once whatever order events
/// arrive in (per-order records, refunds seen, bonuses granted, idempotency keys, timers).
struct PointsLedger: Sendable, Hashable, Codable {
    /// The tier loyalty last heard from `tier.changed`; a later `changedAt` wins.
    struct TierRecord: Sendable, Hashable, Codable {
        var name: String
        var changedAt: Timestamp
    }

    /// The referral that brought this customer, once it paid out.
    struct ReferralRecord: Sendable, Hashable, Codable {
        var referrer: String
        var orderID: String
        /// The bonus entry, nil when the new-customer bonus is configured off.
        var bonusEntry: Int?
    }

    /// The sealed birthday from the customer's profile. Loyalty never stores it in clear: it
    /// is opened with the customer's data key when the birthday timer is scheduled, so erasure
    /// (which destroys the key) also ends birthday bonuses.
    struct BirthdayRecord: Sendable, Hashable, Codable {
        var sealed: String
        var timeZone: String?
        var profileUpdatedAt: Timestamp
    }

    /// What an idempotent API call answered, so the same key returns the same result.
    struct RequestRecord: Sendable, Hashable, Codable {
        /// `redemption` or `adjustment`, plus the request's points and reason: a key reused for a
        /// different request is refused.
        var fingerprint: String
        /// The entry written, nil when the request was refused.
        var entry: Int?
        /// Why it was refused.
        var refusal: String?
        var at: Timestamp
    }

    var customer: String
    var entries: [LedgerEntry] = []
    var orders: [String: OrderRecord] = [:]
    var tier: TierRecord?
    /// Complaint id -> compensation entry.
    var compensations: [String: Int] = [:]
    var referral: ReferralRecord?
    /// Referred customer id -> the referrer bonus entry credited for them.
    var referralsCredited: [String: Int] = [:]
    var birthday: BirthdayRecord?
    /// Year (in the customer's zone) -> birthday bonus entry.
    var birthdayBonuses: [String: Int] = [:]
    /// `redemption:<key>` or `adjustment:<key>` -> the answer given.
    var requests: [String: RequestRecord] = [:]
    /// Timers scheduled and not yet fired, by id, so erasure can cancel them.
    var timers: [String: Timestamp] = [:]
    /// Data exports written (request id -> when), so erasure deletes them too.
    var exports: [String: Timestamp] = [:]

    init(customer: String) {
        self.customer = customer
    }

    func entry(_ sequence: Int) -> LedgerEntry? {
        entries.indices.contains(sequence - 1) ? entries[sequence - 1] : nil
    }

    var nextSequence: Int { entries.count + 1 }

    /// The balance: the sum of every entry.
    var balance: Int64 { entries.reduce(0) { $0 + $1.points } }

    /// Points owed after reversals took more than the customer had.
    var debt: Int64 { entries.reduce(0) { $0 + $1.debt } }
}

/// What loyalty knows about one order, whichever of its events arrived first.
struct OrderRecord: Sendable, Hashable, Codable {
    /// The order as paid, once `order.paid` arrived.
    struct Payment: Sendable, Hashable, Codable {
        /// The earn entry; nil when the order earned nothing.
        var earnEntry: Int?
        var points: Int64
        /// Goods after discounts, without shipping and tax: the base refunds are measured against.
        var subtotal: Money
        var lines: [OrderLine]
        var paidAt: Timestamp
        var tier: String
    }

    /// A refund, kept from its arrival; applied once the order is paid.
    struct Refund: Sendable, Hashable, Codable {
        var cause: String
        var goodsAmount: Money
        var lines: [RefundLine]
        var refundedAt: Timestamp
        var applied = false
    }

    var orderID: String
    var payment: Payment?
    var refunds: [String: Refund] = [:]
    /// Points of the earn entry taken back so far.
    var reversed: Int64 = 0
    var cancelledAt: Timestamp?
    var repeatBonusEntry: Int?
    var repeatBonusReversed = false

    init(orderID: String) {
        self.orderID = orderID
    }
}
