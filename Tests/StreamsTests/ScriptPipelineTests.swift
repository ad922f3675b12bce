import Foundation
import Model
import Streams
import Testing
import TestSupport

@Suite("Redis client: concurrent script calls share round trips", .timeLimit(.minutes(1)))
final class ScriptPipelineTests {
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

    /// Counts per key and answers the caller's own tag, so a reply handed to the wrong caller shows.
    static let tagged = RedisScript("""
        if ARGV[1] == 'fail' then return redis.error_reply('ERR refused on purpose') end
        return {ARGV[1], redis.call('INCR', KEYS[1])}
        """)

    @Test("each of many concurrent callers gets its own replies, in the order of its calls")
    func ownReplies() async throws {
        let client = self.client
        let results = try await withThrowingTaskGroup(of: (Int, [RedisValue]).self) { group in
            for caller in 0..<200 {
                group.addTask {
                    let replies = try await client.runScripts([
                        ScriptCall(Self.tagged, keys: ["rapport:{p0}:test:a:\(caller)"], arguments: ["first-\(caller)"]),
                        ScriptCall(Self.tagged, keys: ["rapport:{p0}:test:a:\(caller)"], arguments: ["second-\(caller)"]),
                    ])
                    return (caller, replies)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        for (caller, replies) in results {
            #expect(replies == [
                .array([bulk("first-\(caller)"), .integer(1)]),
                .array([bulk("second-\(caller)"), .integer(2)]),
            ])
        }
    }

    @Test("one caller's error reply is its own: concurrent callers in the same round trip succeed")
    func failureIsolation() async throws {
        let client = self.client
        let results = try await withThrowingTaskGroup(of: (Int, [RedisValue]).self) { group in
            for caller in 0..<50 {
                group.addTask {
                    let tag = caller % 5 == 0 ? "fail" : "ok-\(caller)"
                    let replies = try await client.runScripts([
                        ScriptCall(Self.tagged, keys: ["rapport:{p0}:test:b:\(caller)"], arguments: [tag])
                    ])
                    return (caller, replies)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (caller, replies) in results {
            if caller % 5 == 0 {
                #expect(replies == [.error("ERR refused on purpose")])
            } else {
                #expect(replies == [.array([bulk("ok-\(caller)"), .integer(1)])])
            }
        }
        // The producer turns an error reply into a thrown error for that caller only.
        await #expect(throws: RedisError.self) {
            try await StreamProducer(redis: client).appendOnce(
                testEnvelope(id: "e1"), to: "rapport:{p0}:stream:intake", dedupeKey: "rapport:{p0}:intake:seen:d1",
                retention: .seconds(60), alongside: Self.tagged, keys: ["rapport:{p0}:test:c"], arguments: ["fail"])
        }
    }

    @Test("scripts Redis forgot are loaded again, and a lost connection fails its callers until Redis is back")
    func reloadAndReconnect() async throws {
        let call = ScriptCall(Self.tagged, keys: ["rapport:{p0}:test:d"], arguments: ["x"])
        #expect(try await client.runScripts([call]) == [.array([bulk("x"), .integer(1)])])
        _ = try await client.send(["SCRIPT", "FLUSH"])
        #expect(try await client.runScripts([call]) == [.array([bulk("x"), .integer(2)])])

        server.kill()
        await #expect(throws: RedisError.self) { try await self.client.runScripts([call]) }
        try server.start()
        let client = self.client
        #expect(try await eventually { (try? await client.runScripts([call])) != nil })
    }

    @Test("after shutdown, script calls are refused")
    func afterShutdown() async throws {
        let client = server.makeClient()
        await client.shutdown()
        await #expect(throws: RedisError.self) {
            try await client.runScripts([ScriptCall(Self.tagged, keys: ["rapport:{p0}:test:e"], arguments: ["x"])])
        }
    }
}

private func bulk(_ text: String) -> RedisValue { .bulkString(Array(text.utf8)) }
