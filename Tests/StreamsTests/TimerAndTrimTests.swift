import Foundation
import Logging
import Model
@testable import Streams
import Testing
import TestSupport

/// Schedules timers through a transaction the way a handler does.
struct SchedulingHandler: EntryHandler {
    let schedule: TimerSchedule
    let due: Timestamp
    var handledTypes: Set<String> { ["test.counted"] }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let fired = testEnvelope(id: "timer-\(entry.envelope.id)", type: "test.timer")
        try schedule.schedule(fired, timerID: "t-\(entry.envelope.id)", at: due, partition: entry.partition, in: transaction)
    }
}

@Suite("Timers and trimming", .timeLimit(.minutes(2)))
final class TimerAndTrimTests {
    let server: RedisServer
    let client: RedisClient

    init() throws {
        server = try RedisServer()
        client = server.makeClient(threads: 8)
    }

    deinit {
        let client = self.client
        Task { await client.shutdown() }
    }

    /// Schedules `count` timers due at `due` by committing `count` entries through a handler.
    func scheduleTimers(_ count: Int, due: Timestamp, schedule: TimerSchedule, clock: any TimeSource) async throws {
        let stream = Keyspace.stream("intake", Partition(0))
        try await appendAll((0..<count).map { testEnvelope(id: "s\($0)") }, to: stream, using: client)
        let configuration = try consumerConfiguration(service: "scheduler", consumer: "only")
        let consumer = StreamConsumer(
            redis: client, configuration: configuration,
            handler: SchedulingHandler(schedule: schedule, due: due), clock: clock, logger: Logger(label: "test"))
        try await consumer.createGroups()
        let committer = BatchCommitter(configuration: configuration, handler: SchedulingHandler(schedule: schedule, due: due), clock: clock)
        let reply = try await client.send(["XREADGROUP", "GROUP", "scheduler", "only", "COUNT", String(count), "STREAMS", stream, ">"])
        let items = reply.array?.first?.array?[1].array ?? []
        let entries = items.compactMap { item -> RawEntry? in
            guard let pair = item.array, let id = pair[0].string else { return nil }
            return RawEntry(id: id, fields: pair[1].fieldMap, deliveries: 1)
        }
        let outcome = try await client.withConnection { try committer.commit(entries, stream: "intake", partition: Partition(0), on: $0) }
        #expect(outcome.applied == count)
    }

    @Test("1,000 timers released by three racing replicas fire exactly 1,000 times")
    func racingReleases() async throws {
        let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_700_000_000_000))
        let schedule = TimerSchedule(service: "racing")
        try await scheduleTimers(1_000, due: clock.now() + .seconds(60), schedule: schedule, clock: clock)
        let partitioning = try Partitioning(count: 1)
        let releases = (0..<3).map { _ in
            TimerRelease(schedule: schedule, redis: server.makeClient(threads: 4), partitioning: partitioning,
                         clock: clock, batch: 7, logger: Logger(label: "test"))
        }
        #expect(try await releases[0].releaseDue(in: Partition(0)) == 0)
        clock.advance(by: .seconds(61))
        let released = try await withThrowingTaskGroup(of: Int.self) { group in
            for release in releases {
                group.addTask {
                    var total = 0
                    for _ in 0..<20 { total += try await release.releaseDue(in: Partition(0)) }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(released == 1_000)
        let timerStream = Keyspace.timerStream(service: "racing", Partition(0))
        #expect(try await server.send(["XLEN", timerStream]).int == 1_000)
        let entries = try await server.send(["XRANGE", timerStream, "-", "+"]).array ?? []
        let ids = Set(entries.compactMap { $0.array?[1].fieldMap["id"] })
        #expect(ids.count == 1_000)
        let first = try #require(entries.first?.array?[1].fieldMap)
        #expect(try Envelope(fields: first).type == "test.timer")
        #expect(try await server.send(["ZCARD", Keyspace.timers(service: "racing", Partition(0))]).int == 0)
        #expect(try await server.send(["HLEN", Keyspace.timerPayloads(service: "racing", Partition(0))]).int == 0)
    }

    @Test("a timer set in the past fires at the next release")
    func pastTimer() async throws {
        let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_700_000_000_000))
        let schedule = TimerSchedule(service: "past")
        try await scheduleTimers(1, due: clock.now() - .seconds(3600), schedule: schedule, clock: clock)
        let release = TimerRelease(schedule: schedule, redis: client, partitioning: try Partitioning(count: 1), clock: clock, logger: Logger(label: "test"))
        #expect(try await release.releaseDue(in: Partition(0)) == 1)
        #expect(try await release.releaseDue(in: Partition(0)) == 0)
    }

    @Test("trimming keeps every entry a group has not acknowledged or not yet read")
    func trimKeepsUnacknowledged() async throws {
        let stream = "rapport:{p0}:stream:trimmed"
        var ids: [String] = []
        for index in 0..<10 {
            ids.append(try await client.send(["XADD", stream, "*", "n", String(index)]).string!)
        }
        _ = try await client.send(["XGROUP", "CREATE", stream, "fast", "0"])
        _ = try await client.send(["XGROUP", "CREATE", stream, "slow", "0"])
        _ = try await client.send(["XREADGROUP", "GROUP", "fast", "f", "STREAMS", stream, ">"])
        _ = try await client.send(["XACK", stream, "fast"] + ids)
        // slow has read 6 and acknowledged 0, 1, 3 and 5: entry 2 is its oldest pending one.
        _ = try await client.send(["XREADGROUP", "GROUP", "slow", "s", "COUNT", "6", "STREAMS", stream, ">"])
        _ = try await client.send(["XACK", stream, "slow", ids[0], ids[1], ids[3], ids[5]])

        let missing = try await client.withConnection { try StreamTrimmer().trim(stream, expectedGroups: ["fast", "slow", "late"], on: $0) }
        #expect(missing == nil)
        #expect(try await client.send(["XLEN", stream]).int == 10)

        let floor = try await client.withConnection { try StreamTrimmer().trim(stream, expectedGroups: ["fast", "slow"], on: $0) }
        #expect(floor == ids[2])
        let left = try await client.send(["XRANGE", stream, "-", "+"]).array?.compactMap { $0.array?[0].string }
        #expect(left == Array(ids[2...]))

        _ = try await client.send(["XACK", stream, "slow", ids[2], ids[4]])
        let next = try await client.withConnection { try StreamTrimmer().trim(stream, expectedGroups: ["fast", "slow"], on: $0) }
        #expect(next != nil)
        let remaining = try await client.send(["XRANGE", stream, "-", "+"]).array?.compactMap { $0.array?[0].string }
        #expect(remaining == Array(ids[6...]))
    }

    @Test("consumers of replicas that are gone are removed from the group, unless they still hold entries")
    func staleConsumers() async throws {
        let stream = "rapport:{p0}:stream:consumers"
        _ = try await client.send(["XADD", stream, "*", "n", "1"])
        _ = try await client.send(["XGROUP", "CREATE", stream, "svc", "0"])
        _ = try await client.send(["XREADGROUP", "GROUP", "svc", "holder", "COUNT", "1", "STREAMS", stream, ">"])
        _ = try await client.send(["XREADGROUP", "GROUP", "svc", "gone", "COUNT", "1", "STREAMS", stream, ">"])
        try await Task.sleep(for: .milliseconds(5))
        try await client.withConnection {
            try StreamMaintenance.forgetStaleConsumers(stream, group: "svc", idle: .milliseconds(1), on: $0)
        }
        let names = try await client.send(["XINFO", "CONSUMERS", stream, "svc"]).array?.compactMap { $0.fieldMap["name"] }
        #expect(names == ["holder"])
    }
}
