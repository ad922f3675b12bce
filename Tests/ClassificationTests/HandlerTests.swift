@testable import Classification
import Foundation
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Classification over a real Redis", .serialized, .timeLimit(.minutes(2)))
final class HandlerTests {
    let harness: Harness
    let customer = Fixtures.customer

    init() throws {
        harness = try Harness()
    }

    @Test("a new customer is classified in the base tier, and the order that crosses B upgrades them once")
    func upgradeOnce() async throws {
        let t0 = Fixtures.start
        try await harness.publish([try Fixtures.upserted(), try Fixtures.paid("1", "9999.99", at: t0)])
        try await harness.settle()
        var profile = try #require(try await harness.profile())
        #expect(profile.tier?.current == "C")
        #expect(profile.attributes?.language == "zh-CN")

        // The crossing order, delivered twice: one upgrade, one event.
        let crossing = try Fixtures.paid("2", "0.01", at: t0 + .seconds(60))
        try await harness.publish([crossing, crossing])
        try await harness.settle()
        profile = try #require(try await harness.profile())
        #expect(profile.tier?.current == "B")
        let changes = try await harness.published(TierChanged.eventType, customer: customer).map { try $0.decode(TierChanged.self) }
        #expect(changes.map(\.current) == ["C", "B"])
        #expect(changes.last?.previous == "C")
        #expect(changes.last?.reason == "threshold_crossed")
        let upgrade = try await harness.published(TierChanged.eventType, customer: customer).last
        #expect(upgrade?.id == "paid-2/tier")
        #expect(upgrade?.cause == "paid-2")

        let audit = try await harness.audit()
        #expect(audit.first?.action == "profile.created")
        #expect(audit.contains { $0.cause == "paid-2" && $0.fields.contains("tier") && $0.fields.contains("orders") })
        #expect(audit.allSatisfy { $0.service == "classification" })
        #expect(try await harness.deadLetters() == 0)
    }

    @Test("out-of-order and repeated deliveries through Redis give the same profile as the ordered history")
    func outOfOrderThroughRedis() async throws {
        let t0 = Fixtures.start
        for seed in Int64(1)...4 {
            let customer = "shopify:shop\(seed).example:\(seed)"
            let events = try Scenario.events(seed: seed * 7_919).map { envelope in
                var copy = envelope
                copy.customer = customer
                copy.id = "\(seed)-\(envelope.id)"
                return copy
            }
            let reference = "shopify:shop\(seed).example:ref-\(seed)"
            let ordered = events.map { envelope in
                var copy = envelope
                copy.customer = reference
                copy.id = "ref-\(envelope.id)"
                return copy
            }
            try await harness.publish(Scenario.redelivered(events, seed: seed))
            try await harness.publish(ordered)
            try await harness.settle()
            let shuffled = try #require(try await harness.profile(customer))
            let inOrder = try #require(try await harness.profile(reference))
            #expect(shuffled.facts.orders == inOrder.facts.orders)
            #expect(shuffled.facts.attributes?.kind == inOrder.facts.attributes?.kind)
            #expect(shuffled.figures(at: t0, windowMonths: 12) == inOrder.figures(at: t0, windowMonths: 12))
        }
    }

    @Test("complaint signals raise the churn alert once and clear it once")
    func churnFromComplaints() async throws {
        let t0 = Fixtures.start
        let customer = "woocommerce:books.example:42"
        try await harness.publish([
            try Fixtures.paid("w1", "120.00", at: t0, customer: customer),
            try Fixtures.paid("w2", "80.00", at: t0 + .days(10), customer: customer),
        ])
        try await harness.settle()
        // 40 days after the last order, against a 10-day rhythm.
        try await harness.advance(by: .days(50))
        func complaint<E: DomainEvent>(_ event: E, _ id: String) throws -> Envelope {
            try Fixtures.envelope(event, id: id, customer: customer, occurred: harness.clock.now(), source: "complaints")
        }
        let now = harness.clock.now()
        try await harness.publish([
            try complaint(ComplaintOpened(complaintID: "c1", priority: .normal, category: "delivery", at: now), "opened-c1"),
            try complaint(ComplaintOpened(complaintID: "c2", priority: .normal, category: "delivery", at: now), "opened-c2"),
            try complaint(ComplaintEscalated(complaintID: "c2", priority: .normal, category: "delivery", at: now, level: "team_lead"), "escalated-c2"),
            try complaint(ComplaintEscalated(complaintID: "c2", priority: .normal, category: "delivery", at: now, level: "team_lead"), "escalated-c2-again"),
        ], to: "complaints")
        try await harness.settle()
        #expect(try await harness.profile(customer)?.churn?.alerted == true)
        // The daily recompute sees the same risk: no second alert.
        try await harness.advance(by: .days(1))
        #expect(try await harness.published(ChurnRiskRaised.eventType, customer: customer).count == 1)

        try await harness.publish([
            try complaint(ComplaintResolved(complaintID: "c1", priority: .normal, category: "delivery", at: harness.clock.now()), "resolved-c1"),
            try complaint(ComplaintResolved(complaintID: "c2", priority: .normal, category: "delivery", at: harness.clock.now()), "resolved-c2"),
            try complaint(ComplaintRated(complaintID: "c2", priority: .normal, category: "delivery", at: harness.clock.now(), score: 5), "rated-c2"),
        ], to: "complaints")
        try await harness.settle()
        try await harness.advance(by: .days(1))
        let cleared = try await harness.published(ChurnRiskCleared.eventType, customer: customer)
        #expect(cleared.count == 1)
        #expect(try await harness.published(ChurnRiskRaised.eventType, customer: customer).count == 1)
        let raised = try #require(try await harness.published(ChurnRiskRaised.eventType, customer: customer).first?.decode(ChurnRiskRaised.self))
        #expect(raised.score >= 70)
        #expect(raised.threshold == 70)
    }

    @Test("downgrades wait for the review after the grace period; the daily recompute never downgrades")
    func reviewDowngrade() async throws {
        let customer = "shopify:review.example:9"
        let t0 = harness.clock.now()
        try await harness.publish([try Fixtures.paid("r1", "10000.00", at: t0, customer: customer)])
        try await harness.settle()
        #expect(try await harness.profile(customer)?.tier?.current == "B")
        try await harness.publish([try Fixtures.refunded("rf1", order: "r1", "5000.00", at: t0, customer: customer)])
        try await harness.settle()
        #expect(try await harness.profile(customer)?.tier?.belowSince != nil)

        // Daily recomputes for 29 days: still B.
        for _ in 0..<29 { try await harness.advance(by: .days(1)) }
        #expect(try await harness.profile(customer)?.tier?.current == "B")
        #expect(try await harness.published(TierChanged.eventType, customer: customer).count == 1)
        // Day 30: the partition review, after 30 days below.
        try await harness.advance(by: .days(1))
        #expect(try await harness.profile(customer)?.tier?.current == "C")
        let changes = try await harness.published(TierChanged.eventType, customer: customer).map { try $0.decode(TierChanged.self) }
        #expect(changes.map(\.current) == ["B", "C"])
        #expect(changes.last?.reason == "review_downgrade")
        #expect(try await harness.deadLetters() == 0)
    }

    @Test("the daily recompute scores customers by quintiles of their partition and announces segment changes")
    func dailyRFM() async throws {
        let harness = try Harness(partitions: 1)
        let t0 = harness.clock.now()
        // Ten customers: customer i bought i times, i × 100.00 each, the last one i days ago.
        var events: [Envelope] = []
        for i in 1...10 {
            for n in 0..<i {
                events.append(try Fixtures.paid("c\(i)-\(n)", "\(i * 100).00", at: t0 - .days(Int64(11 - i) + Int64(n) * 0), customer: "shopify:rfm.example:\(i)"))
            }
        }
        try await harness.publish(events)
        try await harness.settle()
        try await harness.advance(by: .days(1))
        var segments: [Int: String] = [:]
        for i in 1...10 {
            let profile = try #require(try await harness.profile("shopify:rfm.example:\(i)"))
            let rfm = try #require(profile.rfm)
            #expect(rfm.frequency == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5][i - 1])
            #expect(rfm.recency == rfm.frequency)
            segments[i] = rfm.segment.rawValue
        }
        #expect(segments[10] == "champions")
        #expect(segments[1] == "lost")
        let changes = try await harness.published(SegmentChanged.eventType)
        #expect(changes.count == 10)
        let cuts = try await harness.client.send(["GET", ClassificationKeys(Partition(0)).cuts]).string
        #expect(cuts?.contains("\"population\":10") == true)

        // The next day nothing moved: no new segment events.
        try await harness.advance(by: .days(1))
        #expect(try await harness.published(SegmentChanged.eventType).count == 10)
    }

    @Test("erasure removes the profile and its index entries, and a late older event does not bring it back")
    func erasure() async throws {
        let customer = "shopify:erase.example:1"
        let t0 = harness.clock.now()
        try await harness.publish([
            try Fixtures.upserted(personal: ["email": "sealed"], id: "erase-upsert", customer: customer),
            try Fixtures.paid("e1", "20000.00", at: t0, customer: customer),
        ])
        try await harness.settle()
        let keys = harness.keys(of: customer)
        #expect(try await harness.client.send(["ZSCORE", keys.tier("B"), customer]).string == "0")

        harness.clock.advance(by: .seconds(10))
        let redact = try Fixtures.envelope(CustomerRedacted(requestedAt: harness.clock.now()), id: "redact-1", customer: customer, occurred: harness.clock.now())
        try await harness.publish([redact, try Fixtures.paid("e0", "50.00", at: t0 - .days(1), customer: customer)])
        try await harness.settle()
        #expect(try await harness.profile(customer) == nil)
        for index in [keys.tier("B"), keys.tier("C"), keys.everyone, keys.churn, keys.recencyValues] {
            #expect(try await harness.client.send(["ZSCORE", index, customer]).isNull, "\(index)")
        }
        let audit = try await harness.audit(customer)
        #expect(audit.last?.action == "erased")
        #expect(audit.last?.cause == "redact-1")
    }

    @Test("shop.redacted erases every customer of that store, in every partition, and no one else")
    func shopRedaction() async throws {
        let t0 = harness.clock.now()
        let doomed = (1...6).map { "shopify:gone.example:\($0)" }
        let kept = "shopify:stays.example:1"
        try await harness.publish(try (doomed + [kept]).map { try Fixtures.paid("s-\($0)", "10.00", at: t0, customer: $0) })
        try await harness.settle()
        try await harness.publishEverywhere(try Fixtures.envelope(
            ShopRedacted(source: "shopify", store: "gone.example", requestedAt: harness.clock.now()), id: "shop-redact", customer: ""))
        try await harness.settle()
        for customer in doomed { #expect(try await harness.profile(customer) == nil) }
        #expect(try await harness.profile(kept) != nil)
    }

    @Test("a data request writes classification's part of the export, personal fields opened, for seven days")
    func dataExport() async throws {
        let customer = "shopify:export.example:7"
        let keys = try #require(harness.customerKeys)
        let clock = harness.clock
        let sealed = try await harness.client.commit(clock: clock) { transaction in
            try keys.seal(["email": "ana@example.com", "birthday": "1990-05-04"], customer: customer, in: transaction)
        }
        try await harness.publish([
            try Fixtures.upserted(personal: sealed, id: "export-upsert", customer: customer),
            try Fixtures.paid("x1", "10.00", at: harness.clock.now(), customer: customer),
            try Fixtures.envelope(CustomerDataRequested(requestID: "req-1", requestedAt: harness.clock.now()), id: "data-request", customer: customer),
        ])
        try await harness.settle()
        let exportKey = harness.keys(of: customer).export(request: "req-1", customer: customer)
        let text = try #require(try await harness.client.send(["GET", exportKey]).string)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let profile = try #require(json["profile"] as? [String: Any])
        let personal = try #require(profile["personal"] as? [String: Any])
        #expect((personal["fields"] as? [String: String])?["email"] == "ana@example.com")
        #expect(profile["tier"] != nil)
        let ttl = try #require(try await harness.client.send(["PTTL", exportKey]).int)
        #expect(ttl > 6 * 86_400_000 && ttl <= 7 * 86_400_000)
        // The stored profile keeps only the sealed value.
        let stored = try #require(try await harness.client.send(["GET", harness.keys(of: customer).profile(customer)]).string)
        #expect(!stored.contains("ana@example.com"))
    }

    @Test("an event without a customer ends in the dead letters instead of blocking the stream")
    func missingCustomer() async throws {
        let bad = try Fixtures.envelope(try OrderPaid(order: Fixtures.summary("z", total: Fixtures.cny("1.00"), placedAt: Fixtures.start), paidAt: Fixtures.start), id: "no-customer", customer: "")
        _ = try await harness.client.send(["XADD", Keyspace.stream("intake", Partition(0)), "*"] + bad.fields.flatMap { [$0.0, $0.1] })
        let dead = try await eventually(timeout: .seconds(15)) { try await self.harness.deadLetters() == 1 }
        #expect(dead)
    }
}
