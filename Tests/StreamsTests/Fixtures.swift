import Foundation
import Model
import Streams
import TestSupport

/// A handler whose effect is easy to count: every applied event increments `applied[<event id>]`
/// and adds 1 to a per-customer total read and written through the transaction.
struct CountingHandler: EntryHandler {
    let service: String
    var poisonType = "test.poison"

    var handledTypes: Set<String> { ["test.counted", poisonType] }

    static func appliedKey(_ service: String, _ partition: Partition) -> String {
        Keyspace.state(service: service, partition, "applied")
    }
    static func totalKey(_ service: String, _ partition: Partition, _ customer: String) -> String {
        Keyspace.state(service: service, partition, "total", customer)
    }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        [Self.totalKey(service, entry.partition, entry.envelope.customer)]
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        if entry.envelope.type == poisonType { throw PoisonError() }
        let key = Self.totalKey(service, entry.partition, entry.envelope.customer)
        let total = Int(try transaction.get(key) ?? "0") ?? 0
        transaction.set(key, String(total + 1))
        transaction.queue(["HINCRBY", Self.appliedKey(service, entry.partition), entry.envelope.id, "1"])
    }
}

struct PoisonError: Error, CustomStringConvertible {
    var description: String { "this entry can never be applied" }
}

func testEnvelope(id: String, customer: String = "test:shop:1", type: String = "test.counted") -> Envelope {
    Envelope(
        id: id, type: type, version: 1, customer: customer,
        occurred: Timestamp(unixMilliseconds: 1_700_000_000_000),
        recorded: Timestamp(unixMilliseconds: 1_700_000_000_000),
        source: "test", correlation: id, cause: nil, data: "{}")
}

/// Appends envelopes in pipelined chunks (setup only).
func appendAll(_ envelopes: [Envelope], to stream: String, using client: RedisClient) async throws {
    for chunk in stride(from: 0, to: envelopes.count, by: 500) {
        let commands = envelopes[chunk..<min(chunk + 500, envelopes.count)].map { envelope in
            ["XADD", stream, "*"] + envelope.fields.flatMap { [$0.0, $0.1] }
        }
        _ = try await client.pipeline(commands)
    }
}

func consumerConfiguration(service: String, consumer: String, partitions: Int = 1) throws -> ConsumerConfiguration {
    var configuration = ConsumerConfiguration(
        service: service, consumer: consumer, partitioning: try Partitioning(count: partitions), inputs: ["intake"])
    configuration.block = .milliseconds(100)
    configuration.claimIdle = .milliseconds(300)
    configuration.claimInterval = .milliseconds(100)
    configuration.batchSize = 64
    return configuration
}

/// Sums the applied counters of a service over all partitions: (distinct events, total applications).
func appliedCounts(_ server: RedisServer, service: String, partitions: Int = 1) async throws -> (distinct: Int, total: Int) {
    var distinct = 0, total = 0
    for index in 0..<partitions {
        let map = try await server.send(["HGETALL", CountingHandler.appliedKey(service, Partition(index))]).fieldMap
        distinct += map.count
        total += map.values.compactMap { Int($0) }.reduce(0, +)
    }
    return (distinct, total)
}
