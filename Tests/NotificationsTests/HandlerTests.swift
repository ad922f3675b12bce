import Foundation
import Model
@testable import Notifications
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Notifications: data requests, shop erasure, holidays, churn, webhook", .serialized, .timeLimit(.minutes(2)))
struct HandlerTests {
    let ana = "shopify:snow.myshopify.com:1001"
    let bo = "shopify:snow.myshopify.com:1002"

    static func emailHarness(_ settings: @escaping (inout NotificationSettings) -> Void = { _ in }) throws -> (Harness, RecordingChannel) {
        let email = RecordingChannel()
        let harness = try Harness(start: mayMorning, channels: [.email: email], settings: {
            $0.smtp = .init(url: "smtp://unused", from: "care@snow.example")
            settings(&$0)
        })
        return (harness, email)
    }

    static func tasks(_ harness: Harness, of customer: String) async throws -> [CareTask] {
        let partition = harness.partition(of: customer)
        return try await harness.runtime.redis.commit(clock: harness.clock) { tx in
            try ContactBook(partition: partition, transaction: tx).tasks(of: customer)
        }
    }

    @Test("customer.data_requested writes the export with personal fields still sealed, for 30 days")
    func dataRequestExport() async throws {
        let (harness, email) = try Self.emailHarness()
        try await harness.startConsumers()
        let personal = ["email": "ana@example.com", "phone": "+8613800000000", "birthday": "1990-07-01", "first_name": "Ana"]
        try await harness.upsert(ana, personal: personal, language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publishRaw(type: "points.earned", data: #"{"points":120}"#, customer: ana, stream: "loyalty")
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.count == 1)

        try await harness.publish(CustomerDataRequested(requestID: "R-77", requestedAt: harness.clock.now()), customer: ana, stream: "intake")
        // A request for a customer notifications never heard of exports nothing.
        let stranger = "shopify:snow.myshopify.com:4040"
        try await harness.publish(CustomerDataRequested(requestID: "R-77", requestedAt: harness.clock.now()), customer: stranger, stream: "intake")
        let key = NotificationKeys(harness.partition(of: ana)).export("R-77", ana)
        #expect(try await eventually { try await harness.server.send(["EXISTS", key]).int == 1 })

        let text = try #require(try await harness.server.send(["GET", key]).string)
        for value in personal.values where value.count >= 10 { #expect(!text.contains(value)) }
        let export = try JSONText.decode(DataExport.self, text)
        #expect(export.contact.customer == ana)
        #expect(Set(export.contact.personal.keys) == Set(personal.keys))
        #expect(export.contact.language == "en")
        #expect(export.deliveries.map(\.purpose) == ["points_earned"])
        #expect(export.deliveries.map(\.status) == [.sent])
        // Sealed under Ana's own data key: the exporter opens them to the original values.
        let customerKeys = harness.keys
        let (sealed, customer) = (export.contact.personal, ana)
        let opened = try await harness.runtime.redis.commit(clock: harness.clock) { tx in
            try customerKeys.open(sealed, customer: customer, in: tx)
        }
        #expect(opened == personal)
        let ttl = try #require(try await harness.server.send(["PTTL", key]).int)
        #expect(ttl > 30 * 86_400_000 - 60_000 && ttl <= 30 * 86_400_000)
        let strangerKey = NotificationKeys(harness.partition(of: stranger)).export("R-77", stranger)
        #expect(try await harness.server.send(["EXISTS", strangerKey]).int == 0)
    }

    @Test("shop.redacted erases every customer of that store in every partition and leaves other stores alone")
    func shopRedacted() async throws {
        let (harness, _) = try Self.emailHarness()
        try await harness.startConsumers()
        let snow = (0..<6).map { "shopify:snow.myshopify.com:\(3000 + $0)" }
        let other = (0..<3).map { "shopify:other.myshopify.com:\(3000 + $0)" }
        #expect(Set(snow.map { harness.partition(of: $0).index }).count == 2)
        for customer in snow + other {
            try await harness.upsert(customer, personal: ["email": "\(customer.suffix(4))@example.com", "birthday": "07-01"],
                                     language: "en", timeZone: "Asia/Shanghai")
        }
        for customer in snow + other {
            #expect(try await eventually { try await harness.timerDue("birthday:\(customer)", customer: customer) != nil })
        }

        // Intake appends the same envelope to every partition, addressed to no customer.
        let now = harness.clock.now()
        let envelope = try Envelope.make(
            ShopRedacted(source: "shopify", store: "snow.myshopify.com", requestedAt: now), id: "shop-redact-1", customer: "",
            occurred: now, recorded: now, source: "shopify", correlation: "shop-redact-1", cause: nil)
        for partition in harness.runtime.partitioning.all {
            _ = try await StreamProducer(redis: harness.runtime.redis).append(envelope, to: Keyspace.stream("intake", partition))
        }
        for customer in snow {
            #expect(try await eventually { try await harness.contact(customer) == nil })
            #expect(try await harness.timerDue("birthday:\(customer)", customer: customer) == nil)
            #expect(try await harness.timerDue("revisit:\(customer)", customer: customer) == nil)
            let keys = NotificationKeys(harness.partition(of: customer))
            #expect(try await harness.server.send(["SISMEMBER", keys.customers, customer]).int == 0)
        }
        for customer in other {
            #expect(try await harness.contact(customer) != nil)
            #expect(try await harness.timerDue("birthday:\(customer)", customer: customer) != nil)
            #expect(try await harness.timerDue("revisit:\(customer)", customer: customer) != nil)
        }
        // Each erasure is in the trail, caused by the shop request.
        var erased: [String] = []
        for partition in harness.runtime.partitioning.all {
            for item in try await harness.server.send(["XRANGE", Keyspace.audit(partition), "-", "+"]).array ?? [] {
                guard let fields = item.array?.last?.fieldMap, let record = try? AuditRecord(streamFields: fields),
                      record.action == "erased" else { continue }
                #expect(record.cause == "shop-redact-1")
                erased.append(record.customer)
            }
        }
        #expect(erased.sorted() == snow.sorted())
    }

    @Test("a configured holiday greeting is scheduled and sent once a year, and not at all without marketing consent")
    func holidayGreeting() async throws {
        let (harness, email) = try Self.emailHarness {
            $0.holidays = [.init(name: "Dragon Boat", date: "2026-06-19", purpose: "holiday")]
        }
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "first_name": "Ana"], language: "en", timeZone: "Asia/Shanghai")
        try await harness.upsert(bo, personal: ["email": "bo@example.com"], language: "zh-CN", timeZone: "Asia/Shanghai", marketing: false)
        // 09:00 in Shanghai on 19 June is 01:00 UTC.
        let due = Timestamp(unixMilliseconds: 1_781_830_800_000)
        for customer in [ana, bo] {
            #expect(try await eventually { try await harness.timerDue("holiday:Dragon Boat:2026-06-19:\(customer)", customer: customer) == due })
        }
        // Intake reporting Ana again moves nothing and adds no second timer.
        harness.clock.advance(by: .seconds(60))
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "first_name": "Ana"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana)?.updatedAt == harness.clock.now() })
        let holidayTimers = try await harness.server.send(
            ["ZRANGE", Keyspace.timers(service: "notifications", harness.partition(of: ana)), "0", "-1"]
        ).array?.compactMap(\.string).filter { $0 == "holiday:Dragon Boat:2026-06-19:\(ana)" }
        #expect(holidayTimers?.count == 1)

        harness.clock.set(due)
        try await harness.releaseTimers()
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.customer) == [ana])
        #expect(email.messages.first?.purpose == "holiday")
        #expect(email.messages.first?.text.contains("Dragon Boat") == true)
        #expect(email.messages.first?.unsubscribeURL != nil)
        // Bo refused marketing: nothing was queued for him.
        #expect(try await harness.history(bo).isEmpty)

        // The same year's greeting arriving again (a second schedule, a replayed timer) is
        // dropped; next year's goes. Both on the timer stream, so the second proves the first
        // was handled.
        let timers = "timers:notifications"
        try await harness.publish(CareDue(kind: .holiday, period: "2026-06-19", holiday: "Dragon Boat", purpose: "holiday"),
                                  customer: ana, stream: timers)
        try await harness.publish(CareDue(kind: .holiday, period: "2027-06-19", holiday: "Dragon Boat", purpose: "holiday"),
                                  customer: ana, stream: timers)
        #expect(try await eventually { try await harness.history(ana).count == 2 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.purpose) == ["holiday", "holiday"])
        #expect(try await harness.history(ana).map(\.job.period) == ["2027-06-19", "2026-06-19"])
        #expect(try await harness.outboxLength() == 0)
    }

    @Test("a holiday date without its year is refused at start-up instead of never being sent")
    func holidayWithoutYear() throws {
        let error = #expect(throws: (any Error).self) {
            _ = try Harness(rules: """
                notifications:
                  holidays: [{name: National Day, date: "10-01"}]
                """, start: mayMorning, channels: [:])
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("holidays"))
        #expect(throws: Never.self) {
            _ = try Harness(rules: """
                notifications:
                  holidays: [{name: National Day, date: "2026-10-01"}]
                """, start: mayMorning, channels: [:])
        }
    }

    @Test("churn.risk_raised gives the account manager a task each time and the customer one retention offer a month")
    func churnRisk() async throws {
        let (harness, email) = try Self.emailHarness()
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "first_name": "Ana"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publish(TierChanged(previous: nil, current: "B", reason: "threshold_crossed", changedAt: harness.clock.now()),
                                  customer: ana, stream: "customers")

        try await harness.publish(ChurnRiskRaised(score: 72, threshold: 70, raisedAt: harness.clock.now()), customer: ana, stream: "customers")
        try await harness.publish(ChurnRiskRaised(score: 85, threshold: 70, raisedAt: harness.clock.now()), customer: ana, stream: "customers")
        #expect(try await eventually { try await Self.tasks(harness, of: ana).count == 2 })
        let tasks = try await Self.tasks(harness, of: ana)
        #expect(Set(tasks.map(\.kind)) == [.churnAlert])
        #expect(Set(tasks.compactMap(\.detail)) == ["72", "85"])
        #expect(Set(tasks.map(\.due)) == [mayMorning])
        #expect(Set(tasks.compactMap(\.tier)) == ["B"])
        #expect(try await harness.outboxLength() == 1)
        try await harness.sendOutbox()
        #expect(email.messages.map(\.purpose) == ["retention_offer"])
        #expect(email.messages.first?.unsubscribeURL != nil)

        // Later the same month: a task, no second offer.
        harness.clock.advance(by: .seconds(10 * 86400))
        try await harness.publish(ChurnRiskRaised(score: 90, threshold: 70, raisedAt: harness.clock.now()), customer: ana, stream: "customers")
        #expect(try await eventually { try await Self.tasks(harness, of: ana).count == 3 })
        #expect(try await harness.outboxLength() == 0)
        // The next month: a new offer.
        harness.clock.advance(by: .seconds(10 * 86400))
        try await harness.publish(ChurnRiskRaised(score: 91, threshold: 70, raisedAt: harness.clock.now()), customer: ana, stream: "customers")
        #expect(try await eventually { try await Self.tasks(harness, of: ana).count == 4 })
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.purpose) == ["retention_offer", "retention_offer"])
        #expect(try await harness.history(ana).map(\.job.period) == ["2026-06", "2026-05"])
        // A customer notifications does not know gets neither. The tier change after it on the
        // same stream creates Bo's entry, which shows the risk was handled before it.
        try await harness.publish(ChurnRiskRaised(score: 99, threshold: 70, raisedAt: harness.clock.now()), customer: bo, stream: "customers")
        try await harness.publish(TierChanged(previous: nil, current: "C", reason: "initial", changedAt: harness.clock.now()),
                                  customer: bo, stream: "customers")
        #expect(try await eventually { try await harness.contact(bo) != nil })
        #expect(try await Self.tasks(harness, of: bo).isEmpty)
        #expect(try await harness.history(bo).isEmpty)
    }

    private struct ReceivedWebhook: Decodable {
        var id: String
        var timestamp: String
        var valid: Bool
        var contentType: String?
        var body: String
    }

    private struct WebhookBody: Decodable {
        struct Payload: Decodable {
            var deliveryID: String
            var customer: String
            var purpose: String
            var language: String
            var subject: String
            var text: String
        }

        var type: String
        var timestamp: String
        var data: Payload
    }

    @Test("the signed webhook reaches a loopback receiver that verifies its Standard Webhooks signature")
    func signedWebhook() async throws {
        let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString).log")
        let receiver = try HelperProcess(script: "webhook_receiver.py", arguments: [secret, log.path])
        let url = "http://127.0.0.1:\(receiver.port)/rapport"
        func received() throws -> [ReceivedWebhook] {
            guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
            return try text.split(separator: "\n").map { try JSONDecoder().decode(ReceivedWebhook.self, from: Data($0.utf8)) }
        }

        let harness = try Harness(start: mayMorning, channels: nil, settings: { $0.webhook = .init(url: url, secret: secret) })
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["first_name": "Ana"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publishRaw(type: "complaint.opened", data: #"{"complaintID":"C-9"}"#, customer: ana, stream: "complaints")
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()

        let record = try #require(try await harness.history(ana).first)
        #expect(record.channel == .webhook)
        #expect(record.status == .sent)
        let requests = try received()
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.valid)
        #expect(request.id == record.id)
        #expect(request.timestamp == String(mayMorning.unixMilliseconds / 1000))
        #expect(request.contentType == "application/json")
        let body = try JSONDecoder().decode(WebhookBody.self, from: Data(request.body.utf8))
        #expect(body.type == "notification.complaint_opened")
        #expect(body.data.deliveryID == record.id)
        #expect(body.data.customer == ana)
        #expect(body.data.language == "en")
        #expect(!body.data.subject.isEmpty)
        #expect(body.data.text.contains("C-9"))
        #expect(try await harness.entries(stream: "notifications", type: "notification.sent") == 1)

        // Signed with another secret, the receiver refuses it: a 401 is final, never retried.
        let wrong = "whsec_" + Data(repeating: 9, count: 32).base64EncodedString()
        let other = try Harness(start: mayMorning, channels: nil, settings: { $0.webhook = .init(url: url, secret: wrong) })
        try await other.startConsumers()
        try await other.upsert(bo, personal: [:], language: "zh-CN", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await other.contact(bo) != nil })
        try await other.publishRaw(type: "complaint.opened", data: #"{"complaintID":"C-10"}"#, customer: bo, stream: "complaints")
        #expect(try await eventually { try await other.outboxLength() == 1 })
        try await other.sendOutbox()
        let refused = try #require(try await other.history(bo).first)
        #expect(refused.status == .failed)
        #expect(refused.attempts == 1)
        #expect(refused.lastError?.contains("401") == true)
        #expect(try received().map(\.valid) == [true, false])
    }
}
