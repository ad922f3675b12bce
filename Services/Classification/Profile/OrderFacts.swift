import Model

/// What classification knows about one order, gathered from whichever of `order.placed`,
/// `order.paid`, `order.refunded` and `order.cancelled` have arrived.
///
/// Every field merges as a join (latest summary by the platform's `updatedAt`, earliest
/// payment and cancellation, the union of refunds by refund id), so absorbing the same events
/// in any order, any number of times, gives the same value. Spend is never stored: it is derived
/// from these facts when needed.
struct OrderFacts: Sendable, Hashable {
    /// The order's amounts and time; nil while only a refund or cancellation has arrived.
    var summary: OrderAmounts?
    var paidAt: Timestamp?
    var cancelledAt: Timestamp?
    /// Refund id to what it returned; kept even before the order itself arrives.
    var refunds: [String: RefundAmount] = [:]

    /// A purchase: known, paid and not cancelled.
    var isPurchase: Bool { summary != nil && paidAt != nil && cancelledAt == nil }

    /// What the customer kept paying for: the total less its refunds in the order's currency,
    /// never below zero. Nil when the order is not a purchase.
    var netAmount: Int64? {
        guard isPurchase, let summary else { return nil }
        let refunded = refunds.values
            .filter { $0.currency == summary.currency }
            .reduce(Int64(0)) { $0.addingReportingOverflow($1.minorUnits).partialValue }
        let (net, overflow) = summary.total.subtractingReportingOverflow(refunded)
        return overflow ? 0 : max(0, net)
    }

    mutating func merge(_ other: OrderFacts) {
        if let theirs = other.summary { absorb(summary: theirs) }
        paidAt = Self.earliest(paidAt, other.paidAt)
        cancelledAt = Self.earliest(cancelledAt, other.cancelledAt)
        for (id, amount) in other.refunds { absorb(refund: id, amount) }
    }

    mutating func absorb(summary theirs: OrderAmounts) {
        guard let ours = summary else { summary = theirs; return }
        if theirs.outranks(ours) { summary = theirs }
    }

    mutating func absorb(refund id: String, _ amount: RefundAmount) {
        // A refund id names one refund; should two deliveries disagree, the larger amount wins
        // either way round, so the result does not depend on arrival order.
        if let known = refunds[id], !amount.outranks(known) { return }
        refunds[id] = amount
    }

    static func earliest(_ a: Timestamp?, _ b: Timestamp?) -> Timestamp? {
        switch (a, b) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }
}

/// The parts of an order summary classification keeps.
struct OrderAmounts: Sendable, Hashable, Codable {
    var placedAt: Timestamp
    var updatedAt: Timestamp
    var currency: CurrencyCode
    /// What the customer paid, in minor units.
    var total: Int64

    init(placedAt: Timestamp, updatedAt: Timestamp, currency: CurrencyCode, total: Int64) {
        self.placedAt = placedAt
        self.updatedAt = updatedAt
        self.currency = currency
        self.total = total
    }

    init(_ summary: OrderSummary) {
        self.init(placedAt: summary.placedAt, updatedAt: summary.updatedAt, currency: summary.currency, total: summary.total.minorUnits)
    }

    /// The later version of the order by the platform's clock; ties are broken on the values so
    /// the choice never depends on which version arrived first.
    func outranks(_ other: OrderAmounts) -> Bool {
        (updatedAt.unixMilliseconds, placedAt.unixMilliseconds, total, currency.code)
            > (other.updatedAt.unixMilliseconds, other.placedAt.unixMilliseconds, other.total, other.currency.code)
    }
}

/// What one refund returned.
struct RefundAmount: Sendable, Hashable {
    var minorUnits: Int64
    var currency: CurrencyCode

    func outranks(_ other: RefundAmount) -> Bool {
        (minorUnits, currency.code) > (other.minorUnits, other.currency.code)
    }
}

// MARK: - Stored form

// A profile holds every order of the customer and is decoded and encoded on every event, so
// orders are stored as positional arrays rather than keyed objects: about half the bytes and
// a fraction of the decoding work. `[placedAt, updatedAt, currency, total, paidAt, cancelledAt,
// {refund id: [minor units, currency]}]`, with nulls for what has not arrived.
extension OrderFacts: Codable {
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let placedAt = try container.decodeIfPresent(Timestamp.self)
        let updatedAt = try container.decodeIfPresent(Timestamp.self)
        let currency = try container.decodeIfPresent(CurrencyCode.self)
        let total = try container.decodeIfPresent(Int64.self)
        if let placedAt, let updatedAt, let currency, let total {
            summary = OrderAmounts(placedAt: placedAt, updatedAt: updatedAt, currency: currency, total: total)
        }
        paidAt = try container.decodeIfPresent(Timestamp.self)
        cancelledAt = try container.decodeIfPresent(Timestamp.self)
        refunds = try container.decodeIfPresent([String: RefundAmount].self) ?? [:]
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(summary?.placedAt)
        try container.encode(summary?.updatedAt)
        try container.encode(summary?.currency)
        try container.encode(summary?.total)
        try container.encode(paidAt)
        try container.encode(cancelledAt)
        if !refunds.isEmpty { try container.encode(refunds) }
    }
}

extension RefundAmount: Codable {
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        minorUnits = try container.decode(Int64.self)
        currency = try container.decode(CurrencyCode.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(minorUnits)
        try container.encode(currency)
    }
}
