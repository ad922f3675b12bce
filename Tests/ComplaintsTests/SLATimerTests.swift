import Foundation
import Model
import Streams
import Testing
import TestSupport
@testable import Complaints

@Suite("SLA timers over Redis with an injected clock", .timeLimit(.minutes(2)))
final class SLATimerTests {
    /// (deadline, instant) of every warning and breach so far.
    func deadlineEvents(_ harness: ComplaintsHarness) async throws -> [String] {
        try await harness.events().compactMap { envelope in
            switch envelope.type {
            case ComplaintSLAWarning.eventType:
                let event = try envelope.decode(ComplaintSLAWarning.self)
                return "warning \(event.which.rawValue) \(event.at)"
            case ComplaintSLABreached.eventType:
                let event = try envelope.decode(ComplaintSLABreached.self)
                return "breach \(event.which.rawValue) \(event.at)"
            default:
                return nil
            }
        }
    }

    @Test("a submitted complaint opens a case; the warning fires at 75% and the breach at 100%, each once, at their instants")
    func warningAndBreach() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let caseID = try await harness.submit("c1")
        try await harness.drain()
        let opened = try await harness.events(ComplaintOpened.self)
        #expect(opened == [ComplaintOpened(complaintID: caseID, priority: .normal, category: "delivery", at: monday, channel: .web, orderID: "o-c1", priorityHandling: false)])

        try await harness.advance(to: monday + hours(18) - .milliseconds(1))
        #expect(try await deadlineEvents(harness).isEmpty)
        try await harness.advance(to: monday + hours(18))
        #expect(try await deadlineEvents(harness) == ["warning first_reply \(monday + hours(18))"])
        try await harness.advance(to: monday + hours(24) - .milliseconds(1))
        try await harness.drain()
        #expect(try await deadlineEvents(harness).count == 1)
        try await harness.advance(to: monday + hours(24))
        #expect(try await deadlineEvents(harness) == ["warning first_reply \(monday + hours(18))", "breach first_reply \(monday + hours(24))"])
        #expect(try await harness.events(ComplaintEscalated.self).map(\.level) == ["team_lead"])
        let record = try #require(try await harness.load(caseID))
        #expect(record.breached && record.level == 1 && record.clocks.firstReply?.breachedAt == monday + hours(24))
        // Redelivery of the same submission changes nothing.
        try await harness.submit("c1", envelopeID: "intake-c1-again")
        try await harness.advance(to: monday + hours(30))
        #expect(try await harness.events(ComplaintOpened.self).count == 1)
        #expect(try await deadlineEvents(harness).count == 2)
    }

    @Test("an urgent complaint escalates on arrival, its breach climbs to the top level and a later breach goes no further")
    func urgentLadder() async throws {
        let harness = try ComplaintsHarness(rules: "complaints: {escalation_levels: [agent, team_lead, manager]}\n")
        try await harness.setUp()
        let caseID = try await harness.submit("u1", category: "delivery", text: "the heater started a fire")
        try await harness.drain()
        #expect(try await harness.events(ComplaintEscalated.self).map(\.level) == ["team_lead"])
        let opened = try #require(try await harness.load(caseID))
        #expect(opened.priority == .urgent && opened.priorityReasons == ["keyword"] && opened.level == 1)

        try await harness.advance(to: monday + hours(6))
        #expect(try await deadlineEvents(harness) == ["warning first_reply \(monday + hours(6))"])
        try await harness.advance(to: monday + hours(8))
        #expect(try await harness.events(ComplaintEscalated.self).map(\.level) == ["team_lead", "manager"])
        try await harness.advance(to: monday + hours(48))
        #expect(try await deadlineEvents(harness).filter { $0.hasPrefix("breach") } == [
            "breach first_reply \(monday + hours(8))", "breach resolution \(monday + hours(48))",
        ])
        #expect(try await harness.events(ComplaintEscalated.self).map(\.level) == ["team_lead", "manager"])
        let record = try #require(try await harness.load(caseID))
        #expect(record.level == 2 && record.breaches == [.firstReply, .resolution])
    }

    @Test("business hours: a Friday-afternoon case warns and breaches across the weekend and the holiday")
    func businessHours() async throws {
        let rules = """
            complaints:
              business_hours: {start: "09:00", end: "18:00", days: [mon, tue, wed, thu, fri], time_zone: Asia/Shanghai}
              holidays: ["2025-03-11"]
            """
        let friday = utc(2025, 3, 7, 8)  // 16:00 in Shanghai
        let harness = try ComplaintsHarness(rules: rules + "\n", start: friday)
        try await harness.setUp()
        try await harness.submit("b1")
        try await harness.drain()
        try await harness.advance(to: utc(2025, 3, 12, 8) - .milliseconds(1))  // Wednesday 15:59:59.999 Shanghai
        #expect(try await deadlineEvents(harness).isEmpty)
        try await harness.advance(to: utc(2025, 3, 12, 8))
        #expect(try await deadlineEvents(harness) == ["warning first_reply \(utc(2025, 3, 12, 8))"])
        try await harness.advance(to: utc(2025, 3, 14))
        #expect(try await deadlineEvents(harness) == [
            "warning first_reply \(utc(2025, 3, 12, 8))", "breach first_reply \(utc(2025, 3, 13, 5))",
        ])
    }

    @Test("waiting for the customer pauses the deadlines; answering resumes them where they stood")
    func pauseAndResume() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let caseID = try await harness.submit("p1")
        try await harness.drain()
        let partition = try #require(try await harness.service.routes.queries.locate(caseID))
        let desk = harness.service.desk
        func act(_ action: @escaping @Sendable (inout ComplaintCase, Timestamp) throws -> [CaseOutput]) async throws {
            _ = try await harness.runtime.redis.commit(clock: harness.clock) { transaction in
                try desk.change(caseID, partition: partition, actor: "desk", auditAction: "test", auditFields: ["status"], cause: "test", in: transaction) {
                    try action(&$0, transaction.now)
                }
            }
        }
        try await harness.advance(to: monday + hours(1))
        try await act { try desk.lifecycle.reply(&$0, by: "desk", sealedMessage: nil, awaitingCustomer: true, now: $1) }
        // Paused from 1 h to 41 h: neither the update warning (would be 37 h) nor the resolution warning fires.
        try await harness.advance(to: monday + hours(41))
        #expect(try await deadlineEvents(harness).isEmpty)
        try await act { try desk.lifecycle.changeStatus(&$0, to: .investigating, by: "desk", now: $1) }
        try await harness.advance(to: monday + hours(41 + 36) - .milliseconds(1))
        #expect(try await deadlineEvents(harness).isEmpty)
        try await harness.advance(to: monday + hours(41 + 36))
        #expect(try await deadlineEvents(harness) == ["warning update \(monday + hours(77))"])
        // Resolution: 1 h used before the pause, warning at 90 h used, so 41 + 89 = 130 h.
        try await harness.advance(to: monday + hours(130))
        #expect(try await deadlineEvents(harness).suffix(2) == ["breach update \(monday + hours(89))", "warning resolution \(monday + hours(130))"])
    }

    @Test("a resolved case announces its follow-up three days later, once")
    func followUp() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let caseID = try await harness.submit("f1")
        try await harness.drain()
        let partition = try #require(try await harness.service.routes.queries.locate(caseID))
        let desk = harness.service.desk
        try await harness.advance(to: monday + hours(2))
        _ = try await harness.runtime.redis.commit(clock: harness.clock) { transaction in
            try desk.change(caseID, partition: partition, actor: "desk", auditAction: "test", auditFields: [], cause: "test", in: transaction) {
                try desk.lifecycle.resolve(&$0, rootCause: "courier", compensation: .none, sealedNote: [:], by: "desk", now: transaction.now)
            }
        }
        try await harness.advance(to: monday + hours(2 + 72) - .milliseconds(1))
        #expect(try await harness.events(ComplaintFollowUpDue.self).isEmpty)
        try await harness.advance(to: monday + hours(200))
        #expect(try await harness.events(ComplaintFollowUpDue.self).map(\.at) == [monday + hours(74)])
        #expect(try await deadlineEvents(harness).isEmpty)
    }

    @Test("a tier change flags the customer's open cases and new ones for priority handling")
    func tierFlag() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let customer = "shopify:dev.myshopify.com:7"
        let first = try await harness.submit("t1", customer: customer)
        try await harness.drain()
        #expect(try await harness.load(first)?.priorityHandling == false)
        try await harness.tierChanged(customer, to: "Gold")
        try await harness.drain()
        #expect(try await harness.load(first)?.priorityHandling == true)
        let second = try await harness.submit("t2", customer: customer)
        try await harness.drain()
        let record = try #require(try await harness.load(second))
        #expect(record.priorityHandling && record.tier == "Gold" && record.priority == .normal)
    }

    @Test("erasure removes the sealed fields and the customer's index entries; the case stays for the reports")
    func erasure() async throws {
        let harness = try ComplaintsHarness()
        try await harness.setUp()
        let customer = "shopify:dev.myshopify.com:9"
        let caseID = try await harness.submit("e1", customer: customer)
        try await harness.drain()
        let partition = harness.partitioning.partition(ofCustomer: customer)
        let envelope = try Envelope.make(
            CustomerRedacted(requestedAt: harness.clock.now()), id: "redact-9", customer: customer,
            occurred: harness.clock.now(), recorded: harness.clock.now(), source: "shopify", correlation: "redact", cause: nil)
        try await harness.append(envelope, to: "intake")
        try await harness.drain()
        let record = try #require(try await harness.load(caseID))
        #expect(record.personal.isEmpty && record.erasedAt == monday && record.category == "delivery")
        #expect(try await harness.runtime.redis.send(["EXISTS", CaseKeys.index(partition, .customer(customer))]).int == 0)
        #expect(try await harness.runtime.redis.send(["EXISTS", Keyspace.dataKey(customer: customer, partition)]).int == 0)
        #expect(try await harness.runtime.redis.send(["HEXISTS", CaseKeys.facts(partition), caseID]).int == 1)
        let audit = try await harness.service.routes.queries.audit(customer: customer, after: nil, limit: 10).records.map(\.record)
        #expect(audit.map(\.action) == ["complaint.opened", "erased"])
        #expect(audit[1].fields == ["contact", "text", "tier"])
    }
}
