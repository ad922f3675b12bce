import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Notifications
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Notifications: contact book to channel", .serialized, .timeLimit(.minutes(2)))
struct DeliveryTests {
    let ana = "shopify:snow.myshopify.com:1001"
    let bo = "shopify:snow.myshopify.com:1002"

    @Test("a real SMTP server receives the rendered birthday e-mail in each customer's language")
    func birthdayOverSMTP() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sink = try HelperProcess(script: "smtp_sink.py", arguments: [folder.path])
        let harness = try Harness(
            rules: """
            notifications:
              smtp: {url: "smtp://127.0.0.1:\(sink.port)", from: "care@snow.example"}
              shop_name: Snow
            """,
            start: mayMorning, channels: nil)
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "first_name": "Ana", "birthday": "1990-05-17"],
                                 language: "en", timeZone: "Asia/Shanghai")
        try await harness.upsert(bo, personal: ["email": "bo@example.com", "first_name": "波", "birthday": "--05-17"],
                                 language: "zh-CN", timeZone: "Asia/Shanghai")
        // 09:00 in Shanghai on 17 May is 01:00 UTC, thirteen hours after the start.
        let due = mayMorning + .seconds(13 * 3600)
        #expect(try await eventually { try await harness.timerDue("birthday:\(bo)", customer: bo) == due })
        #expect(try await harness.timerDue("birthday:\(ana)", customer: ana) == due)

        harness.clock.set(due)
        try await harness.releaseTimers()
        #expect(try await eventually { try await harness.outboxLength() == 2 })
        try await harness.sendOutbox()
        #expect(try await eventually { (try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.count) == 2 })

        var bodies: [String: (subject: String, text: String)] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".eml") {
            let raw = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            bodies[Self.recipient(raw)] = (Self.subject(raw), Self.textPart(raw))
        }
        #expect(bodies["<ana@example.com>"]?.subject == "Happy birthday from Snow")
        #expect(bodies["<ana@example.com>"]?.text.hasPrefix("Happy birthday, Ana!") == true)
        #expect(bodies["<ana@example.com>"]?.text.contains("/v1/unsubscribe?c=") == true)
        #expect(bodies["<bo@example.com>"]?.subject == "Snow祝您生日快乐")
        #expect(bodies["<bo@example.com>"]?.text.hasPrefix("波，生日快乐！") == true)
        let sent = try await harness.history(ana)
        #expect(sent.map(\.status) == [.sent])
        #expect(try await harness.entries(stream: "notifications", type: "notification.sent") == 2)
        // Next year's greeting is already scheduled.
        #expect(try await harness.timerDue("birthday:\(ana)", customer: ana) == due + .seconds(365 * 86400))
    }

    @Test("an HTTP provider that answers 500 three times then 200 gets exactly one accepted delivery")
    func retriesUntilAccepted() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-\(UUID().uuidString).log")
        let receiver = try HelperProcess(script: "flaky_receiver.py", arguments: ["3", log.path])
        let harness = try Harness(
            rules: """
            notifications:
              sms: {url: "http://127.0.0.1:\(receiver.port)/send"}
            """,
            start: mayMorning, channels: nil, settings: { $0.retry = RetryPolicy(maxAttempts: 5, base: .seconds(1), cap: .seconds(8)) })
        let worker = harness.app.worker
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["phone": "+8613800000000", "first_name": "Ana"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publishRaw(type: "points.earned", data: #"{"points":120}"#, customer: ana, stream: "loyalty")
        #expect(try await eventually { try await harness.outboxLength() == 1 })

        var record: DeliveryRecord?
        for _ in 0..<8 {
            try await harness.sendOutbox(worker: worker)
            record = try await harness.history(ana).first
            if record?.status == .sent { break }
            #expect(record?.status == .retrying)
            harness.clock.advance(by: .seconds(10))
            try await harness.releaseTimers()
            _ = try await eventually { try await harness.outboxLength() == 1 }
        }
        #expect(record?.status == .sent)
        #expect(record?.attempts == 4)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.map { $0.split(separator: " ")[0] } == ["500", "500", "500", "200"])
        #expect(Set(lines.map { $0.split(separator: " ")[1] }) == [Substring(record?.id ?? "")])
        try await harness.sendOutbox(worker: worker)
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 4)
        #expect(try await harness.entries(stream: "notifications", type: "notification.sent") == 1)
    }

    @Test("a 4xx is not retried: the delivery is dead-lettered, listed as failed, and re-sendable")
    func permanentFailure() async throws {
        let harness = try Harness(start: mayMorning, channels: [.sms: RejectingChannel()], settings: {
            $0.sms = .init(url: "http://127.0.0.1:1/", token: nil)
        })
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["phone": "+8613800000000"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })
        try await harness.publishRaw(type: "complaint.opened", data: #"{"complaintID":"C-7"}"#, customer: ana, stream: "complaints")
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        let failed = try #require(try await harness.history(ana).first)
        #expect(failed.status == .failed)
        #expect(failed.attempts == 1)

        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: harness.runtime.authenticator))
        harness.app.registerRoutes(on: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/deliveries?status=failed", method: .get, headers: [.authorization: "Bearer admin-token"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(failed.id))
            }
            try await client.execute(uri: "/v1/deliveries/\(failed.id)/retry", method: .post, headers: [.authorization: "Bearer admin-token"]) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/v1/deliveries/\(failed.id)/retry", method: .post, headers: [.authorization: "Bearer admin-token"]) { response in
                #expect(response.status == .conflict)
            }
        }
        #expect(try await harness.delivery(failed.id)?.status == .queued)
        #expect(try await harness.outboxLength() == 1)
    }

    @Test("marketing refused through the API is not sent, while a service message still is")
    func marketingRefusedServiceSent() async throws {
        let email = RecordingChannel()
        let harness = try Harness(start: mayMorning, channels: [.email: email], settings: {
            $0.smtp = .init(url: "smtp://unused", from: "care@snow.example")
        })
        try await harness.startConsumers()
        try await harness.upsert(ana, personal: ["email": "ana@example.com", "birthday": "05-17"], language: "en", timeZone: "Asia/Shanghai")
        #expect(try await eventually { try await harness.contact(ana) != nil })

        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: harness.runtime.authenticator))
        harness.app.registerRoutes(on: router)
        try await Application(router: router).test(.router) { client in
            let encoded = try #require(CustomerID(ana)).percentEncoded
            try await client.execute(
                uri: "/v1/customers/\(encoded)/preferences", method: .put, headers: [.authorization: "Bearer admin-token"],
                body: ByteBuffer(string: #"{"email": {"marketing": false}}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/customers/\(encoded)/preferences", method: .put, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try await harness.contact(ana)?.preferences["email"]?["marketing"] == false)

        harness.clock.set(mayMorning + .seconds(13 * 3600))
        try await harness.releaseTimers()
        try await harness.publishRaw(type: "points.earned", data: #"{"points":5}"#, customer: ana, stream: "loyalty")
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.purpose) == ["points_earned"])
        #expect(email.messages.first?.unsubscribeURL == nil)
    }

    @Test("quiet hours defer a non-urgent message to 09:00 in the customer's own time zone")
    func quietHoursDefer() async throws {
        let email = RecordingChannel()
        let harness = try Harness(start: mayMorning, channels: [.email: email], settings: {
            $0.smtp = .init(url: "smtp://unused", from: "care@snow.example")
        })
        try await harness.startConsumers()
        // 12:00 UTC is 08:00 in New York (quiet) and 20:00 in Shanghai (not yet).
        try await harness.upsert(ana, personal: ["email": "ana@example.com"], language: "en", timeZone: "America/New_York")
        try await harness.upsert(bo, personal: ["email": "bo@example.com"], language: "zh-CN", timeZone: "Asia/Shanghai")
        #expect(try await eventually { let a = try await harness.contact(ana); let b = try await harness.contact(bo); return a != nil && b != nil })
        try await harness.publishRaw(type: "points.earned", data: #"{"points":5}"#, customer: ana, stream: "loyalty")
        try await harness.publishRaw(type: "points.earned", data: #"{"points":5}"#, customer: bo, stream: "loyalty")
        #expect(try await eventually { try await harness.history(ana).first?.status == .deferred })
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.customer) == [bo])

        let deferred = try #require(try await harness.history(ana).first)
        let nineInNewYork = mayMorning + .seconds(3600)
        #expect(deferred.nextAttemptAt == nineInNewYork)
        #expect(try await harness.timerDue("delivery:\(deferred.id)", customer: ana) == nineInNewYork)

        harness.clock.set(nineInNewYork)
        try await harness.releaseTimers()
        #expect(try await eventually { try await harness.outboxLength() == 1 })
        try await harness.sendOutbox()
        #expect(email.messages.map(\.customer) == [bo, ana])
    }

    @Test("three replicas racing on the same birthday timers send exactly one greeting per customer")
    func replicasRace() async throws {
        let email = RecordingChannel()
        let harness = try Harness(start: mayMorning, channels: [.email: email], settings: {
            $0.smtp = .init(url: "smtp://unused", from: "care@snow.example")
        })
        try await harness.startConsumers(3)
        let customers = (0..<12).map { "shopify:snow.myshopify.com:\(2000 + $0)" }
        for customer in customers {
            try await harness.upsert(customer, personal: ["email": "\(customer.suffix(4))@example.com", "birthday": "05-17"],
                                     language: "en", timeZone: "Asia/Shanghai")
        }
        let due = mayMorning + .seconds(13 * 3600)
        for customer in customers {
            #expect(try await eventually { try await harness.timerDue("birthday:\(customer)", customer: customer) == due })
        }
        harness.clock.set(due)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await harness.releaseTimers() } }
            try await group.waitForAll()
        }
        #expect(try await eventually { try await harness.outboxLength() == customers.count })
        let workers = (0..<3).map { index in
            var dependencies = harness.app.worker.dependencies
            dependencies.consumer = "worker-\(index)"
            return DeliveryWorker(dependencies)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { try await harness.sendOutbox(worker: worker) } }
            try await group.waitForAll()
        }
        #expect(email.messages.count == customers.count)
        #expect(Set(email.messages.map(\.customer)) == Set(customers))
        // The same timer released again (a redelivery) adds nothing: the dedupe key holds.
        #expect(try await harness.outboxLength() == 0)
    }

    @Test("the revisit cadence follows the tier and produces account-manager tasks")
    func revisitCadence() async throws {
        let harness = try Harness(start: mayMorning, channels: [:])
        try await harness.startConsumers()
        let day: Int64 = 86400
        try await harness.upsert(ana, personal: [:], language: "en", timeZone: nil, createdAt: mayMorning - .seconds(400 * day))
        try await harness.upsert(bo, personal: [:], language: "en", timeZone: nil, createdAt: mayMorning)
        #expect(try await eventually { try await harness.timerDue("revisit:\(ana)", customer: ana) == mayMorning + .seconds(182 * day) })
        // New customers are visited every two weeks for their first three months.
        #expect(try await eventually { try await harness.timerDue("revisit:\(bo)", customer: bo) == mayMorning + .seconds(14 * day) })

        harness.clock.advance(by: .seconds(day))
        try await harness.publish(TierChanged(previous: "C", current: "A", reason: "threshold_crossed", changedAt: harness.clock.now()),
                                  customer: ana, stream: "customers")
        let monthly = mayMorning + .seconds(30 * day)
        #expect(try await eventually { try await harness.timerDue("revisit:\(ana)", customer: ana) == monthly })

        harness.clock.set(monthly)
        try await harness.releaseTimers()
        #expect(try await eventually { try await harness.timerDue("revisit:\(ana)", customer: ana) == monthly + .seconds(30 * day) })

        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: harness.runtime.authenticator))
        harness.app.registerRoutes(on: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/tasks?due_before=\(monthly.unixMilliseconds + 1)", method: .get,
                                     headers: [.authorization: "Bearer admin-token"]) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains(#""kind":"revisit""#))
                // Ana's monthly visit (tier A) and Bo's first fortnightly one (new customer).
                #expect(body.contains(#""customer":"\#(ana)","due":\#(monthly.unixMilliseconds)"#))
                #expect(body.contains(#""customer":"\#(bo)","due":\#((mayMorning + .seconds(14 * day)).unixMilliseconds)"#))
            }
        }
    }

    // MARK: MIME helpers

    static func recipient(_ raw: String) -> String {
        raw.split(separator: "\r\n").first.map { String($0.dropFirst("X-Rcpt: ".count)) }.map { "<\($0)>" } ?? ""
    }

    static func subject(_ raw: String) -> String {
        guard let line = raw.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("Subject: =?UTF-8?B?") }) else { return "" }
        let encoded = line.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
        return Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func textPart(_ raw: String) -> String {
        let parts = raw.components(separatedBy: "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        guard parts.count > 1 else { return "" }
        let encoded = parts[1].components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Refuses every message as a provider answering 400 would.
struct RejectingChannel: DeliveryChannel {
    func send(_ message: RenderedMessage) async throws -> DeliveryResult {
        throw DeliveryError.classify(httpStatus: 400, provider: "test provider")
    }
}
