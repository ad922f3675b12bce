@testable import Classification
import Foundation
import Logging
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

/// A real Redis with classification's consumer running over it on a manual clock: tests
/// publish envelopes, wait until everything is applied, and read what classification wrote.
final class Harness: @unchecked Sendable {
    // `consumerTask` is set once in init and cancelled in deinit; tests use the harness from
    // one task at a time.
    let server: RedisServer
    let client: RedisClient
    let clock: ManualTimeSource
    let partitioning: Partitioning
    let settings: ClassificationSettings
    let customerKeys: CustomerKeys?
    let configuration: RapportConfiguration
    let runtime: ServiceRuntime
    private var consumerTask: Task<Void, Never>?

    static let adminToken = "admin-token-for-tests"
    static let masterKey = Data(repeating: 3, count: 32).base64EncodedString()

    init(partitions: Int = 2, rules: String = "", masterKey: Bool = true, extraEnvironment: [String: String] = [:]) throws {
        server = try RedisServer()
        client = server.makeClient()
        clock = ManualTimeSource(Fixtures.start)
        var environment = [
            "RAPPORT_REDIS_URL": server.url, "RAPPORT_ADMIN_TOKEN": Self.adminToken,
            "RAPPORT_PARTITIONS": String(partitions), "RAPPORT_CONSUMER_NAME": "test",
        ]
        if masterKey { environment["RAPPORT_MASTER_KEY"] = Self.masterKey }
        if !rules.isEmpty {
            let path = server.directory.appendingPathComponent("rules.yaml")
            try rules.write(to: path, atomically: true, encoding: .utf8)
            environment["RAPPORT_CONFIG"] = path.path
        }
        environment.merge(extraEnvironment) { _, new in new }
        configuration = try RapportConfiguration.load(service: .classification, environment: environment)
        runtime = try ServiceRuntime(configuration: configuration, clock: clock, logger: Logger(label: "test"))
        let partitioning = runtime.partitioning
        self.partitioning = partitioning
        settings = try ClassificationSettings.load(from: configuration.rules)
        customerKeys = configuration.masterKeyring.map { CustomerKeys(keyring: $0, partitioning: partitioning) }

        var consumerConfiguration = runtime.consumerConfiguration
        consumerConfiguration.block = .milliseconds(50)
        consumerConfiguration.claimIdle = .milliseconds(500)
        consumerConfiguration.claimInterval = .milliseconds(100)
        consumerConfiguration.maxDeliveries = 2
        let consumer = StreamConsumer(
            redis: client, configuration: consumerConfiguration,
            handler: ClassificationHandler(settings: settings, customerKeys: customerKeys), clock: clock,
            logger: Logger(label: "test"))
        consumerTask = Task { try? await consumer.run() }
    }

    deinit {
        consumerTask?.cancel()
        let client = self.client
        let runtime = self.runtime
        Task {
            await client.shutdown()
            await runtime.redis.shutdown()
        }
    }

    var api: ClassificationAPI {
        ClassificationAPI(redis: runtime.redis, partitioning: partitioning, clock: clock, settings: settings, customerKeys: customerKeys)
    }

    func partition(of customer: String) -> Partition { partitioning.partition(ofCustomer: customer) }

    func keys(of customer: String) -> ClassificationKeys { ClassificationKeys(partition(of: customer)) }

    /// Appends to a stream of the envelope customer's partition (`intake` or `complaints`).
    func publish(_ envelopes: [Envelope], to stream: String = "intake") async throws {
        let commands = envelopes.map { envelope in
            ["XADD", Keyspace.stream(stream, partition(of: envelope.customer)), "*"] + envelope.fields.flatMap { [$0.0, $0.1] }
        }
        _ = try await client.pipeline(commands)
    }

    /// Appends a shop-wide envelope to every partition, as intake does.
    func publishEverywhere(_ envelope: Envelope) async throws {
        _ = try await client.pipeline(partitioning.all.map { partition in
            ["XADD", Keyspace.stream("intake", partition), "*"] + envelope.fields.flatMap { [$0.0, $0.1] }
        })
    }

    /// Waits until classification's group has read and acknowledged everything on every input.
    func settle(timeout: Duration = .seconds(20)) async throws {
        let inputs = runtime.inputs
        let settled = try await eventually(timeout: timeout) {
            for partition in self.partitioning.all {
                for input in inputs {
                    guard let groups = try? await self.client.send(["XINFO", "GROUPS", Keyspace.stream(input, partition)]).array,
                          let group = groups.map(\.fieldMap).first(where: { $0["name"] == "classification" }),
                          group["pending"] == "0", group["lag"] == "0"
                    else { return false }
                }
            }
            return true
        }
        #expect(settled, "classification did not catch up with its input streams")
    }

    /// Moves the clock, releases every due timer and waits for what they set off.
    func advance(by duration: Duration) async throws {
        clock.advance(by: duration)
        let release = TimerRelease(
            schedule: TimerSchedule(service: "classification"), redis: client, partitioning: partitioning, clock: clock,
            logger: Logger(label: "test"))
        for partition in partitioning.all { try await release.releaseDue(in: partition) }
        try await settle()
    }

    func profile(_ customer: String = Fixtures.customer) async throws -> CustomerProfile? {
        try await client.send(["GET", keys(of: customer).profile(customer)]).string.map(ProfileStore.decode)
    }

    /// Every event classification published, in stream order per partition.
    func published(_ type: String? = nil, customer: String? = nil) async throws -> [Envelope] {
        var envelopes: [Envelope] = []
        for partition in partitioning.all {
            let entries = try await client.send(["XRANGE", Keyspace.stream("customers", partition), "-", "+"]).array ?? []
            for entry in entries {
                guard let parts = entry.array, parts.count == 2 else { continue }
                let envelope = try Envelope(fields: parts[1].fieldMap)
                if let type, envelope.type != type { continue }
                if let customer, envelope.customer != customer { continue }
                envelopes.append(envelope)
            }
        }
        return envelopes
    }

    func audit(_ customer: String = Fixtures.customer) async throws -> [AuditRecord] {
        let entries = try await client.send(["XRANGE", Keyspace.audit(partition(of: customer)), "-", "+"]).array ?? []
        return try entries.compactMap { entry in
            guard let parts = entry.array, parts.count == 2 else { return nil }
            let record = try AuditRecord(streamFields: parts[1].fieldMap)
            return record.customer == customer ? record : nil
        }
    }

    func deadLetters() async throws -> Int {
        var total = 0
        for partition in partitioning.all {
            total += Int(try await client.send(["XLEN", Keyspace.deadLetters(service: "classification", partition)]).int ?? 0)
        }
        return total
    }
}
