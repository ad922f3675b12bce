import Foundation
import Model
import Streams
import Testing
import TestSupport

@Suite("Stream producer: append once", .timeLimit(.minutes(1)))
final class ProducerTests {
    let server: RedisServer
    let client: RedisClient

    init() throws {
        server = try RedisServer()
        client = server.makeClient()
    }

    deinit {
        let client = self.client
        Task { await client.shutdown() }
    }

    static let index = RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[2])")

    @Test("an append beside another script runs both in one round trip; a duplicate appends nothing but still runs the script")
    func alongside() async throws {
        let producer = StreamProducer(redis: client)
        let envelope = testEnvelope(id: "e1")
        let stream = "rapport:{p0}:stream:intake"
        func append() async throws -> (entry: String?, reply: RedisValue) {
            try await producer.appendOnce(
                envelope, to: stream, dedupeKey: "rapport:{p0}:intake:seen:d1", retention: .seconds(60),
                alongside: Self.index, keys: ["rapport:{p1}:intake:order:o1", "rapport:{p1}:intake:count"], arguments: ["owner"])
        }
        let first = try await append()
        #expect(first.entry != nil)
        #expect(first.reply == .integer(1))
        let second = try await append()
        #expect(second.entry == nil)
        #expect(second.reply == .integer(2))
        #expect(try await client.send(["XLEN", stream]) == .integer(1))
        #expect(try await client.send(["GET", "rapport:{p1}:intake:order:o1"]).string == "owner")

        // After Redis forgot its scripts (as after a restart), both are loaded again.
        _ = try await client.send(["SCRIPT", "FLUSH"])
        _ = try await client.send(["DEL", "rapport:{p0}:intake:seen:d1"])
        let third = try await append()
        #expect(third.entry != nil)
        #expect(third.reply == .integer(3))
        #expect(try await client.send(["XLEN", stream]) == .integer(2))
    }
}
