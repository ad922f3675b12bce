import Logging
import Model
import ServiceSupport
import Streams

/// Stores normalised events on the `intake` stream, exactly once per delivery.
///
/// Personal fields are sealed under the customer's data key first (a small commit that creates
/// the key once), then one Lua script marks the delivery's dedupe key and appends the entry, so
/// a retried delivery never makes a second entry and an entry is never marked without being
/// stored. The dedupe key carries the stream's partition tag. Any Redis failure is thrown, and
/// the route answers 503 so the platform retries.
struct IntakeStore: Sendable {
    enum Outcome: String, Sendable {
        /// Appended now.
        case stored
        /// The delivery was stored before; nothing added.
        case duplicate
        /// Waiting in the order index for its order to arrive.
        case parked
    }

    let redis: RedisClient
    let partitioning: Partitioning
    let keys: CustomerKeys
    let clock: any TimeSource
    let dedupeRetention: Duration
    let orderIndex: OrderIndex
    let logger: Logger

    private var producer: StreamProducer { StreamProducer(redis: redis) }

    /// Stores `event` of the delivery named `deliveryKey` (unique per source), correlated to it.
    func store(_ event: IntakeEvent, deliveryKey: String, correlation: String) async throws -> Outcome {
        switch event.destination {
        case .customer(let customer):
            return try await store(event, for: customer, deliveryKey: deliveryKey, correlation: correlation)
        case .everyPartition:
            let envelope = try envelope(of: event, event: event.event, customer: "", correlation: correlation)
            var appended = false
            for partition in partitioning.all {
                let isNew = try await appendOnce(envelope, partition: partition, deliveryKey: deliveryKey)
                appended = appended || isNew
            }
            if let shop = event.event as? ShopRedacted {
                try await destroyDataKeys(ofStore: shop.store, source: shop.source)
            }
            return appended ? .stored : .duplicate
        case .orderOwner(let order):
            // Parked events are stored as they are: only events without personal data are routed by order.
            precondition(!(event.event is any CarriesPersonalData), "events routed by order carry no personal data")
            let unaddressed = try envelope(of: event, event: event.event, customer: "", correlation: correlation)
            let parked = ParkedEvent(deliveryKey: deliveryKey, envelope: unaddressed)
            guard let owner = try await orderIndex.owner(of: order, parkingIfUnknown: parked) else {
                logger.info("event parked until its order arrives", metadata: ["event": "\(event.id)", "order": "\(order)"])
                return .parked
            }
            let envelope = try parked.envelope(for: owner)
            let isNew = try await appendOnce(envelope, partition: partitioning.partition(of: owner), deliveryKey: deliveryKey)
            return isNew ? .stored : .duplicate
        }
    }

    private func store(
        _ event: IntakeEvent, for customer: CustomerID, deliveryKey: String, correlation: String
    ) async throws -> Outcome {
        var domainEvent = event.event
        if var carrier = domainEvent as? any CarriesPersonalData, !carrier.personal.isEmpty {
            carrier.personal = try await seal(carrier.personal, customer: customer)
            domainEvent = carrier
        }
        let envelope = try envelope(of: event, event: domainEvent, customer: customer.description, correlation: correlation)
        let partition = partitioning.partition(of: customer)
        guard let order = event.indexesOrder else {
            let isNew = try await appendOnce(envelope, partition: partition, deliveryKey: deliveryKey)
            if domainEvent is CustomerRedacted { try await destroyDataKey(of: customer) }
            return isNew ? .stored : .duplicate
        }
        // The order's index entry is written in the same round trip as its event; what waited
        // for this order is then appended to the customer's partition.
        let recording = orderIndex.recording(order, owner: customer)
        let (entry, reply) = try await producer.appendOnce(
            envelope, to: Keyspace.stream("intake", partition), dedupeKey: dedupeKey(deliveryKey, partition),
            retention: dedupeRetention, alongside: recording.script, keys: recording.keys, arguments: recording.arguments)
        for parked in try OrderIndex.parked(in: reply) {
            _ = try await appendOnce(parked.envelope(for: customer), partition: partition, deliveryKey: parked.deliveryKey)
            try await orderIndex.released(parked, of: order)
            logger.info("parked event released", metadata: ["event": "\(parked.fields["id"] ?? "")", "order": "\(order)"])
        }
        return entry == nil ? .duplicate : .stored
    }

    /// Erasure destroys the customer's data key here, at the door, after the redaction is stored:
    /// every sealed copy (in the stream, in each service's state, in later backups) becomes
    /// unreadable at once, whatever the consumers' lag. Repeating it for a redelivery is harmless.
    private func destroyDataKey(of customer: CustomerID) async throws {
        let keys = self.keys
        let customerText = customer.description
        try await redis.commit(clock: clock) { transaction in keys.erase(customerText, in: transaction) }
        logger.info("customer erased: data key destroyed", metadata: ["customer": "\(customerText)"])
    }

    /// `shop/redact`: destroys the data keys of every customer of the store, in every partition.
    private func destroyDataKeys(ofStore store: String, source: String) async throws {
        var destroyed = 0
        for partition in partitioning.all {
            let pattern = Keyspace.dataKey(customer: "\(source):\(store):*", partition)
            var cursor = "0"
            repeat {
                let reply = try await redis.send(["SCAN", cursor, "MATCH", pattern, "COUNT", "500"])
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                    throw RedisError.unexpectedReply("SCAN", reply)
                }
                let found = parts[1].array?.compactMap(\.string) ?? []
                if !found.isEmpty {
                    _ = try await redis.send(["DEL"] + found)
                    destroyed += found.count
                }
                cursor = next
            } while cursor != "0"
        }
        logger.info("store erased: data keys destroyed", metadata: ["store": "\(source):\(store)", "keys": "\(destroyed)"])
    }

    /// Seals personal fields in their own commit: creating the data key must be atomic with
    /// reading it (two replicas may seal for a new customer at once), while the append is not a
    /// transaction but the dedupe script.
    private func seal(_ fields: [String: String], customer: CustomerID) async throws -> [String: String] {
        let keys = self.keys
        let customerText = customer.description
        return try await redis.commit(clock: clock) { transaction in
            try keys.seal(fields, customer: customerText, in: transaction)
        }
    }

    private func envelope(of event: IntakeEvent, event domainEvent: any DomainEvent, customer: String, correlation: String) throws -> Envelope {
        try Envelope.make(
            domainEvent, id: event.id, customer: customer, occurred: event.occurred, recorded: clock.now(),
            source: event.source, correlation: correlation, cause: nil)
    }

    /// True when appended, false for a duplicate delivery.
    private func appendOnce(_ envelope: Envelope, partition: Partition, deliveryKey: String) async throws -> Bool {
        let entry = try await producer.appendOnce(
            envelope, to: Keyspace.stream("intake", partition), dedupeKey: dedupeKey(deliveryKey, partition),
            retention: dedupeRetention)
        return entry != nil
    }

    /// Beside the stream, in its partition, so the dedupe script touches one cluster slot.
    private func dedupeKey(_ deliveryKey: String, _ partition: Partition) -> String {
        Keyspace.state(service: "intake", partition, "seen", deliveryKey)
    }
}
