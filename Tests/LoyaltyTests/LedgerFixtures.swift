@testable import Loyalty
import Model
import Testing

/// Builders for the events and ledgers the loyalty tests use.
enum Fixture {
    static let customer = "shopify:snowdevil.myshopify.com:1001"
    static let cny = try! CurrencyCode("CNY")
    static let jpy = try! CurrencyCode("JPY")
    static let start = Timestamp(unixMilliseconds: 1_750_000_000_000)
    static let day: Duration = .seconds(86_400)

    static func money(_ decimal: String, _ currency: CurrencyCode = cny) -> Money {
        try! Money.parse(decimal, currency: currency)
    }

    /// The built-in rules with every bonus off, so earning tests see only earnings.
    static var plainPolicy: PointsPolicy {
        var policy = PointsPolicy()
        policy.bonuses.birthday = 0
        policy.bonuses.referralReferrer = 0
        policy.bonuses.referralNewCustomer = 0
        policy.bonuses.repeatPurchase = 0
        return policy
    }

    static func order(
        _ id: String, subtotal: String, shipping: String = "10.00", tax: String = "5.00",
        currency: CurrencyCode = cny, lines: [OrderLine] = [], codes: [String] = [], paidAt: Timestamp = start
    ) -> OrderPaid {
        let goods = money(subtotal, currency)
        let total = Money(
            minorUnits: goods.minorUnits + money(shipping, currency).minorUnits + money(tax, currency).minorUnits,
            currency: currency)
        return OrderPaid(
            order: OrderSummary(
                orderID: id, currency: currency, total: total, subtotal: goods, shipping: money(shipping, currency),
                tax: money(tax, currency), lines: lines, placedAt: paidAt, updatedAt: paidAt, discountCodes: codes),
            paidAt: paidAt)
    }

    static func refund(
        _ id: String, of order: String, goods: String, lines: [RefundLine] = [], at: Timestamp = start + .seconds(3600)
    ) -> OrderRefunded {
        OrderRefunded(
            refundID: id, orderID: order, amount: money(goods), goodsAmount: money(goods), lines: lines, refundedAt: at)
    }

    static func tier(_ name: String, at: Timestamp = start - .seconds(60)) -> TierChanged {
        TierChanged(previous: nil, current: name, reason: "threshold_crossed", changedAt: at)
    }
}

/// Applies events one after another through the pure rules, as the handler would.
struct LedgerScript {
    var rules: LedgerRules
    var ledger: PointsLedger
    var outputs: [PointsOutput] = []
    var timers: [TimerChange] = []
    var relays: [RelayMessage] = []
    /// Every event applied, with its time, to replay the same history differently.
    var applied: [(event: LedgerEvent, at: Timestamp)] = []

    init(policy: PointsPolicy = Fixture.plainPolicy, customer: String = Fixture.customer) {
        rules = LedgerRules(policy: policy)
        ledger = PointsLedger(customer: customer)
    }

    @discardableResult
    mutating func apply(_ event: LedgerEvent, at now: Timestamp = Fixture.start) throws -> LedgerDecision {
        let decision = try rules.decide(ledger, event, now: now)
        applied.append((event, now))
        ledger = decision.ledger
        outputs += decision.outputs
        timers += decision.timers
        relays += decision.relays
        return decision
    }

    mutating func paid(_ event: OrderPaid, id: String? = nil, at now: Timestamp = Fixture.start) throws {
        try apply(.orderPaid(event, cause: id ?? "paid-\(event.order.orderID)"), at: now)
    }

    mutating func refunded(_ event: OrderRefunded, at now: Timestamp = Fixture.start) throws {
        try apply(.orderRefunded(event, cause: "refund-\(event.refundID)"), at: now)
    }

    /// Fires every scheduled timer due by `now`, in due order, as the timer release would.
    mutating func fireTimers(until now: Timestamp) throws {
        while let (id, due) = ledger.timers.filter({ $0.value <= now }).min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            guard case .schedule(let timer, _)? = timers.last(where: {
                if case .schedule(_, let scheduled) = $0 { return scheduled == id }
                return false
            }) else { Issue.record("timer \(id) has no payload"); return }
            try apply(.timer(timer, birthDate: nil, cause: "timer-\(id)-\(due.unixMilliseconds)"), at: due)
        }
    }

    func totals(at now: Timestamp = Fixture.start) -> LedgerTotals {
        LedgerTotals(ledger: ledger, at: now, expiringWithin: rules.policy.expiryWarning)
    }

    func events<E: DomainEvent>(_ type: E.Type) -> [E] {
        outputs.compactMap { $0.event as? E }
    }
}

extension LedgerScript {
    @discardableResult
    mutating func redeem(_ points: Int64, key: String, at now: Timestamp) -> RequestOutcome {
        let (decision, outcome) = rules.redeem(ledger, points: points, key: key, now: now)
        ledger = decision.ledger
        outputs += decision.outputs
        timers += decision.timers
        return outcome
    }

    var kinds: [LedgerEntry.Kind] { ledger.entries.map(\.kind) }
}
