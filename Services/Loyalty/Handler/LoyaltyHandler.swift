import Foundation
import Model
import ServiceSupport
import Streams

/// Applies the events loyalty acts on: reads the customer's ledger through the transaction,
/// asks ``LedgerRules`` for the decision and queues it with ``LedgerStore``. Everything it
/// does goes through the transaction, so a rejected commit simply decides again.
struct LoyaltyHandler: EntryHandler {
    let rules: LedgerRules
    let store: LedgerStore
    /// Opens sealed birthdays; nil when no master key is configured (no birthday bonuses).
    let keys: CustomerKeys?

    var handledTypes: Set<String> {
        [
            OrderPaid.eventType, OrderRefunded.eventType, OrderCancelled.eventType, TierChanged.eventType,
            ComplaintCompensated.eventType, CustomerUpserted.eventType, CustomerRedacted.eventType,
            CustomerDataRequested.eventType, ShopRedacted.eventType, LoyaltyTimer.eventType, ReferralCredit.eventType,
        ]
    }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        let customer = entry.envelope.customer
        return customer.isEmpty ? [] : [LedgerStore.ledgerKey(customer, store.partition(of: customer))]
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let envelope = entry.envelope
        let origin = Origin(envelope)
        if envelope.type == ShopRedacted.eventType {
            let shop = try envelope.decode(ShopRedacted.self)
            try store.eraseStore(source: shop.source, store: shop.store, partition: entry.partition, origin: origin, in: transaction)
            return
        }
        let customer = envelope.customer
        guard !customer.isEmpty else { throw HandlerError.noCustomer(type: envelope.type, id: envelope.id) }
        switch envelope.type {
        case CustomerRedacted.eventType:
            _ = try envelope.decode(CustomerRedacted.self)
            try store.erase(customer, origin: origin, in: transaction)
        case CustomerDataRequested.eventType:
            let request = try envelope.decode(CustomerDataRequested.self)
            try export(customer, request: request.requestID, origin: origin, in: transaction)
        default:
            let previous = try store.load(customer, in: transaction)
            guard let event = try ledgerEvent(envelope, ledger: previous, in: transaction) else { return }
            let decision = try rules.decide(previous ?? PointsLedger(customer: customer), event, now: transaction.now)
            try store.commit(decision, previous: previous, origin: origin, in: transaction)
        }
    }

    /// The envelope as a ledger event; nil when there is nothing to decide (a timer of an
    /// erased customer, a profile without a birthday for a customer loyalty does not know).
    private func ledgerEvent(_ envelope: Envelope, ledger: PointsLedger?, in transaction: StateTransaction) throws -> LedgerEvent? {
        let cause = envelope.id
        switch envelope.type {
        case OrderPaid.eventType:
            return .orderPaid(try envelope.decode(OrderPaid.self), cause: cause)
        case OrderRefunded.eventType:
            return .orderRefunded(try envelope.decode(OrderRefunded.self), cause: cause)
        case OrderCancelled.eventType:
            return .orderCancelled(try envelope.decode(OrderCancelled.self), cause: cause)
        case TierChanged.eventType:
            return .tierChanged(try envelope.decode(TierChanged.self), cause: cause)
        case ComplaintCompensated.eventType:
            return .compensated(try envelope.decode(ComplaintCompensated.self), cause: cause)
        case ReferralCredit.eventType:
            return .referralCredit(try envelope.decode(ReferralCredit.self), cause: cause)
        case CustomerUpserted.eventType:
            let profile = try envelope.decode(CustomerUpserted.self)
            let sealed = keys == nil ? nil : profile.personal["birthday"]
            guard ledger?.birthday != nil || sealed != nil else { return nil }
            let update = ProfileUpdate(
                sealedBirthday: sealed,
                birthDate: try sealed.flatMap { try birthDate(sealed: $0, customer: envelope.customer, in: transaction) },
                timeZone: profile.timeZone, updatedAt: profile.updatedAt)
            return .profile(update, cause: cause)
        case LoyaltyTimer.eventType:
            guard let ledger else { return nil }
            let timer = try envelope.decode(LoyaltyTimer.self)
            let date = timer.kind == .birthday
                ? try ledger.birthday.flatMap { try birthDate(sealed: $0.sealed, customer: ledger.customer, in: transaction) }
                : nil
            return .timer(timer, birthDate: date, cause: cause)
        default:
            return nil
        }
    }

    /// Opens the sealed birthday; nil when there is no key (erased, or none configured) or
    /// the text is not a date.
    private func birthDate(sealed: String, customer: String, in transaction: StateTransaction) throws -> BirthDate? {
        guard let keys, let opened = try keys.open(["birthday": sealed], customer: customer, in: transaction) else { return nil }
        return opened["birthday"].flatMap(BirthDate.init)
    }

    /// `customer.data_requested`: writes the customer's ledger as JSON for 7 days.
    private func export(_ customer: String, request: String, origin: Origin, in transaction: StateTransaction) throws {
        let partition = store.partition(of: customer)
        let previous = try store.load(customer, in: transaction)
        let document = LedgerExport(customer: customer, ledger: previous, policy: rules.policy, at: transaction.now)
        transaction.set(
            LedgerStore.exportKey(request: request, customer: customer, partition),
            try document.json(), expiresAfter: LedgerStore.exportRetention)
        if var ledger = previous {
            ledger.exports[request] = transaction.now
            try store.commit(LedgerDecision(ledger: ledger), previous: previous, origin: origin, in: transaction)
        }
    }
}

/// An event loyalty cannot apply; the entry is retried and then dead-lettered with this message.
struct HandlerError: Error, CustomStringConvertible {
    private enum Reason {
        case noCustomer(type: String, id: String)
    }

    private let reason: Reason

    static func noCustomer(type: String, id: String) -> HandlerError {
        HandlerError(reason: .noCustomer(type: type, id: id))
    }

    var description: String {
        switch reason {
        case .noCustomer(let type, let id):
            "\(type) event \(id) has no customer; loyalty keeps points per customer, so the producer must set the envelope's customer"
        }
    }
}
