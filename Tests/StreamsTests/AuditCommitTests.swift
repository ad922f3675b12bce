import Foundation
import Model
import Streams
import Testing
import TestSupport

@Suite("Audit trail in the commit of the change", .timeLimit(.minutes(1)))
final class AuditCommitTests {
    let server: RedisServer
    let client: RedisClient
    let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_700_000_000_000))

    init() throws {
        server = try RedisServer()
        client = server.makeClient()
    }

    deinit {
        let client = self.client
        Task { await client.shutdown() }
    }

    struct Refused: Error {}

    @Test("an audit record is appended in the same commit as the change it records, and a refused decision writes neither")
    func auditWithChange() async throws {
        let partition = Partition(2)
        let key = Keyspace.state(service: "test", partition, "profile", "c1")
        let record = AuditRecord(
            customer: "test:shop:c1", fields: ["email", "tier"], action: "profile.updated",
            cause: "evt-1", actor: "intake", service: "test", at: clock.now())

        await #expect(throws: Refused.self) {
            try await self.client.commit(clock: self.clock) { tx in
                tx.set(key, "{}")
                tx.audit(record, partition: partition)
                throw Refused()
            }
        }
        #expect(try await server.send(["EXISTS", key]).int == 0)
        #expect(try await server.send(["XLEN", Keyspace.audit(partition)]).int == 0)

        try await client.commit(clock: clock) { tx in
            tx.set(key, "{\"tier\":\"A\"}")
            tx.audit(record, partition: partition)
        }
        #expect(try await server.send(["GET", key]).string == "{\"tier\":\"A\"}")
        let entries = try await server.send(["XRANGE", Keyspace.audit(partition), "-", "+"]).array ?? []
        #expect(entries.count == 1)
        let stored = try AuditRecord(streamFields: try #require(entries.first?.array?[1].fieldMap))
        #expect(stored == record)
        #expect(stored.fields == ["email", "tier"])
    }
}
