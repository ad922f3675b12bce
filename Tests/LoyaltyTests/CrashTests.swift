import Foundation
@testable import Loyalty
import Model
import Streams
import Testing
import TestSupport

@Suite("Crash recovery", .serialized, .timeLimit(.minutes(4)))
final class CrashTests {
    let server: RedisServer
    let directory: URL

    init() throws {
        server = try RedisServer()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @Test("SIGKILL in the middle of 5,000 orders: after restart every balance is exact and every order announced once")
    func killedMidStream() async throws {
        let partitioning = try Partitioning(count: 4)
        let customers = (0..<500).map { "shopify:crash.myshopify.com:\($0)" }
        var expected: [String: Int64] = [:]
        var commands: [[String]] = []
        // Paid now by the wall clock the service runs on, so no timer comes due during the test.
        let now = Timestamp(Date())
        for index in 0..<5_000 {
            let customer = customers[index % customers.count]
            let cents = Int64(index * 7_919 % 100_000 + 100)
            expected[customer, default: 0] += cents / 100
            let paidAt = now + .seconds(Int64(index))
            let amount = Money(minorUnits: cents, currency: Fixture.cny)
            let event = OrderPaid(
                order: OrderSummary(orderID: "o\(index)", currency: Fixture.cny, total: amount, subtotal: amount,
                                    shipping: .zero(Fixture.cny), tax: .zero(Fixture.cny), placedAt: paidAt, updatedAt: paidAt),
                paidAt: paidAt)
            let envelope = try LoyaltyHarness.envelope(event, id: "crash-\(index)", customer: customer, at: paidAt)
            commands.append(["XADD", Keyspace.stream("intake", partitioning.partition(ofCustomer: customer)), "*"]
                + envelope.fields.flatMap { [$0.0, $0.1] })
        }
        let client = server.makeClient()
        defer { Task { await client.shutdown() } }
        func earned() async throws -> Int {
            var total = 0
            for partition in partitioning.all {
                total += Int(try await client.send(["XLEN", Keyspace.stream("loyalty", partition)]).int ?? 0)
            }
            return total
        }

        let rules = directory.appendingPathComponent("rules.yaml")
        try "loyalty:\n  bonuses:\n    repeat_purchase: 0\n".write(to: rules, atomically: true, encoding: .utf8)
        // The same consumer name across the restart, as an orchestrator restarting a replica gives.
        let environment = [
            "RAPPORT_REDIS_URL": server.url, "RAPPORT_PARTITIONS": "4", "RAPPORT_CONSUMER_NAME": "crash-replica",
            "RAPPORT_CONFIG": rules.path, "RAPPORT_LOG_LEVEL": "warning",
        ]

        // Half the orders wait before the service starts; it is killed once it is under way.
        _ = try await client.pipeline(Array(commands[..<2_500]))
        let first = try ServiceProcess("rapport-loyalty", environment: environment)
        try first.start()
        #expect(try await eventually(timeout: .seconds(60), every: .milliseconds(2)) { try await earned() >= 200 })
        first.kill()
        let atKill = try await earned()
        #expect(atKill < 5_000)

        // The other half arrives while it is down; a restarted replica takes over its pending batch.
        _ = try await client.pipeline(Array(commands[2_500...]))
        let second = try ServiceProcess("rapport-loyalty", environment: environment)
        try second.start()
        defer { second.kill() }
        let finished = try await eventually(timeout: .seconds(150), every: .milliseconds(100)) {
            guard try await earned() >= 5_000 else { return false }
            for partition in partitioning.all {
                let pending = try await client.send(["XPENDING", Keyspace.stream("intake", partition), "loyalty"])
                if pending.array?.first?.int != 0 { return false }
            }
            return true
        }
        #expect(finished, "killed at \(atKill) of 5,000; see \(second.logFile.path)")

        let announced = try await earned()
        #expect(announced == 5_000)
        var mismatches = 0
        for customer in customers {
            let key = LedgerStore.ledgerKey(customer, partitioning.partition(ofCustomer: customer))
            let text = try #require(try await client.send(["GET", key]).string)
            let ledger = try JSONDecoder().decode(PointsLedger.self, from: Data(text.utf8))
            if ledger.balance != expected[customer] || ledger.entries.count != 10 {
                if mismatches == 0 { Issue.record("\(customer): balance \(ledger.balance), expected \(expected[customer] ?? 0), kinds \(ledger.entries.map(\.kind.rawValue))") }
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }
}
