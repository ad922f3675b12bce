import Foundation
import Model
@testable import ServiceSupport
import Streams
import Testing
import TestSupport

@Suite("Personal data sealed under per-customer keys in Redis", .timeLimit(.minutes(1)))
final class CustomerKeysTests {
    let server: RedisServer
    let client: RedisClient
    let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_700_000_000_000))
    let customer = "shopify:snowdevil.myshopify.com:706405506930370084"

    init() throws {
        server = try RedisServer()
        client = server.makeClient()
    }

    deinit {
        let client = self.client
        Task { await client.shutdown() }
    }

    func keys(_ base64: String = Data(repeating: 7, count: 32).base64EncodedString(), id: String = "k1") throws -> CustomerKeys {
        CustomerKeys(keyring: MasterKeyring(current: try MasterKey(id: id, base64: base64)), partitioning: try Partitioning(count: 4))
    }

    @Test("a sealed field reads back with its key, and cannot be read after erasure")
    func sealOpenErase() async throws {
        let keys = try keys()
        let customer = self.customer
        let sealed = try await client.commit(clock: clock) { tx in
            try keys.seal(["email": "ana@example.com", "phone": "+86 138 0000 0000"], customer: customer, in: tx)
        }
        #expect(sealed["email"] != "ana@example.com")
        #expect(sealed["email"]?.contains("ana") == false)
        let opened = try await client.commit(clock: clock) { tx in try keys.open(sealed, customer: customer, in: tx) }
        #expect(opened == ["email": "ana@example.com", "phone": "+86 138 0000 0000"])

        // The stored key is wrapped, not the raw key, and names the master key id for rotation.
        let partition = try Partitioning(count: 4).partition(ofCustomer: customer)
        let stored = try #require(try await server.send(["GET", Keyspace.dataKey(customer: customer, partition)]).string)
        #expect(stored.hasPrefix("k1:"))

        try await client.commit(clock: clock) { tx in keys.erase(customer, in: tx) }
        let afterErasure = try await client.commit(clock: clock) { tx in try keys.open(sealed, customer: customer, in: tx) }
        #expect(afterErasure == nil)
    }

    @Test("a wrong master key is refused with a message naming RAPPORT_MASTER_KEY")
    func wrongMasterKey() async throws {
        let customer = self.customer
        let right = try keys()
        let sealed = try await client.commit(clock: clock) { tx in try right.seal(["email": "ana@example.com"], customer: customer, in: tx) }
        let wrong = try keys(Data(repeating: 9, count: 32).base64EncodedString())
        let error = await #expect(throws: ProtectionError.self) {
            try await self.client.commit(clock: self.clock) { tx in try wrong.open(sealed, customer: customer, in: tx) }
        }
        #expect(error?.description.contains("RAPPORT_MASTER_KEY") == true)
    }

    @Test("two replicas creating a customer's key at once end with one key both can use")
    func concurrentCreation() async throws {
        let keys = try keys()
        let customer = "woocommerce:shop.example:77"
        let clock = self.clock
        let client = self.client
        let sealedValues = try await withThrowingTaskGroup(of: [String: String].self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await client.commit(clock: clock) { tx in try keys.seal(["name": "n\(index)"], customer: customer, in: tx) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for sealed in sealedValues {
            let opened = try await client.commit(clock: clock) { tx in try keys.open(sealed, customer: customer, in: tx) }
            #expect(opened?["name"]?.hasPrefix("n") == true)
        }
    }
}
