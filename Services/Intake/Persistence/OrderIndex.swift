import Foundation
import Model
import Streams

/// Which customer each order belongs to, so that an event naming only its order (a Shopify
/// refund, a WooCommerce deletion) reaches the customer's partition.
///
/// The index lives in the order's own partition (by a hash of the order reference), beside the
/// events parked there: an event whose order is not known yet waits in a hash until the order
/// arrives, and is then appended by the order's delivery. Both steps are Lua scripts over the
/// same two keys, so an event is either resolved or parked where the order will find it; the
/// order and its refund may arrive in any order, as platforms retry independently. Recording is
/// idempotent (the same owner, the same parked events until released), so it may run again.
struct OrderIndex: Sendable {
    /// Records the owner; returns the parked events (field = delivery key, value = event).
    private static let recordScript = RedisScript("""
        redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
        return redis.call('HGETALL', KEYS[2])
        """)

    /// Returns the owner, or parks the event and returns nil.
    private static let resolveScript = RedisScript("""
        local owner = redis.call('GET', KEYS[1])
        if owner then return owner end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
        return false
        """)

    let redis: RedisClient
    let partitioning: Partitioning
    /// How long an order's owner is remembered (refunds come weeks or months later).
    let retention: Duration
    /// How long an event waits for its order before it is dropped.
    let parkedRetention: Duration

    private func keys(_ order: OrderReference) -> [String] {
        let partition = partitioning.partition(ofCustomer: "order:\(order)")
        return [
            Keyspace.state(service: "intake", partition, "order", order.description),
            Keyspace.state(service: "intake", partition, "parked", order.description),
        ]
    }

    /// The script call that ties `order` to `owner` and answers what was parked waiting for it
    /// (read with ``parked(in:)``), for the store to pipeline beside the order's own append.
    func recording(_ order: OrderReference, owner: CustomerID) -> (script: RedisScript, keys: [String], arguments: [String]) {
        (Self.recordScript, keys(order), [owner.description, String(retention.milliseconds)])
    }

    /// The events a ``recording(_:owner:)`` call found parked, oldest delivery key first.
    static func parked(in reply: RedisValue) throws -> [ParkedEvent] {
        try reply.fieldMap.sorted { $0.key < $1.key }.map { try ParkedEvent(json: $0.value) }
    }

    /// The owner of `order`; when it is unknown, parks `event` for ``record(_:owner:)`` and
    /// returns nil.
    func owner(of order: OrderReference, parkingIfUnknown event: ParkedEvent) async throws -> CustomerID? {
        let keys = keys(order)
        let arguments = [event.deliveryKey, try event.json(), String(parkedRetention.milliseconds)]
        let reply = try await redis.withConnection { connection in
            try Self.resolveScript.run(on: connection, keys: keys, arguments: arguments)
        }
        guard let text = reply.string else { return nil }
        return try CustomerID.parse(text)
    }

    /// Forgets a parked event once it has been appended.
    func released(_ event: ParkedEvent, of order: OrderReference) async throws {
        _ = try await redis.send(["HDEL", keys(order)[1], event.deliveryKey])
    }
}

/// An event waiting for its order: its envelope without a customer, and the delivery key that
/// dedupes it once appended.
struct ParkedEvent: Sendable, Codable {
    var deliveryKey: String
    var fields: [String: String]

    init(deliveryKey: String, envelope: Envelope) {
        self.deliveryKey = deliveryKey
        self.fields = Dictionary(envelope.fields, uniquingKeysWith: { first, _ in first })
    }

    init(json: String) throws {
        self = try JSONDocumentDecoder().decode(ParkedEvent.self, from: json)
    }

    func json() throws -> String {
        try SortedJSONEncoder().encodeText(self)
    }

    /// The envelope, now addressed to the order's customer.
    func envelope(for customer: CustomerID) throws -> Envelope {
        var fields = fields
        fields["customer"] = customer.description
        return try Envelope(fields: fields)
    }
}
