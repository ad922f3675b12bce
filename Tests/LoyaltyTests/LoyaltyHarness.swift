import Foundation
import Logging
@testable import Loyalty
import Model
import ServiceSupport
import Streams
import TestSupport

/// A real Redis, the loyalty service assembled as `main` does (with a manual clock), and a
/// consumer driven step by step: tests append envelopes, call ``drain()`` and look at Redis.
final class LoyaltyHarness: @unchecked Sendable {
    // Set once in init; tests use it from one task at a time.
    static let adminToken = "admin-secret"
    /// Holds only `customers:read`.
    static let readerToken = "reader-secret"
    /// Holds `points:write` only.
    static let deskToken = "desk-secret"

    let server: RedisServer
    let clock: ManualTimeSource
    let runtime: ServiceRuntime
    let loyalty: Loyalty
    let directory: URL

    init(partitions: Int = 2, rules: String = "", start: Timestamp = Fixture.start) throws {
        server = try RedisServer()
        clock = ManualTimeSource(start)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-loyalty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rulesFile = directory.appendingPathComponent("rules.yaml")
        try (Self.tokens + rules).write(to: rulesFile, atomically: true, encoding: .utf8)
        let configuration = try RapportConfiguration.load(service: .loyalty, environment: [
            "RAPPORT_REDIS_URL": server.url,
            "RAPPORT_ADMIN_TOKEN": Self.adminToken,
            "RAPPORT_MASTER_KEY": "+XwdUyMeUEwjp8mdkGktEQ6Oadupoi5+LIfU0Kl+/cc=",
            "RAPPORT_PARTITIONS": String(partitions),
            "RAPPORT_CONSUMER_NAME": "test",
            "RAPPORT_CONFIG": rulesFile.path,
        ])
        runtime = try ServiceRuntime(configuration: configuration, clock: clock, logger: Logger(label: "loyalty-test"))
        loyalty = try Loyalty(runtime: runtime)
    }

    deinit {
        let redis = runtime.redis
        Task { await redis.shutdown() }
        try? FileManager.default.removeItem(at: directory)
    }

    static let tokens = """
        tokens:
          - name: reader
            sha256: f03319dee240faa729e0cfa7ab5ffd80a1d64a127e3643f239009abff6382914
            scopes: [customers:read]
          - name: desk
            sha256: d3f1287751e9d44bfaff8b38902093782f3c52c7a698962861e80d9b4af303a4
            scopes: [points:write]

        """

    var redis: RedisClient { runtime.redis }
    var partitioning: Partitioning { runtime.partitioning }

    func partition(_ customer: String) -> Partition { partitioning.partition(ofCustomer: customer) }

    /// Wraps `event` as a platform event for `customer`.
    static func envelope<E: DomainEvent>(_ event: E, id: String, customer: String, at: Timestamp = Fixture.start) throws -> Envelope {
        try Envelope.make(event, id: id, customer: customer, occurred: at, recorded: at, source: "shopify", correlation: id, cause: nil)
    }

    /// Appends to the logical stream `stream` of the customer's partition.
    func send<E: DomainEvent>(_ event: E, id: String, customer: String, on stream: String = "intake") async throws {
        let envelope = try Self.envelope(event, id: id, customer: customer, at: clock.now())
        try await StreamProducer(redis: redis).append(envelope, to: Keyspace.stream(stream, partition(customer)))
    }

    /// Appends to the same stream of every partition, as intake does for shop-wide events.
    func broadcast<E: DomainEvent>(_ event: E, id: String) async throws {
        for partition in partitioning.all {
            let envelope = try Self.envelope(event, id: id, customer: "", at: clock.now())
            try await StreamProducer(redis: redis).append(envelope, to: Keyspace.stream("intake", partition))
        }
    }

    /// Consumes everything waiting on loyalty's inputs in every partition, committing batch by
    /// batch as the consumer does; returns the outcomes.
    /// What ``drain()`` did, summed over its batches.
    struct Drained {
        var applied = 0
        var duplicates = 0
        var failed = 0
        var deadLettered = 0
        var skippedTypes: [String] = []
    }

    @discardableResult
    func drain() async throws -> Drained {
        let consumer = runtime.makeConsumer(handler: loyalty.handler)
        try await consumer.createGroups()
        let committer = BatchCommitter(configuration: runtime.consumerConfiguration, handler: loyalty.handler, clock: clock)
        var total = Drained()
        while true {
            var read = 0
            for partition in partitioning.all {
                for input in runtime.inputs {
                    let key = Keyspace.stream(input, partition)
                    let reply = try await redis.send(["XREADGROUP", "GROUP", "loyalty", "test", "COUNT", "50", "STREAMS", key, ">"])
                    let items = reply.array?.first?.array?[1].array ?? []
                    let entries = items.compactMap { item -> RawEntry? in
                        guard let pair = item.array, let id = pair[0].string else { return nil }
                        return RawEntry(id: id, fields: pair[1].fieldMap, deliveries: 1)
                    }
                    guard !entries.isEmpty else { continue }
                    read += entries.count
                    let outcome = try await redis.withConnection {
                        try committer.commit(entries, stream: input, partition: partition, on: $0)
                    }
                    total.applied += outcome.applied
                    total.duplicates += outcome.duplicates
                    total.failed += outcome.failed
                    total.deadLettered += outcome.deadLettered
                    total.skippedTypes += outcome.skippedTypes
                }
            }
            if read == 0 { return total }
        }
    }

    /// Moves the clock, releases due timers and relayed referral credits, and consumes them.
    func advance(to time: Timestamp) async throws {
        clock.set(time)
        try await settle()
    }

    func settle() async throws {
        let release = runtime.makeTimerRelease()
        let relay = loyalty.makeRelay()
        while true {
            var moved = 0
            for partition in partitioning.all {
                moved += try await release?.releaseDue(in: partition) ?? 0
                moved += try await relay.relay(from: partition)
            }
            let outcome = try await drain()
            if moved == 0 && outcome.applied == 0 { return }
        }
    }

    func ledger(_ customer: String) async throws -> PointsLedger? {
        guard let text = try await redis.send(["GET", LedgerStore.ledgerKey(customer, partition(customer))]).string else { return nil }
        return try JSONDecoder().decode(PointsLedger.self, from: Data(text.utf8))
    }

    /// Envelopes loyalty emitted for `customer`, in order.
    func outputs(_ customer: String) async throws -> [Envelope] {
        let reply = try await redis.send(["XRANGE", Keyspace.stream("loyalty", partition(customer)), "-", "+"])
        return try (reply.array ?? []).compactMap { item in
            guard let pair = item.array, pair.count == 2 else { return nil }
            return try Envelope(fields: pair[1].fieldMap)
        }.filter { $0.customer == customer }
    }

    func totals(_ customer: String, at now: Timestamp? = nil) async throws -> LedgerTotals? {
        try await ledger(customer).map {
            LedgerTotals(ledger: $0, at: now ?? clock.now(), expiringWithin: loyalty.rules.policy.expiryWarning)
        }
    }
}
