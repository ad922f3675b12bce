import Foundation
import Model
import Streams
import Testing
import TestSupport

@Suite("Redis client over hiredis", .timeLimit(.minutes(1)))
final class RedisClientTests {
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

    @Test("every RESP2 reply type decodes into a Swift value")
    func replyTypes() async throws {
        #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        #expect(try await client.send(["SET", "k", "välue"]) == .simpleString("OK"))
        #expect(try await client.send(["GET", "k"]).string == "välue")
        #expect(try await client.send(["INCRBY", "n", "41"]) == .integer(41))
        #expect(try await client.send(["GET", "missing"]) == .null)
        #expect(try await client.send(["RPUSH", "l", "a", "", "c"]) == .integer(3))
        #expect(try await client.send(["LRANGE", "l", "0", "-1"]) == .array([.bulkString(Array("a".utf8)), .bulkString([]), .bulkString(Array("c".utf8))]))
        let nested = try await client.send(["EVAL", "return {1, 'two', {3}, false}", "0"])
        #expect(nested == .array([.integer(1), .bulkString(Array("two".utf8)), .array([.integer(3)]), .null]))
    }

    @Test("a server error reply is thrown with Redis's own message")
    func serverError() async throws {
        _ = try await client.send(["SET", "s", "text"])
        let error = try await #require(throws: RedisError.self) { try await self.client.send(["LPUSH", "s", "x"]) }
        #expect(error.serverMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(error.description.contains("WRONGTYPE"))
    }

    @Test("a pipeline returns replies in order, keeping a failed command's error as a value")
    func pipeline() async throws {
        let replies = try await client.pipeline([["SET", "a", "1"], ["INCR", "a"], ["HGET", "a", "f"], ["GET", "a"]])
        #expect(replies[0] == .simpleString("OK"))
        #expect(replies[1] == .integer(2))
        guard case .error(let message) = replies[2] else { Issue.record("expected an error reply"); return }
        #expect(message.hasPrefix("WRONGTYPE"))
        #expect(replies[3].string == "2")
    }

    @Test("an unreachable Redis gives a message naming the address and RAPPORT_REDIS_URL")
    func unreachable() async throws {
        let port = try RedisServer.freePort()
        let dead = RedisClient(endpoint: RedisEndpoint(host: "127.0.0.1", port: port))
        let error = try await #require(throws: RedisError.self) { try await dead.send(["PING"]) }
        #expect(error.isConnectionFailure)
        #expect(error.description.contains("127.0.0.1:\(port)"))
        #expect(error.description.contains("RAPPORT_REDIS_URL"))
        await dead.shutdown()
    }

    @Test("the client reconnects after Redis restarts")
    func reconnects() async throws {
        _ = try await client.send(["SET", "before", "1"])
        server.kill()
        await #expect(throws: RedisError.self) { try await self.client.send(["PING"]) }
        try server.start()
        let back = try await eventually { (try? await self.client.send(["PING"])) == .simpleString("PONG") }
        #expect(back)
    }

    @Test("a password in the URL is sent with AUTH and a wrong one is refused clearly")
    func authentication() async throws {
        _ = try await client.send(["CONFIG", "SET", "requirepass", "s3cret"])
        let good = RedisClient(endpoint: try RedisEndpoint(url: "redis://:s3cret@127.0.0.1:\(server.port)/2"))
        #expect(try await good.send(["SET", "in-db-2", "yes"]) == .simpleString("OK"))
        #expect(try await good.send(["CLIENT", "INFO"]).string?.contains("db=2") == true)
        let bad = RedisClient(endpoint: try RedisEndpoint(url: "redis://:wrong@127.0.0.1:\(server.port)"))
        let error = try await #require(throws: RedisError.self) { try await bad.send(["PING"]) }
        #expect(error.description.contains("WRONGPASS") || error.description.contains("invalid"))
        #expect(!error.description.contains("wrong@"))
        _ = try await good.send(["CONFIG", "SET", "requirepass", ""])
        await good.shutdown()
        await bad.shutdown()
    }
}
