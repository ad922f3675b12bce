import Foundation
import Model
import Streams
#if canImport(Glibc)
import Glibc
#endif

// Measures paid-order events per second through real rapport-loyalty processes: preloads
// `order.paid` envelopes into the intake streams, starts the replicas, and times until every
// order has been announced as `points.earned` (earned, ledger written, timer set, audited).
// Usage: loyalty-bench <redis-url> <rapport-loyalty binary> [orders=50000] [replicas=2] [customers=5000] [http-port=18280]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("loyalty-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    fail("usage: loyalty-bench <redis-url> <rapport-loyalty binary> [orders=50000] [replicas=2] [customers=5000] [http-port=18280]")
}
let url = arguments[1]
let binary = arguments[2]
let orders = arguments.count > 3 ? Int(arguments[3]) ?? 50_000 : 50_000
let replicas = arguments.count > 4 ? Int(arguments[4]) ?? 2 : 2
let customers = arguments.count > 5 ? Int(arguments[5]) ?? 5_000 : 5_000
let httpPort = arguments.count > 6 ? Int(arguments[6]) ?? 18_280 : 18_280
guard FileManager.default.isExecutableFile(atPath: binary) else { fail("\(binary) is not an executable") }

let endpoint: RedisEndpoint
do { endpoint = try RedisEndpoint(url: url) } catch { fail("\(error)") }
let partitioning = try Partitioning(count: 4)
let client = RedisClient(endpoint: endpoint)
_ = try await client.send(["FLUSHDB"])

// Orders paid now, so no return-window timer comes due while measuring; every order earns.
let now = Timestamp(Date())
let cny = try CurrencyCode("CNY")
var commands: [[String]] = []
for index in 0..<orders {
    let customer = "shopify:bench.myshopify.com:\(index % customers)"
    let amount = Money(minorUnits: Int64(index * 7_919 % 100_000 + 100), currency: cny)
    let paidAt = now + .milliseconds(Int64(index))
    let event = OrderPaid(
        order: OrderSummary(orderID: "o\(index)", currency: cny, total: amount, subtotal: amount,
                            shipping: .zero(cny), tax: .zero(cny), placedAt: paidAt, updatedAt: paidAt),
        paidAt: paidAt)
    let envelope = try Envelope.make(
        event, id: "bench-\(index)", customer: customer, occurred: paidAt, recorded: paidAt,
        source: "bench", correlation: "bench-\(index)", cause: nil)
    commands.append(["XADD", Keyspace.stream("intake", partitioning.partition(ofCustomer: customer)), "*"]
        + envelope.fields.flatMap { [$0.0, $0.1] })
    if commands.count == 1_000 {
        _ = try await client.pipeline(commands)
        commands.removeAll(keepingCapacity: true)
    }
}
if !commands.isEmpty { _ = try await client.pipeline(commands) }

func announced() async throws -> Int {
    var total = 0
    for partition in partitioning.all {
        total += Int(try await client.send(["XLEN", Keyspace.stream("loyalty", partition)]).int ?? 0)
    }
    return total
}

// Repeat-purchase bonuses off, so exactly one points.earned per order.
let rules = FileManager.default.temporaryDirectory.appendingPathComponent("loyalty-bench-\(getpid()).yaml")
try "loyalty:\n  bonuses:\n    repeat_purchase: 0\n".write(to: rules, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(at: rules) }

let start = ContinuousClock.now
var processes: [Process] = []
for replica in 0..<replicas {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.environment = ProcessInfo.processInfo.environment.merging([
        "RAPPORT_REDIS_URL": url, "RAPPORT_HTTP_PORT": String(httpPort + replica), "RAPPORT_PARTITIONS": "4",
        "RAPPORT_CONSUMER_NAME": "bench-\(replica)", "RAPPORT_CONFIG": rules.path, "RAPPORT_LOG_LEVEL": "error",
    ]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    processes.append(process)
}

var firstOutput: Duration?
let deadline = ContinuousClock.now + .seconds(600)
while ContinuousClock.now < deadline {
    let done = try await announced()
    if firstOutput == nil, done > 0 { firstOutput = ContinuousClock.now - start }
    if done >= orders { break }
    try await Task.sleep(for: .milliseconds(20))
}
let elapsed = ContinuousClock.now - start
for process in processes where process.isRunning {
    process.terminate()
    process.waitUntilExit()
}
let done = try await announced()
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
print("loyalty_orders=\(done) replicas=\(replicas) customers=\(customers) seconds=\(String(format: "%.3f", seconds(elapsed)))"
    + " first_output_after=\(String(format: "%.3f", seconds(firstOutput ?? elapsed)))"
    + " orders_per_second=\(Int(Double(done) / seconds(elapsed)))")
await client.shutdown()
if done != orders { fail("only \(done) of \(orders) orders were announced") }
