import Foundation
import Model
import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("The five executables", .serialized, .timeLimit(.minutes(3)))
final class ExecutablesTests {
    let server: RedisServer

    init() throws {
        server = try RedisServer()
    }

    @Test(
        "each starts with no configuration file, creates its groups, serves health and metrics, skips unknown types and stops on SIGTERM",
        arguments: ServiceName.allCases)
    func startsAndStops(service: ServiceName) async throws {
        let process = try ServiceProcess(service.executableName, environment: [
            "RAPPORT_REDIS_URL": server.url,
            "RAPPORT_CONSUMER_NAME": "test",
            "RAPPORT_MASTER_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
        ])
        try process.start()
        let healthy = try await process.waitUntilHealthy()
        #expect(healthy, "log: \(process.log)")
        let health = await process.get("/health")
        #expect(health?.body.contains("\"status\":\"ok\"") == true)

        let inputs = StreamTopology.inputs(of: service)
        for input in inputs {
            for partition in 0..<4 {
                let groups = try await server.send(["XINFO", "GROUPS", Keyspace.stream(input, Partition(partition))]).array ?? []
                #expect(groups.contains { $0.fieldMap["name"] == service.rawValue }, "no group on \(input) p\(partition)")
            }
        }

        if let input = inputs.first {
            let envelope = Envelope(
                id: "unknown-\(service.rawValue)", type: "something.unheard_of", version: 1, customer: "test:shop:1",
                occurred: Timestamp(unixMilliseconds: 1), recorded: Timestamp(unixMilliseconds: 1),
                source: "test", correlation: "c", cause: nil, data: "{}")
            let stream = Keyspace.stream(input, try Partitioning(count: 4).partition(ofCustomer: "test:shop:1"))
            _ = try await server.send(["XADD", stream, "*"] + envelope.fields.flatMap { [$0.0, $0.1] })
            let counted = try await eventually {
                await process.get("/metrics")?.body.contains("rapport_events_skipped_total{service=\"\(service.rawValue)\",type=\"something.unheard_of\"} 1") == true
            }
            #expect(counted)
            let pending = try await server.send(["XPENDING", stream, service.rawValue]).array?.first
            #expect(pending == .integer(0))
        } else {
            let metrics = await process.get("/metrics")
            #expect(metrics?.status == 200)
        }

        let stopped = await process.terminate()
        let outcome = try #require(stopped, "did not stop within 10 s; log: \(process.log)")
        #expect(outcome.status == 0, "log: \(process.log)")
        #expect(outcome.elapsed < .seconds(5))
    }

    @Test("a bad configuration value stops start-up with a message naming the variable")
    func badConfiguration() async throws {
        let process = try ServiceProcess("rapport-loyalty", environment: ["RAPPORT_PARTITIONS": "four"])
        try process.start()
        let exited = try await eventually { !process.isRunning }
        #expect(exited)
        #expect(process.log.contains("RAPPORT_PARTITIONS"))
    }

    @Test("an unreachable Redis is reported clearly in the log and health answers 503")
    func unreachableRedis() async throws {
        let port = try RedisServer.freePort()
        // rapport-complaints seals complaint texts, so it needs a master key to start at all.
        let process = try ServiceProcess("rapport-complaints", environment: [
            "RAPPORT_REDIS_URL": "redis://127.0.0.1:\(port)",
            "RAPPORT_MASTER_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
        ])
        try process.start()
        let answering = try await eventually { await process.get("/health") != nil }
        #expect(answering)
        let status = await process.get("/health")?.status
        #expect(status == 503)
        let logged = try await eventually { process.log.contains("cannot connect to Redis at redis://127.0.0.1:\(port)") }
        #expect(logged, "log: \(process.log)")
        let stopped = await process.terminate()
        #expect(stopped?.status == 0)
    }
}
