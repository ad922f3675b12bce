import Foundation
@testable import Loyalty
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Loyalty handler on a real Redis", .timeLimit(.minutes(2)))
final class HandlerTests {
    let harness: LoyaltyHarness
    let alice = "shopify:snowdevil.myshopify.com:1001"

    init() throws {
        harness = try LoyaltyHarness(rules: """
            loyalty:
              bonuses:
                repeat_purchase: 0
            """)
    }

    @Test("a paid order earns pending points, announces them once and audits the change")
    func paidOrder() async throws {
        try await harness.send(Fixture.order("o1", subtotal: "199.99"), id: "evt-paid-1", customer: alice)
        try await harness.drain()
        let ledger = try #require(try await harness.ledger(alice))
        #expect(ledger.balance == 199)
        let outputs = try await harness.outputs(alice)
        #expect(outputs.map(\.id) == ["evt-paid-1/points.earned-1"])
        let earned = try outputs[0].decode(PointsEarned.self)
        #expect((earned.points, earned.kind, earned.orderID) == (199, .earn, "o1"))
        #expect(outputs[0].cause == "evt-paid-1")
        let timers = try await harness.redis.send(["ZRANGE", Keyspace.timers(service: "loyalty", harness.partition(alice)), "0", "-1", "WITHSCORES"])
        #expect(timers.array?.compactMap(\.string) == ["\(alice)#available#1", String((Fixture.start + .seconds(14 * 86_400)).unixMilliseconds)])
        let audit = try await harness.redis.send(["XRANGE", Keyspace.audit(harness.partition(alice)), "-", "+"])
        let record = try AuditRecord(streamFields: try #require(audit.array?.first?.array?[1].fieldMap))
        #expect((record.action, record.cause, record.actor, record.service) == ("order.paid", "evt-paid-1", "loyalty", "loyalty"))
        #expect(record.fields == ["entries", "orders"])
    }

    @Test("every event delivered twice, also after its processed marker expired, is applied once")
    func doubleDelivery() async throws {
        try await harness.send(Fixture.tier("A"), id: "evt-tier", customer: alice, on: "customers")
        #expect(try await harness.drain().applied == 1)
        try await harness.send(Fixture.refund("r0", of: "o2", goods: "10.00"), id: "evt-refund-early", customer: alice)
        try await harness.send(Fixture.order("o1", subtotal: "50.00"), id: "evt-paid-1", customer: alice)
        try await harness.send(Fixture.order("o2", subtotal: "20.00"), id: "evt-paid-2", customer: alice)
        try await harness.send(Fixture.refund("r1", of: "o1", goods: "25.00"), id: "evt-refund-1", customer: alice)
        try await harness.send(OrderCancelled(orderID: "o1", cancelledAt: Fixture.start, wasPaid: true), id: "evt-cancel", customer: alice)
        try await harness.send(ComplaintCompensated(complaintID: "c1", points: 30, grantedAt: Fixture.start), id: "evt-comp", customer: alice, on: "complaints")
        let first = try await harness.drain()
        #expect(first.applied == 6)
        let ledger = try await harness.ledger(alice)
        let outputs = try await harness.outputs(alice)
        // Tier A doubles: o1 earns 100 and half of it is refunded, o2 earns 40 and half of it was
        // refunded before it arrived, plus 30 of compensation.
        let expected: Int64 = 100 - 50 + 40 - 20 + 30
        #expect(ledger?.balance == expected)

        // The same envelopes again: the runtime's processed markers drop them.
        try await harness.send(Fixture.tier("A"), id: "evt-tier", customer: alice, on: "customers")
        try await harness.send(Fixture.order("o1", subtotal: "50.00"), id: "evt-paid-1", customer: alice)
        #expect(try await harness.drain().duplicates == 2)

        // Replayed after the markers expired: the ledger itself recognises each event.
        let markers = try await harness.redis.send(["KEYS", "rapport:*:loyalty:done:*"]).array?.compactMap(\.string) ?? []
        #expect(markers.count == 7)
        _ = try await harness.redis.send(["DEL"] + markers)
        try await harness.send(Fixture.refund("r0", of: "o2", goods: "10.00"), id: "evt-refund-early", customer: alice)
        try await harness.send(Fixture.order("o1", subtotal: "50.00"), id: "evt-paid-1", customer: alice)
        try await harness.send(Fixture.order("o2", subtotal: "20.00"), id: "evt-paid-2", customer: alice)
        try await harness.send(Fixture.refund("r1", of: "o1", goods: "25.00"), id: "evt-refund-1", customer: alice)
        try await harness.send(ComplaintCompensated(complaintID: "c1", points: 30, grantedAt: Fixture.start), id: "evt-comp", customer: alice, on: "complaints")
        #expect(try await harness.drain().applied == 5)
        #expect(try await harness.ledger(alice) == ledger)
        #expect(try await harness.outputs(alice).map(\.id) == outputs.map(\.id))
    }

    @Test("timers make points available, warn before expiry and expire them")
    func timers() async throws {
        try await harness.send(Fixture.order("o1", subtotal: "80.00"), id: "evt-paid-1", customer: alice)
        try await harness.drain()
        try await harness.advance(to: Fixture.start + .seconds(14 * 86_400 - 1))
        #expect(try await harness.totals(alice)?.pending == 80)
        try await harness.advance(to: Fixture.start + .seconds(14 * 86_400))
        #expect(try await harness.totals(alice)?.available == 80)
        let expiresAt = try #require(try await harness.ledger(alice)?.entries.first?.expiresAt)
        try await harness.advance(to: expiresAt - .seconds(30 * 86_400))
        try await harness.advance(to: expiresAt)
        let types = try await harness.outputs(alice).map(\.type)
        #expect(types == ["points.earned", "points.available", "points.expiring", "points.expired"])
        #expect(try await harness.ledger(alice)?.balance == 0)
        #expect(try await harness.ledger(alice)?.timers.isEmpty == true)
        #expect(try await harness.redis.send(["ZCARD", Keyspace.timers(service: "loyalty", harness.partition(alice))]).int == 0)
    }

    @Test("the birthday from the sealed profile pays a bonus on the day, once a year")
    func birthday() async throws {
        let keys = try #require(harness.loyalty.keys)
        let alice = alice
        let sealed = try await harness.redis.commit(clock: harness.clock) { transaction in
            try keys.seal(["birthday": "1990-06-20"], customer: alice, in: transaction)
        }
        let profile = CustomerUpserted(externalID: "1001", personal: sealed, timeZone: "Asia/Shanghai", updatedAt: Fixture.start)
        try await harness.send(profile, id: "evt-profile", customer: alice, on: "intake")
        try await harness.drain()
        let ledger = try #require(try await harness.ledger(alice))
        #expect(ledger.birthday?.sealed == sealed["birthday"])
        // 2025-06-20 00:00 in Shanghai.
        let birthday = Timestamp(unixMilliseconds: 1_750_348_800_000)
        #expect(ledger.timers["\(alice)#birthday"] == birthday)
        try await harness.advance(to: birthday)
        #expect(try await harness.ledger(alice)?.balance == 100)
        #expect(try await harness.ledger(alice)?.timers["\(alice)#birthday"] == birthday + .seconds(365 * 86_400))
        let stored = try await harness.redis.send(["GET", LedgerStore.ledgerKey(alice, harness.partition(alice))]).string ?? ""
        #expect(!stored.contains("1990"))
    }

    @Test("a referral code credits the referrer in another partition exactly once")
    func referralAcrossPartitions() async throws {
        let home = harness.partition(alice)
        let candidates: [String] = (2000..<2100).map { "shopify:snowdevil.myshopify.com:\($0)" }
        let referrer = try #require(candidates.first { harness.partition($0) != home })
        let code = "REF-" + (try CustomerID.parse(referrer)).externalID
        try await harness.send(Fixture.order("o1", subtotal: "10.00", codes: [code]), id: "evt-paid-1", customer: alice)
        try await harness.drain()
        // A relay that died after appending runs again: the credit is appended once.
        let outbox = try await harness.redis.send(["XRANGE", LedgerStore.outboxKey(harness.partition(alice)), "-", "+"])
        let entry = try Envelope(fields: try #require(outbox.array?.first?.array?[1].fieldMap))
        try await StreamProducer(redis: harness.redis).appendOnce(
            entry, to: Keyspace.timerStream(service: "loyalty", harness.partition(referrer)),
            dedupeKey: Keyspace.state(service: "loyalty", harness.partition(referrer), "relayed", entry.id),
            retention: .seconds(60))
        try await harness.settle()
        #expect(try await harness.ledger(referrer)?.balance == 200)
        #expect(try await harness.ledger(alice)?.balance == 10 + 100)
        #expect(try await harness.redis.send(["XLEN", LedgerStore.outboxKey(harness.partition(alice))]).int == 0)
        #expect(try await harness.outputs(referrer).map(\.id) == ["evt-paid-1/referral-credit/points.earned-1"])
    }

    @Test("erasure deletes the ledger, its timers and exports; a shop erasure reaches every customer of the shop")
    func erasure() async throws {
        let others = (1..<6).map { "shopify:snowdevil.myshopify.com:\(2000 + $0)" }
        let stranger = "shopify:other.myshopify.com:1"
        for (index, customer) in ([alice, stranger] + others).enumerated() {
            try await harness.send(Fixture.order("o\(index)", subtotal: "10.00"), id: "evt-paid-\(index)", customer: customer)
        }
        try await harness.send(CustomerDataRequested(requestID: "req-1", requestedAt: Fixture.start), id: "evt-export", customer: alice)
        try await harness.drain()
        let exportKey = LedgerStore.exportKey(request: "req-1", customer: alice, harness.partition(alice))
        let export = try #require(try await harness.redis.send(["GET", exportKey]).string)
        #expect(export.contains("\"order_id\":\"o0\""))
        #expect(export.contains("\"balance\":10"))
        let ttl = try await harness.redis.send(["PTTL", exportKey]).int ?? 0
        #expect(ttl > 6 * 86_400_000 && ttl <= 7 * 86_400_000)

        try await harness.send(CustomerRedacted(requestedAt: Fixture.start), id: "evt-redact", customer: alice)
        try await harness.drain()
        #expect(try await harness.ledger(alice) == nil)
        #expect(try await harness.redis.send(["EXISTS", exportKey]).int == 0)
        let aliceTimers = try await harness.redis.send(["ZRANGE", Keyspace.timers(service: "loyalty", harness.partition(alice)), "0", "-1"])
        #expect(!(aliceTimers.array ?? []).contains { $0.string?.hasPrefix(alice) == true })

        try await harness.broadcast(ShopRedacted(source: "shopify", store: "snowdevil.myshopify.com", requestedAt: Fixture.start), id: "evt-shop")
        try await harness.drain()
        for customer in others { #expect(try await harness.ledger(customer) == nil) }
        #expect(try await harness.ledger(stranger)?.balance == 10)
        for partition in harness.partitioning.all {
            let timers = try await harness.redis.send(["ZRANGE", Keyspace.timers(service: "loyalty", partition), "0", "-1"]).array ?? []
            #expect(timers.allSatisfy { $0.string?.hasPrefix(stranger) == true })
        }
        let audit = try await harness.redis.send(["XRANGE", Keyspace.audit(harness.partition(alice)), "-", "+"]).array ?? []
        let actions = try audit.map { try AuditRecord(streamFields: $0.array?[1].fieldMap ?? [:]) }.filter { $0.customer == alice }.map(\.action)
        #expect(actions == ["order.paid", "customer.data_requested", "erased"])
    }

    @Test("an event without a customer is dead-lettered with a message, never blocking the stream")
    func noCustomer() async throws {
        let envelope = try LoyaltyHarness.envelope(Fixture.order("o1", subtotal: "1.00"), id: "evt-nobody", customer: "")
        try await StreamProducer(redis: harness.redis).append(envelope, to: Keyspace.stream("intake", Partition(0)))
        #expect(try await harness.drain().failed == 1)
    }
}
