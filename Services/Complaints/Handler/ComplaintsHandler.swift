import Model
import ServiceSupport
import Streams

/// Applies what complaints consumes: submissions from intake, tier changes from classification,
/// erasure and data requests, and its own due timers. Each decision reads and writes only
/// through the transaction, so a re-run after a rejected commit decides the same way.
struct ComplaintsHandler: EntryHandler {
    let desk: CaseDesk

    var handledTypes: Set<String> {
        [
            ComplaintSubmitted.eventType, TierChanged.eventType, CustomerRedacted.eventType, ShopRedacted.eventType,
            CustomerDataRequested.eventType, CaseTimer.eventType,
        ]
    }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        let envelope = entry.envelope
        let partition = entry.partition
        switch envelope.type {
        case ComplaintSubmitted.eventType:
            guard let submitted = try? envelope.decode(ComplaintSubmitted.self) else { return [] }
            return [
                CaseKeys.record(partition, ComplaintCase.caseID(source: envelope.source, complaintID: submitted.complaintID)),
                CaseKeys.tier(partition, envelope.customer),
                Keyspace.dataKey(customer: envelope.customer, partition),
            ]
        case TierChanged.eventType:
            return [CaseKeys.tier(partition, envelope.customer)]
        case CaseTimer.eventType:
            guard let timer = try? envelope.decode(CaseTimer.self) else { return [] }
            return [CaseKeys.record(partition, timer.caseID)]
        default:
            return []
        }
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let envelope = entry.envelope
        switch envelope.type {
        case ComplaintSubmitted.eventType:
            let submitted = try envelope.decode(ComplaintSubmitted.self)
            let new = NewCase(
                source: envelope.source, complaintID: submitted.complaintID, customer: envelope.customer,
                channel: submitted.channel, category: submitted.category, orderID: submitted.orderID,
                personal: submitted.personal, submittedAt: submitted.submittedAt, openedBy: "intake",
                correlation: envelope.correlation)
            try desk.open(new, requested: nil, origin: .entry(envelope), partition: entry.partition, in: transaction)
        case TierChanged.eventType:
            let changed = try envelope.decode(TierChanged.self)
            try desk.tierChanged(customer: envelope.customer, tier: changed.current, origin: .entry(envelope), partition: entry.partition, in: transaction)
        case CaseTimer.eventType:
            let timer = try envelope.decode(CaseTimer.self)
            try desk.timerFired(timer, envelope: envelope, partition: entry.partition, in: transaction)
        case CustomerRedacted.eventType:
            _ = try envelope.decode(CustomerRedacted.self)
            try desk.erase(customer: envelope.customer, cause: envelope.id, actor: CaseWriter.source, partition: entry.partition, in: transaction)
        case ShopRedacted.eventType:
            let shop = try envelope.decode(ShopRedacted.self)
            try desk.eraseStore(source: shop.source, store: shop.store, cause: envelope.id, partition: entry.partition, in: transaction)
        case CustomerDataRequested.eventType:
            let request = try envelope.decode(CustomerDataRequested.self)
            try desk.export(customer: envelope.customer, requestID: request.requestID, cause: envelope.id, partition: entry.partition, in: transaction)
        default:
            return
        }
    }
}
