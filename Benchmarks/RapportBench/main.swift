import Foundation
import Logging
import Model
import ServiceLifecycle
import Streams

// Measures entries per second through the consumer runtime: consume, decide, and commit one
// state write and one output XADD per entry, with the exactly-once markers and acknowledgements.
// Usage: rapport-bench runtime <redis-url> [entries] [replicas] [batch]

/// One state write and one output event per entry: the smallest real handler.
struct BenchHandler: EntryHandler {
    var handledTypes: Set<String> { ["bench.event"] }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        [Keyspace.state(service: "bench", entry.partition, "state", entry.envelope.customer)]
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let key = Keyspace.state(service: "bench", entry.partition, "state", entry.envelope.customer)
        let count = Int(try transaction.get(key) ?? "0") ?? 0
        transaction.set(key, String(count + 1))
        transaction.append(to: Keyspace.stream("bench-out", entry.partition), fields: [("id", entry.envelope.id), ("n", String(count + 1))])
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("rapport-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, arguments[1] == "runtime" else {
    fail("usage: rapport-bench runtime <redis-url> [entries=100000] [replicas=1] [batch=128]")
}
let endpoint: RedisEndpoint
do { endpoint = try RedisEndpoint(url: arguments[2]) } catch { fail("\(error)") }
let entries = arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000
let replicas = arguments.count > 4 ? Int(arguments[4]) ?? 1 : 1
let batch = arguments.count > 5 ? Int(arguments[5]) ?? 128 : 128

let partitioning = try Partitioning(count: 4)
var options = RedisClient.Options()
options.threads = 4 * replicas + 4
let client = RedisClient(endpoint: endpoint, options: options)
_ = try await client.send(["FLUSHDB"])

// Preload: 1,000 customers spread over the partitions.
var commands: [[String]] = []
for index in 0..<entries {
    let customer = "bench:shop:\(index % 1_000)"
    let envelope = Envelope(
        id: "b\(index)", type: "bench.event", version: 1, customer: customer,
        occurred: Timestamp(unixMilliseconds: 1_700_000_000_000), recorded: Timestamp(unixMilliseconds: 1_700_000_000_000),
        source: "bench", correlation: "b\(index)", cause: nil, data: "{}")
    commands.append(["XADD", Keyspace.stream("intake", partitioning.partition(ofCustomer: customer)), "*"] + envelope.fields.flatMap { [$0.0, $0.1] })
    if commands.count == 1_000 {
        _ = try await client.pipeline(commands)
        commands.removeAll(keepingCapacity: true)
    }
}
if !commands.isEmpty { _ = try await client.pipeline(commands) }

let logger = Logger(label: "bench")
let consumers = (0..<replicas).map { replica in
    var configuration = ConsumerConfiguration(service: "bench", consumer: "bench-\(replica)", partitioning: partitioning, inputs: ["intake"])
    configuration.batchSize = batch
    configuration.block = .milliseconds(200)
    return StreamConsumer(redis: client, configuration: configuration, handler: BenchHandler(), clock: SystemTimeSource(), logger: logger)
}
try await consumers[0].createGroups()

func outputCount() async throws -> Int {
    var total = 0
    for partition in partitioning.all {
        total += Int(try await client.send(["XLEN", Keyspace.stream("bench-out", partition)]).int ?? 0)
    }
    return total
}

let group = ServiceGroup(services: consumers, gracefulShutdownSignals: [], logger: logger)
let start = ContinuousClock.now
let elapsed = try await withThrowingTaskGroup(of: Void.self) { tasks -> Duration in
    tasks.addTask { try await group.run() }
    let deadline = ContinuousClock.now + .seconds(300)
    while try await outputCount() < entries, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
    }
    let elapsed = ContinuousClock.now - start
    await group.triggerGracefulShutdown()
    try await tasks.waitForAll()
    return elapsed
}
let done = try await outputCount()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("runtime_entries=\(done) replicas=\(replicas) batch=\(batch) seconds=\(String(format: "%.3f", seconds)) entries_per_second=\(Int(Double(done) / seconds))")
await client.shutdown()
if done != entries { fail("only \(done) of \(entries) entries were committed") }
