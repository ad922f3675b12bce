import Foundation
import Logging
import Model
import ServiceLifecycle
import Streams
import Testing
import TestSupport

@Suite("Consumer runtime: exactly-once effects over at-least-once delivery", .timeLimit(.minutes(3)))
final class ConsumerTests {
    let server: RedisServer
    let client: RedisClient
    let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_700_000_000_000))
    let logger = Logger(label: "test")

    init() throws {
        server = try RedisServer()
        client = server.makeClient(threads: 16)
    }

    deinit {
        let client = self.client
        Task { await client.shutdown() }
    }

    func makeConsumer(_ configuration: ConsumerConfiguration, handler: any EntryHandler) -> StreamConsumer {
        StreamConsumer(redis: client, configuration: configuration, handler: handler, clock: clock, logger: logger)
    }

    /// Runs `consumers` until `done` holds, then stops them gracefully.
    func run(_ consumers: [StreamConsumer], until done: @escaping () async throws -> Bool) async throws -> Bool {
        let group = ServiceGroup(services: consumers, gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let finished = try await eventually(timeout: .seconds(90), every: .milliseconds(50), done)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return finished
        }
    }

    @Test("10,000 entries read by three consumers of one group are each applied exactly once")
    func threeConsumers() async throws {
        let partitions = 2
        let partitioning = try Partitioning(count: partitions)
        var byPartition: [Partition: [Envelope]] = [:]
        for index in 0..<10_000 {
            let customer = "test:shop:\(index % 37)"
            byPartition[partitioning.partition(ofCustomer: customer), default: []].append(testEnvelope(id: "e\(index)", customer: customer))
        }
        // Redelivered duplicates of the first 500 events must change nothing.
        for index in 0..<500 {
            let customer = "test:shop:\(index % 37)"
            byPartition[partitioning.partition(ofCustomer: customer), default: []].append(testEnvelope(id: "e\(index)", customer: customer))
        }
        for (partition, envelopes) in byPartition {
            try await appendAll(envelopes, to: Keyspace.stream("intake", partition), using: client)
        }
        let handler = CountingHandler(service: "counting")
        let consumers = try (1...3).map { makeConsumer(try consumerConfiguration(service: "counting", consumer: "c\($0)", partitions: partitions), handler: handler) }
        let finished = try await run(consumers) {
            try await appliedCounts(self.server, service: "counting", partitions: partitions).distinct == 10_000
        }
        #expect(finished)
        let counts = try await appliedCounts(server, service: "counting", partitions: partitions)
        #expect(counts.distinct == 10_000)
        #expect(counts.total == 10_000)
        var sum = 0
        for index in 0..<37 {
            let customer = "test:shop:\(index)"
            let key = CountingHandler.totalKey("counting", partitioning.partition(ofCustomer: customer), customer)
            sum += Int(try await server.send(["GET", key]).string ?? "0") ?? 0
        }
        #expect(sum == 10_000)
        for partition in partitioning.all {
            let pending = try await server.send(["XPENDING", Keyspace.stream("intake", partition), "counting"]).array
            #expect(pending?.first == .integer(0))
        }
    }

    @Test("entries a stopped consumer never acknowledged are claimed by another and applied once")
    func claimsFromCrashedConsumer() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<200).map { testEnvelope(id: "c\($0)") }, to: stream, using: client)
        let configuration = try consumerConfiguration(service: "claiming", consumer: "survivor")
        let consumer = makeConsumer(configuration, handler: CountingHandler(service: "claiming"))
        try await consumer.createGroups()
        // A replica reads 120 entries and dies before committing anything.
        let read = try await client.send(["XREADGROUP", "GROUP", "claiming", "crashed", "COUNT", "120", "STREAMS", stream, ">"])
        #expect(read.array?.first?.array?[1].array?.count == 120)
        let finished = try await run([consumer]) {
            try await appliedCounts(self.server, service: "claiming").distinct == 200
        }
        #expect(finished)
        let counts = try await appliedCounts(server, service: "claiming")
        #expect(counts.total == 200)
        let pending = try await server.send(["XPENDING", stream, "claiming"]).array
        #expect(pending?.first == .integer(0))
    }

    @Test("a consumer back under its own name applies the entries it had read but not acknowledged at once, without the claim")
    func recoversOwnPending() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<150).map { testEnvelope(id: "o\($0)") }, to: stream, using: client)
        var configuration = try consumerConfiguration(service: "recovering", consumer: "same-name")
        configuration.claimIdle = .seconds(3600)  // the claim cannot be what recovers them
        let consumer = makeConsumer(configuration, handler: CountingHandler(service: "recovering"))
        try await consumer.createGroups()
        // The replica's previous life read 100 entries (more than one batch) and died before committing.
        let read = try await client.send(["XREADGROUP", "GROUP", "recovering", "same-name", "COUNT", "100", "STREAMS", stream, ">"])
        #expect(read.array?.first?.array?[1].array?.count == 100)
        let start = ContinuousClock.now
        let finished = try await run([consumer]) {
            try await appliedCounts(self.server, service: "recovering").distinct == 150
        }
        #expect(finished)
        #expect(ContinuousClock.now - start < .seconds(30))
        let counts = try await appliedCounts(server, service: "recovering")
        #expect(counts.total == 150)
        let pending = try await server.send(["XPENDING", stream, "recovering"]).array
        #expect(pending?.first == .integer(0))
    }

    @Test("two consumers committing to the same key both land: a rejected EXEC is decided again")
    func contendedKey() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<2_000).map { testEnvelope(id: "k\($0)", customer: "test:shop:hot") }, to: stream, using: client)
        let handler = CountingHandler(service: "contended")
        var configuration = try consumerConfiguration(service: "contended", consumer: "a")
        configuration.batchSize = 8
        var second = configuration
        second.consumer = "b"
        let totalKey = CountingHandler.totalKey("contended", Partition(0), "test:shop:hot")
        let finished = try await run([makeConsumer(configuration, handler: handler), makeConsumer(second, handler: handler)]) {
            try await self.server.send(["GET", totalKey]).string == "2000"
        }
        #expect(finished)
        #expect(try await server.send(["GET", totalKey]).string == "2000")
        #expect(try await appliedCounts(server, service: "contended").total == 2_000)
    }

    @Test("a poison entry is dead-lettered with its error after the configured deliveries, and the entries behind it are applied")
    func poisonEntry() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        var envelopes = (0..<10).map { testEnvelope(id: "p\($0)") }
        envelopes.insert(testEnvelope(id: "poison", type: "test.poison"), at: 3)
        try await appendAll(envelopes, to: stream, using: client)
        _ = try await client.send(["XADD", stream, "*", "garbage", "not an envelope"])
        var configuration = try consumerConfiguration(service: "poisoned", consumer: "only")
        configuration.maxDeliveries = 3
        configuration.claimIdle = .milliseconds(100)
        let dead = Keyspace.deadLetters(service: "poisoned", Partition(0))
        let finished = try await run([makeConsumer(configuration, handler: CountingHandler(service: "poisoned"))]) {
            try await self.server.send(["XLEN", dead]).int == 2
        }
        #expect(finished)
        #expect(try await appliedCounts(server, service: "poisoned").distinct == 10)
        let letters = try await server.send(["XRANGE", dead, "-", "+"]).array ?? []
        let fields = letters.compactMap { $0.array?[1].fieldMap }
        let poison = try #require(fields.first { $0["id"] == "poison" })
        #expect(poison["dead.error"] == "this entry can never be applied")
        #expect(poison["dead.deliveries"] == "3")
        #expect(poison["dead.stream"] == stream)
        let garbage = try #require(fields.first { $0["garbage"] != nil })
        #expect(garbage["dead.error"]?.hasPrefix("cannot decode the entry") == true)
        #expect(try await server.send(["XPENDING", stream, "poisoned"]).array?.first == .integer(0))
    }

    @Test("an entry delivered more often than allowed and never acknowledged is dead-lettered without another attempt")
    func entryThatStopsTheService() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll([testEnvelope(id: "stops-the-service"), testEnvelope(id: "fine")], to: stream, using: client)
        var configuration = try consumerConfiguration(service: "stopping", consumer: "same-name")
        configuration.maxDeliveries = 3
        configuration.claimIdle = .seconds(3600)
        let consumer = makeConsumer(configuration, handler: CountingHandler(service: "stopping"))
        try await consumer.createGroups()
        // Four earlier lives of this replica read the first entry and stopped on it.
        _ = try await client.send(["XREADGROUP", "GROUP", "stopping", "same-name", "COUNT", "1", "STREAMS", stream, ">"])
        for _ in 0..<3 { _ = try await client.send(["XREADGROUP", "GROUP", "stopping", "same-name", "STREAMS", stream, "0"]) }
        let dead = Keyspace.deadLetters(service: "stopping", Partition(0))
        let finished = try await run([consumer]) {
            let letters = try await self.server.send(["XLEN", dead]).int
            let applied = try await appliedCounts(self.server, service: "stopping").distinct
            return letters == 1 && applied == 1
        }
        #expect(finished)
        let letter = try #require((try await server.send(["XRANGE", dead, "-", "+"]).array ?? []).first?.array?[1].fieldMap)
        #expect(letter["id"] == "stops-the-service")
        #expect(letter["dead.deliveries"] == "5")  // four earlier lives, and this one's read-back
        #expect(letter["dead.error"]?.contains("without being acknowledged") == true)
        #expect(try await server.send(["XPENDING", stream, "stopping"]).array?.first == .integer(0))
    }

    @Test("an event type the service does not handle is acknowledged and skipped")
    func unknownTypeSkipped() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll([testEnvelope(id: "u1", type: "something.new"), testEnvelope(id: "u2")], to: stream, using: client)
        let configuration = try consumerConfiguration(service: "skipping", consumer: "only")
        let consumer = makeConsumer(configuration, handler: CountingHandler(service: "skipping"))
        try await consumer.createGroups()
        let finished = try await run([consumer]) {
            let pending = try await self.server.send(["XPENDING", stream, "skipping"]).array?.first
            let applied = try await appliedCounts(self.server, service: "skipping").distinct
            return pending == .integer(0) && applied == 1
        }
        #expect(finished)
        #expect(try await server.send(["XLEN", Keyspace.deadLetters(service: "skipping", Partition(0))]).int == 0)
    }

    @Test("a graceful stop finishes the batch in hand and returns within 5 seconds")
    func gracefulStop() async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<3_000).map { testEnvelope(id: "g\($0)") }, to: stream, using: client)
        var configuration = try consumerConfiguration(service: "stopping", consumer: "only", partitions: 4)
        configuration.block = .seconds(1)
        let consumer = makeConsumer(configuration, handler: CountingHandler(service: "stopping"))
        let group = ServiceGroup(services: [consumer], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await eventually { try await appliedCounts(self.server, service: "stopping").distinct > 0 }
            let start = ContinuousClock.now
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(ContinuousClock.now - start < .seconds(5))
        }
        // Whatever was applied was also acknowledged: applied + still unread/pending = all.
        let applied = try await appliedCounts(server, service: "stopping")
        #expect(applied.total == applied.distinct)
        let pending = try await server.send(["XPENDING", stream, "stopping"]).array?.first?.int ?? -1
        #expect(pending == 0)
    }
}

@Suite("Consumer runtime across a Redis crash", .timeLimit(.minutes(3)))
final class RedisCrashTests {
    @Test("Redis killed and restarted on its AOF mid-stream: the consumer reconnects and finishes, nothing lost or doubled")
    func redisRestart() async throws {
        let server = try RedisServer(appendOnly: true)
        let client = server.makeClient(threads: 8)
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<5_000).map { testEnvelope(id: "r\($0)") }, to: stream, using: client)
        var configuration = try consumerConfiguration(service: "crashing", consumer: "only")
        configuration.batchSize = 16
        let consumer = StreamConsumer(
            redis: client, configuration: configuration, handler: CountingHandler(service: "crashing"),
            clock: SystemTimeSource(), logger: Logger(label: "test"))
        let group = ServiceGroup(services: [consumer], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await eventually { try await appliedCounts(server, service: "crashing").distinct >= 500 }
            server.kill()
            try await Task.sleep(for: .milliseconds(300))
            try server.start()
            let finished = try await eventually(timeout: .seconds(60)) {
                (try? await appliedCounts(server, service: "crashing").distinct) == 5_000
            }
            #expect(finished)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let counts = try await appliedCounts(server, service: "crashing")
        #expect(counts.distinct == 5_000)
        #expect(counts.total == 5_000)
        #expect(try await server.send(["GET", CountingHandler.totalKey("crashing", Partition(0), "test:shop:1")]).string == "5000")
        await client.shutdown()
    }
}
