import Foundation
import Model
import ServiceSupport
import Streams

// Load generator for Benchmarks/run-complaints.sh, which runs the release rapport-complaints
// binary against a fresh redis-server and starts this tool beside it:
//
//   complaints-bench opens  <redis-url> <count>
//       appends <count> complaint.submitted envelopes (sealed like intake's) to the intake
//       streams and measures until the service has opened every case.
//   complaints-bench timers <redis-url> <count> <margin-seconds>
//       appends <count> complaints whose first-reply warnings (75% of 24 h) all come due at one
//       instant <margin-seconds> from now, waits for the cases to open, then measures from that
//       instant until the service has released the timers and emitted every warning.
//
// Needs RAPPORT_MASTER_KEY (the service's) to seal the complaint texts.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("complaints-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, ["opens", "timers"].contains(arguments[1]), let count = Int(arguments[3]), count > 0 else {
    fail("usage: complaints-bench opens <redis-url> <count> | timers <redis-url> <count> <margin-seconds>")
}
let mode = arguments[1]
let endpoint: RedisEndpoint
do { endpoint = try RedisEndpoint(url: arguments[2]) } catch { fail("\(error)") }
let configuration: RapportConfiguration
do { configuration = try RapportConfiguration.load(service: .complaints) } catch { fail("\(error)") }
guard let keyring = configuration.masterKeyring else { fail("set RAPPORT_MASTER_KEY to the service's master key") }
let partitioning = try Partitioning(count: configuration.partitions)
var options = RedisClient.Options()
options.threads = 4
let client = RedisClient(endpoint: endpoint, options: options)
let keys = CustomerKeys(keyring: keyring, partitioning: partitioning)
let clock = SystemTimeSource()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Cases opened so far, over every partition.
func openedCases() async throws -> Int {
    var total = 0
    for partition in partitioning.all {
        total += Int(try await client.send(["ZCARD", "rapport:\(partition.hashTag):complaints:index:all"]).int ?? 0)
    }
    return total
}

/// Events on the complaints streams, over every partition.
func complaintEvents() async throws -> Int {
    var total = 0
    for partition in partitioning.all {
        total += Int(try await client.send(["XLEN", Keyspace.stream("complaints", partition)]).int ?? 0)
    }
    return total
}

/// Timers of the service still waiting at or before `instant`.
func timersDue(by instant: Timestamp) async throws -> Int {
    var total = 0
    for partition in partitioning.all {
        total += Int(try await client.send([
            "ZCOUNT", Keyspace.timers(service: "complaints", partition), "-inf", String(instant.unixMilliseconds),
        ]).int ?? 0)
    }
    return total
}

/// `count` sealed submissions from 1,000 customers, as XADD commands. Normal category and a text
/// with no urgent keyword, so every case runs on the normal deadlines and emits only what is measured.
func submissions(submittedAt: Timestamp, prefix: String) async throws -> [[String]] {
    let customers = (0..<1_000).map { "bench:shop.example:\($0)" }
    var dataKeys: [String: DataKey] = [:]
    for customer in customers {
        dataKeys[customer] = try await client.commit(clock: clock) { transaction in
            try keys.dataKey(for: customer, in: transaction)
        }
    }
    var commands: [[String]] = []
    commands.reserveCapacity(count)
    for index in 0..<count {
        let customer = customers[index % customers.count]
        guard let key = dataKeys[customer] else { fail("no data key for \(customer)") }
        let personal = [
            "text": try FieldSealer.seal("The parcel \(index) arrived late and the box was damaged.", field: "text", customer: customer, key: key),
            "contact": try FieldSealer.seal("138\(String(format: "%08d", index))", field: "contact", customer: customer, key: key),
        ]
        let event = ComplaintSubmitted(
            complaintID: "\(prefix)-\(index)", channel: .web, category: "delivery", personal: personal,
            orderID: "order-\(index)", submittedAt: submittedAt)
        let envelope = try Envelope.make(
            event, id: "bench-\(prefix)-\(index)", customer: customer, occurred: submittedAt, recorded: clock.now(),
            source: "web", correlation: "bench-\(prefix)-\(index)", cause: nil)
        commands.append(["XADD", Keyspace.stream("intake", partitioning.partition(ofCustomer: customer)), "*"] + envelope.fields.flatMap { [$0.0, $0.1] })
    }
    return commands
}

func append(_ commands: [[String]]) async throws {
    for start in stride(from: 0, to: commands.count, by: 1_000) {
        _ = try await client.pipeline(Array(commands[start..<min(start + 1_000, commands.count)]))
    }
}

/// Polls until `condition` holds; fails after `timeout`.
func wait(for what: String, timeout: Duration = .seconds(900), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now > deadline { fail("gave up waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

let before = try await openedCases()
switch mode {
case "opens":
    let commands = try await submissions(submittedAt: clock.now(), prefix: "open")
    let start = ContinuousClock.now
    try await append(commands)
    let appended = ContinuousClock.now - start
    try await wait(for: "\(count) cases to open") { try await openedCases() - before >= count }
    let elapsed = ContinuousClock.now - start
    print("opened=\(count) seconds=\(String(format: "%.3f", seconds(elapsed))) opened_per_second=\(Int(Double(count) / seconds(elapsed))) append_seconds=\(String(format: "%.3f", seconds(appended)))")

default:
    guard arguments.count >= 5, let margin = Int64(arguments[4]), margin > 0 else { fail("timers needs <margin-seconds>") }
    // The deadlines count from the complaint: 18 h (75% of the 24 h first reply) after this
    // submission time is `margin` seconds from now, for every case at once.
    let due = clock.now() + .seconds(margin)
    let submittedAt = due - .seconds(18 * 3600)
    let commands = try await submissions(submittedAt: submittedAt, prefix: "timer")
    let start = ContinuousClock.now
    try await append(commands)
    try await wait(for: "\(count) cases to open") { try await openedCases() - before >= count }
    let openSeconds = seconds(ContinuousClock.now - start)
    let eventsBefore = try await complaintEvents()
    guard clock.now() < due else {
        fail("opening took \(Int(openSeconds)) s, past the \(margin) s margin; run again with a larger margin")
    }
    let scheduled = try await timersDue(by: due)
    try await Task.sleep(for: .milliseconds(max(0, (due - clock.now()).milliseconds)))
    let fired = ContinuousClock.now
    try await wait(for: "the due timers to be released") { try await timersDue(by: due) == 0 }
    let released = seconds(ContinuousClock.now - fired)
    try await wait(for: "\(count) warnings") { try await complaintEvents() - eventsBefore >= count }
    let consumed = seconds(ContinuousClock.now - fired)
    let emitted = try await complaintEvents() - eventsBefore
    print("open_cases=\(try await openedCases()) opened_in_seconds=\(String(format: "%.3f", openSeconds)) opened_per_second=\(Int(Double(count) / openSeconds)) timers_due_at_once=\(scheduled) released_in_seconds=\(String(format: "%.3f", released)) warnings=\(emitted) fired_in_seconds=\(String(format: "%.3f", consumed)) firings_per_second=\(Int(Double(count) / consumed))")
}
await client.shutdown()
