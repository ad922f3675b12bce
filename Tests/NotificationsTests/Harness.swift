import Foundation
import Logging
import Model
@testable import Notifications
import ServiceSupport
import Streams
import Synchronization
import TestSupport

/// One notifications deployment against a real redis-server, driven by a manual clock: the
/// consumers run in the background, timers are released and the outbox is sent by the test.
final class Harness: @unchecked Sendable {
    // @unchecked: every property is set once in init and only read after.
    let server: RedisServer
    let clock: ManualTimeSource
    let runtime: ServiceRuntime
    let app: NotificationsApp
    let keys: CustomerKeys
    private var tasks: [Task<Void, Never>] = []

    static let masterKey = Data(repeating: 5, count: 32).base64EncodedString()

    init(
        rules: String = "", start: Timestamp, channels: [ChannelKind: any DeliveryChannel]?,
        settings: (inout NotificationSettings) -> Void = { _ in }, server: RedisServer? = nil
    ) throws {
        self.server = try server ?? RedisServer()
        clock = ManualTimeSource(start)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-notifications-\(UUID().uuidString).yaml")
        try rules.write(to: path, atomically: true, encoding: .utf8)
        let configuration = try RapportConfiguration.load(service: .notifications, environment: [
            "RAPPORT_REDIS_URL": self.server.url, "RAPPORT_ADMIN_TOKEN": "admin-token", "RAPPORT_MASTER_KEY": Self.masterKey,
            "RAPPORT_PARTITIONS": "2", "RAPPORT_CONFIG": path.path,
        ])
        runtime = try ServiceRuntime(configuration: configuration, clock: clock, logger: Logger(label: "test.notifications"))
        var resolved = try NotificationSettings(rules: configuration.rules)
        settings(&resolved)
        app = try NotificationsApp(runtime: runtime, settings: resolved, channels: channels)
        keys = CustomerKeys(keyring: try requireKeyring(configuration), partitioning: runtime.partitioning)
    }

    deinit {
        for task in tasks { task.cancel() }
        let redis = runtime.redis
        Task { await redis.shutdown() }
    }

    /// Starts `count` consumer replicas of the handler.
    func startConsumers(_ count: Int = 1) async throws {
        for index in 0..<count {
            var configuration = runtime.consumerConfiguration
            configuration.consumer = "replica-\(index)"
            configuration.block = .milliseconds(50)
            configuration.claimInterval = .milliseconds(100)
            let consumer = StreamConsumer(
                redis: runtime.redis, configuration: configuration, handler: app.handler, clock: clock, logger: runtime.logger)
            try await consumer.createGroups()
            tasks.append(Task { try? await consumer.run() })
        }
    }

    func partition(of customer: String) -> Partition { runtime.partitioning.partition(ofCustomer: customer) }

    /// Appends an event for `customer` to `stream`, as its producer would.
    func publish<E: DomainEvent>(_ event: E, customer: String, stream: String, id: String = UUID().uuidString) async throws {
        let now = clock.now()
        let envelope = try Envelope.make(
            event, id: id, customer: customer, occurred: now, recorded: now, source: "test", correlation: id, cause: nil)
        _ = try await StreamProducer(redis: runtime.redis).append(envelope, to: Keyspace.stream(stream, partition(of: customer)))
    }

    /// Publishes raw event data of another service's type (points.earned, complaint.opened, ...).
    func publishRaw(type: String, data: String, customer: String, stream: String, id: String = UUID().uuidString) async throws {
        let now = clock.now()
        let envelope = Envelope(
            id: id, type: type, version: 1, customer: customer, occurred: now, recorded: now, source: "test",
            correlation: id, cause: nil, data: data)
        _ = try await StreamProducer(redis: runtime.redis).append(envelope, to: Keyspace.stream(stream, partition(of: customer)))
    }

    /// A `customer.upserted` with sealed personal fields, as intake sends it.
    func upsert(
        _ customer: String, personal: [String: String], language: String?, timeZone: String?,
        marketing: Bool = true, createdAt: Timestamp? = nil
    ) async throws {
        let keys = self.keys
        let sealed = try await runtime.redis.commit(clock: clock) { tx in try keys.seal(personal, customer: customer, in: tx) }
        let event = CustomerUpserted(
            externalID: String(customer.split(separator: ":").last ?? ""), personal: sealed, language: language,
            timeZone: timeZone, consent: ChannelConsent(emailMarketing: marketing, smsMarketing: marketing),
            createdAt: createdAt, updatedAt: clock.now())
        try await publish(event, customer: customer, stream: "intake")
    }

    func contact(_ customer: String) async throws -> ContactEntry? {
        let partition = partition(of: customer)
        return try await runtime.redis.commit(clock: clock) { tx in try ContactBook(partition: partition, transaction: tx).contact(customer) }
    }

    func delivery(_ id: String) async throws -> DeliveryRecord? {
        guard let partition = DeliveryJob.partition(ofDeliveryID: id, count: runtime.partitioning.count) else { return nil }
        return try await runtime.redis.commit(clock: clock) { tx in try ContactBook(partition: partition, transaction: tx).delivery(id) }
    }

    func history(_ customer: String) async throws -> [DeliveryRecord] {
        let partition = partition(of: customer)
        return try await runtime.redis.commit(clock: clock) { tx in try ContactBook(partition: partition, transaction: tx).history(customer) }
    }

    /// Due time of a timer, nil when none is scheduled.
    func timerDue(_ timerID: String, customer: String) async throws -> Timestamp? {
        let reply = try await server.send(["ZSCORE", Keyspace.timers(service: "notifications", partition(of: customer)), timerID])
        return reply.string.flatMap { Int64($0) }.map(Timestamp.init(unixMilliseconds:))
    }

    func releaseTimers() async throws {
        let release = TimerRelease(
            schedule: runtime.timerSchedule, redis: runtime.redis, partitioning: runtime.partitioning, clock: clock,
            logger: runtime.logger)
        for partition in runtime.partitioning.all { try await release.releaseDue(in: partition) }
    }

    /// Runs the delivery worker over every partition until the outboxes are empty.
    func sendOutbox(worker: DeliveryWorker? = nil) async throws {
        let worker = worker ?? app.worker
        for partition in runtime.partitioning.all {
            while try await worker.pass(in: partition) > 0 {}
        }
    }

    func outboxLength() async throws -> Int {
        var total = 0
        for partition in runtime.partitioning.all {
            total += Int(try await server.send(["XLEN", NotificationKeys(partition).outbox]).int ?? 0)
        }
        return total
    }

    /// Entries of a partitioned stream (all partitions) with the given type.
    func entries(stream: String, type: String) async throws -> Int {
        var total = 0
        for partition in runtime.partitioning.all {
            let reply = try await server.send(["XRANGE", Keyspace.stream(stream, partition), "-", "+"])
            for entry in reply.array ?? [] {
                let fields = entry.array?.last?.array?.compactMap(\.string) ?? []
                if let index = fields.firstIndex(of: "type"), index + 1 < fields.count, fields[index + 1] == type { total += 1 }
            }
        }
        return total
    }
}

private func requireKeyring(_ configuration: RapportConfiguration) throws -> MasterKeyring {
    guard let keyring = configuration.masterKeyring else { throw HarnessError() }
    return keyring
}

struct HarnessError: Error {}

/// A channel that keeps what it was given, for tests that do not need a real provider.
final class RecordingChannel: DeliveryChannel {
    private let sent = Mutex<[RenderedMessage]>([])
    var messages: [RenderedMessage] { sent.withLock { $0 } }

    func send(_ message: RenderedMessage) async throws -> DeliveryResult {
        sent.withLock { $0.append(message) }
        return DeliveryResult(detail: "recorded")
    }
}

/// A helper process (a Python SMTP or HTTP receiver) that prints its port on its first line.
final class HelperProcess: @unchecked Sendable {
    // @unchecked: set once in init; terminate() is idempotent.
    let process = Process()
    let port: Int

    init(script: String, arguments: [String]) throws {
        let scriptURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        // Not the test's own stderr: a helper holding that pipe open would keep `swift test`
        // waiting for it after the tests end.
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            kill(process.processIdentifier, SIGKILL)
            throw HarnessError()
        }
        self.port = port
    }

    // SIGKILL: the child inherits the test runner's blocked signals, so it ignores SIGTERM.
    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// 2026-05-16 12:00 UTC, a Saturday, 20:00 in Shanghai.
let mayMorning = Timestamp(unixMilliseconds: 1_778_932_800_000)
