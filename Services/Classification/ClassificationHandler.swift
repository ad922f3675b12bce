import Foundation
import Model
import ServiceSupport
import Streams

/// Applies classification's events: customer and order facts from `intake`, complaint signals
/// from `complaints`, erasure and export requests, and its own timers and partition jobs.
///
/// Each customer's profile is one JSON value read and written through the transaction; the
/// decision is ``ProfileEvaluator``'s, and ``ProfileStore`` keeps indexes, published events and
/// the audit trail in the same commit.
struct ClassificationHandler: EntryHandler {
    let settings: ClassificationSettings
    /// Opens sealed personal fields for data exports; nil without a master key, in which case
    /// exports say the personal fields are unavailable.
    let customerKeys: CustomerKeys?
    let store: ProfileStore
    let jobs: PartitionJobs
    let evaluator: ProfileEvaluator
    private let cutsCache = CutsCache()

    init(settings: ClassificationSettings, customerKeys: CustomerKeys?) {
        self.settings = settings
        self.customerKeys = customerKeys
        self.store = ProfileStore(settings: settings)
        self.jobs = PartitionJobs(settings: settings)
        self.evaluator = ProfileEvaluator(settings: settings)
    }

    static let factTypes: Set<String> = [
        CustomerUpserted.eventType, OrderPlaced.eventType, OrderPaid.eventType, OrderRefunded.eventType,
        OrderCancelled.eventType, ComplaintOpened.eventType, ComplaintEscalated.eventType,
        ComplaintRated.eventType, ComplaintResolved.eventType,
    ]

    var handledTypes: Set<String> {
        Self.factTypes.union([
            CustomerRedacted.eventType, ShopRedacted.eventType, CustomerDataRequested.eventType,
            DailyRecompute.eventType, TierReview.eventType, EvaluationBatch.eventType, FloorExpiry.eventType,
        ])
    }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        let keys = ClassificationKeys(entry.partition)
        var prefetch = [keys.schedule, keys.cuts]
        if entry.envelope.type == EvaluationBatch.eventType,
           let batch = try? entry.envelope.decode(EvaluationBatch.self) {
            prefetch += batch.customers.map(keys.profile)
        } else if !entry.envelope.customer.isEmpty {
            prefetch.append(keys.profile(entry.envelope.customer))
        }
        return prefetch
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let keys = ClassificationKeys(entry.partition)
        let envelope = entry.envelope
        try jobs.ensureScheduled(keys: keys, in: transaction)
        switch envelope.type {
        case let type where Self.factTypes.contains(type):
            try applyFact(envelope, keys: keys, in: transaction)
        case CustomerRedacted.eventType:
            let request = try envelope.decode(CustomerRedacted.self)
            guard !envelope.customer.isEmpty else { throw HandlerError.missingCustomer(envelope.type, envelope.id) }
            try store.erase(
                envelope.customer, requestedAt: max(request.requestedAt, envelope.occurred), keys: keys,
                cause: .event(envelope), in: transaction)
        case ShopRedacted.eventType:
            let shop = try envelope.decode(ShopRedacted.self)
            let index = keys.store(source: shop.source, store: shop.store)
            let customers = try transaction.read(["ZRANGE", index, "0", "-1"], watching: [index]).array?.compactMap(\.string) ?? []
            for customer in customers {
                try store.erase(
                    customer, requestedAt: max(shop.requestedAt, envelope.occurred), keys: keys, cause: .event(envelope),
                    in: transaction)
            }
            transaction.delete(index)
        case CustomerDataRequested.eventType:
            let request = try envelope.decode(CustomerDataRequested.self)
            try export(request, envelope: envelope, keys: keys, in: transaction)
        case DailyRecompute.eventType:
            try jobs.runRecompute(entry, keys: keys, in: transaction)
        case TierReview.eventType:
            try jobs.runReview(entry, keys: keys, in: transaction)
        case EvaluationBatch.eventType:
            let batch = try envelope.decode(EvaluationBatch.self)
            for customer in batch.customers {
                try reevaluate(
                    customer, purpose: batch.purpose == .review ? .review : .recompute,
                    cause: ChangeCause(parent: envelope, suffixPrefix: "\(customer)/", actor: ClassificationKeys.service),
                    keys: keys, in: transaction)
            }
        case FloorExpiry.eventType:
            _ = try envelope.decode(FloorExpiry.self)
            try reevaluate(envelope.customer, purpose: .recompute, cause: .event(envelope), keys: keys, in: transaction)
        default:
            break
        }
    }

    /// Absorbs one fact into the customer's profile and evaluates it.
    private func applyFact(_ envelope: Envelope, keys: ClassificationKeys, in transaction: StateTransaction) throws {
        let customer = envelope.customer
        guard !customer.isEmpty else { throw HandlerError.missingCustomer(envelope.type, envelope.id) }
        let old = try store.load(customer, keys: keys, in: transaction)
        if old == nil, try store.erasedAfter(envelope.occurred, customer: customer, keys: keys, in: transaction) {
            return
        }
        var profile = old ?? CustomerProfile(customer: customer)
        switch envelope.type {
        case CustomerUpserted.eventType:
            profile.absorb(try envelope.decode(CustomerUpserted.self), eventID: envelope.id)
        case OrderPlaced.eventType:
            profile.absorb(try envelope.decode(OrderPlaced.self))
        case OrderPaid.eventType:
            profile.absorb(try envelope.decode(OrderPaid.self))
        case OrderRefunded.eventType:
            profile.absorb(try envelope.decode(OrderRefunded.self))
        case OrderCancelled.eventType:
            profile.absorb(try envelope.decode(OrderCancelled.self))
        case ComplaintOpened.eventType:
            let event = try envelope.decode(ComplaintOpened.self)
            profile.absorb(complaint: event.complaintID, ComplaintFacts(openedAt: event.at))
        case ComplaintEscalated.eventType:
            let event = try envelope.decode(ComplaintEscalated.self)
            profile.absorb(complaint: event.complaintID, ComplaintFacts(escalatedAt: event.at))
        case ComplaintRated.eventType:
            let event = try envelope.decode(ComplaintRated.self)
            guard (1...5).contains(event.score) else { throw HandlerError.ratingOutOfRange(event.score, envelope.id) }
            profile.absorb(complaint: event.complaintID, ComplaintFacts(rating: event.score, ratedAt: event.at))
        case ComplaintResolved.eventType:
            let event = try envelope.decode(ComplaintResolved.self)
            profile.absorb(complaint: event.complaintID, ComplaintFacts(resolvedAt: event.at))
        default:
            return
        }
        let outcome = evaluator.evaluate(profile, at: transaction.now, cuts: try cuts(keys, in: transaction), purpose: .event)
        try store.save(outcome, replacing: old, keys: keys, cause: .event(envelope), in: transaction)
    }

    /// Evaluates a stored profile again (a job, a floor expiry); nothing for an erased customer.
    private func reevaluate(
        _ customer: String, purpose: EvaluationPurpose, cause: ChangeCause, keys: ClassificationKeys, in transaction: StateTransaction
    ) throws {
        guard !customer.isEmpty, let old = try store.load(customer, keys: keys, in: transaction) else { return }
        let outcome = evaluator.evaluate(old, at: transaction.now, cuts: try cuts(keys, in: transaction), purpose: purpose)
        try store.save(outcome, replacing: old, keys: keys, cause: cause, in: transaction)
    }

    private func cuts(_ keys: ClassificationKeys, in transaction: StateTransaction) throws -> RFMCuts? {
        try transaction.get(keys.cuts).map { try cutsCache.cuts(partition: keys.partition.index, text: $0) }
    }

    /// Writes classification's part of a customer's data export, readable for seven days.
    private func export(
        _ request: CustomerDataRequested, envelope: Envelope, keys: ClassificationKeys, in transaction: StateTransaction
    ) throws {
        let customer = envelope.customer
        guard !customer.isEmpty else { throw HandlerError.missingCustomer(envelope.type, envelope.id) }
        let profile = try store.load(customer, keys: keys, in: transaction)
        let document = try profile.map { profile in
            ProfileDocument(
                profile, settings: settings, at: transaction.now,
                personal: try PersonalFields.open(profile.attributes?.personal ?? [:], customer: customer, keys: customerKeys, in: transaction))
        }
        let export = DataExport(
            service: ClassificationKeys.service, customer: customer, requestId: request.requestID,
            generatedAt: transaction.now.description, profile: document)
        let text = String(decoding: try ProfileDocument.encoder().encode(export), as: UTF8.self)
        transaction.set(keys.export(request: request.requestID, customer: customer), text, expiresAfter: ProfileStore.exportRetention)
        transaction.audit(
            AuditRecord(
                customer: customer, fields: [], action: "exported", cause: envelope.id,
                actor: ClassificationKeys.service, service: ClassificationKeys.service, at: transaction.now),
            partition: keys.partition)
    }
}

/// Classification's part of a customer's data export.
struct DataExport: Encodable {
    var service: String
    var customer: String
    var requestId: String
    var generatedAt: String
    /// Nil when classification holds nothing about the customer.
    var profile: ProfileDocument?
}

/// Opens a profile's sealed personal fields for those allowed to see them.
enum PersonalFields {
    static func open(
        _ sealed: [String: String], customer: String, keys: CustomerKeys?, in transaction: StateTransaction
    ) throws -> ProfileDocument.Personal {
        guard let keys else { return ProfileDocument.Personal(available: false, reason: "no_master_key", fields: nil) }
        if sealed.isEmpty { return ProfileDocument.Personal(available: true, reason: nil, fields: [:]) }
        do {
            guard let fields = try keys.open(sealed, customer: customer, in: transaction) else {
                return ProfileDocument.Personal(available: false, reason: "erased", fields: nil)
            }
            return ProfileDocument.Personal(available: true, reason: nil, fields: fields)
        } catch let error as RedisError {
            throw error
        } catch {
            // A wrong master key or a damaged value: report, never fail the whole answer.
            return ProfileDocument.Personal(available: false, reason: "unreadable", fields: nil)
        }
    }
}

/// An entry classification cannot apply; it is retried, then dead-lettered.
struct HandlerError: Error, CustomStringConvertible {
    private enum Kind {
        case missingCustomer(String, String)
        case ratingOutOfRange(Int, String)
    }

    private let kind: Kind

    static func missingCustomer(_ type: String, _ id: String) -> HandlerError { HandlerError(kind: .missingCustomer(type, id)) }
    static func ratingOutOfRange(_ score: Int, _ id: String) -> HandlerError { HandlerError(kind: .ratingOutOfRange(score, id)) }

    var description: String {
        switch kind {
        case .missingCustomer(let type, let id):
            "the \(type) event \(id) names no customer; the producer must set the envelope's customer"
        case .ratingOutOfRange(let score, let id):
            "the complaint.rated event \(id) has score \(score); scores run from 1 to 5"
        }
    }
}
