import Foundation
import Model

/// One ledger entry as the API and data exports show it.
struct EntryDocument: Encodable, Sendable, Hashable {
    struct Draw: Encodable, Sendable, Hashable {
        var entry: Int
        var points: Int64
    }

    var sequence: Int
    var kind: String
    var points: Int64
    var cause: String
    var at: String
    var orderID: String?
    var reason: String?
    var availableAt: String?
    var expiresAt: String?
    /// Which credits a debit took its points from.
    var drawnFrom: [Draw]?
    /// The change to the debt, when there was one.
    var debt: Int64?

    init(_ entry: LedgerEntry) {
        sequence = entry.sequence
        kind = entry.kind.rawValue
        points = entry.points
        cause = entry.cause
        at = entry.at.description
        orderID = entry.orderID
        reason = entry.reason
        availableAt = entry.availableAt?.description
        expiresAt = entry.expiresAt?.description
        drawnFrom = entry.draws.isEmpty ? nil : entry.draws.map { Draw(entry: $0.lot, points: $0.points) }
        debt = entry.debt == 0 ? nil : entry.debt
    }
}

/// `GET /v1/customers/{id}/points`: the totals now and one page of the ledger, newest first.
struct PointsDocument: Encodable, Sendable {
    struct Expiry: Encodable, Sendable {
        var points: Int64
        var expiresAt: String
    }

    var customer: String
    var tier: String
    var balance: Int64
    var pending: Int64
    var available: Int64
    var debt: Int64
    var expiring: Int64
    var expiringWithinDays: Int64
    var nextExpiries: [Expiry]
    var entries: [EntryDocument]
    /// Pass as `cursor` for the next (older) page; nil on the last page.
    var nextCursor: String?

    init(ledger: PointsLedger, policy: PointsPolicy, at now: Timestamp, before cursor: Int?, limit: Int, expiriesShown: Int = 5) {
        let totals = LedgerTotals(ledger: ledger, at: now, expiringWithin: policy.expiryWarning)
        customer = ledger.customer
        tier = ledger.tier?.name ?? policy.defaultTier
        balance = totals.balance
        pending = totals.pending
        available = totals.available
        debt = totals.debt
        expiring = totals.expiring
        expiringWithinDays = policy.expiryWarning.components.seconds / 86_400
        nextExpiries = totals.expiries.prefix(expiriesShown).map { Expiry(points: $0.points, expiresAt: $0.expiresAt.description) }
        let older = ledger.entries.filter { $0.sequence < (cursor ?? Int.max) }.reversed()
        let page = older.prefix(limit)
        entries = page.map(EntryDocument.init)
        nextCursor = older.count > page.count ? page.last.map { String($0.sequence) } : nil
    }
}

/// What loyalty holds about a customer, written for a data request: every entry, the totals,
/// the per-order records. The sealed birthday is left out: the profile's owner exports it.
struct LedgerExport: Encodable, Sendable {
    struct Order: Encodable, Sendable {
        var orderID: String
        var paidAt: String?
        var subtotal: String?
        var currency: String?
        var pointsEarned: Int64?
        var pointsReversed: Int64
        var refunds: [String]
        var cancelledAt: String?
    }

    var customer: String
    var service = "loyalty"
    var generatedAt: String
    /// False when loyalty holds nothing about the customer.
    var hasLedger: Bool
    var points: PointsDocument?
    var orders: [Order]

    init(customer: String, ledger: PointsLedger?, policy: PointsPolicy, at now: Timestamp) {
        self.customer = customer
        generatedAt = now.description
        hasLedger = ledger != nil
        points = ledger.map { PointsDocument(ledger: $0, policy: policy, at: now, before: nil, limit: Int.max, expiriesShown: Int.max) }
        orders = (ledger?.orders.values.sorted { $0.orderID < $1.orderID } ?? []).map { record in
            Order(
                orderID: record.orderID, paidAt: record.payment?.paidAt.description,
                subtotal: record.payment?.subtotal.decimalString, currency: record.payment?.subtotal.currency.code,
                pointsEarned: record.payment?.points, pointsReversed: record.reversed,
                refunds: record.refunds.keys.sorted(), cancelledAt: record.cancelledAt?.description)
        }
    }

    func json() throws -> String {
        String(decoding: try APIJSON.encode(self), as: UTF8.self)
    }
}

/// The API's JSON form: snake_case keys, sorted so the same document reads the same.
enum APIJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
