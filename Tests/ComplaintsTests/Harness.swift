import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Model
import Prometheus
import ServiceSupport
import Streams
import TestSupport
@testable import Complaints

/// Bearer tokens the service tests use, each with the scopes its name says.
enum Tokens {
    static let admin = "admin-token"
    static let agent = "agent-token"
    static let agentPII = "agent-pii-token"
    static let submit = "submit-token"
    static let supervisor = "supervisor-token"
    static let reader = "reader-token"
    static let eraser = "eraser-token"

    static var yaml: String {
        let grants: [(String, String, [Scope])] = [
            ("desk", agent, [.complaintsAgent]),
            ("desk-pii", agentPII, [.complaintsAgent, .piiRead]),
            ("shop-front", submit, [.complaintsSubmit]),
            ("supervisor", supervisor, [.complaintsAdmin]),
            ("auditor", reader, [.customersRead]),
            ("privacy", eraser, [.customersErase]),
        ]
        return "tokens:\n" + grants.map { name, token, scopes in
            let hash = TokenGrant(name: name, token: token, scopes: Set(scopes)).sha256
            return "  - {name: \(name), sha256: \(hash), scopes: [\(scopes.map(\.rawValue).joined(separator: ", "))]}"
        }.joined(separator: "\n") + "\n"
    }
}

/// The complaints service over a real redis-server with a manual clock, driven step by step:
/// entries are read and committed through the same batch committer the consumer runs, and due
/// timers are released by the same release script, so a test moves time and then drains.
final class ComplaintsHarness: @unchecked Sendable {
    // Only the owning test touches the harness, one step at a time.
    let server: RedisServer
    let clock: ManualTimeSource
    let runtime: ServiceRuntime
    let service: ComplaintsService
    let committer: BatchCommitter
    let release: TimerRelease
    let logger = Logger(label: "complaints-test")
    let source = "web"

    static let masterKey = Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString()

    init(rules: String = "", partitions: Int = 2, start: Timestamp = monday) throws {
        server = try RedisServer()
        clock = ManualTimeSource(start)
        var configuration = try RapportConfiguration.load(service: .complaints, environment: [
            "RAPPORT_REDIS_URL": server.url, "RAPPORT_ADMIN_TOKEN": Tokens.admin, "RAPPORT_MASTER_KEY": Self.masterKey,
            "RAPPORT_PARTITIONS": String(partitions), "RAPPORT_CONSUMER_NAME": "tester",
        ])
        configuration.rules = try RulesFile(yaml: Tokens.yaml + rules)
        runtime = try ServiceRuntime(configuration: configuration, clock: clock, logger: logger)
        service = try ComplaintsService(runtime: runtime)
        committer = BatchCommitter(configuration: runtime.consumerConfiguration, handler: service.handler, clock: clock)
        release = TimerRelease(schedule: runtime.timerSchedule, redis: runtime.redis, partitioning: runtime.partitioning, clock: clock, logger: logger)
    }

    deinit {
        let redis = runtime.redis
        Task { await redis.shutdown() }
    }

    var partitioning: Partitioning { runtime.partitioning }
    var policy: CasePolicy { service.desk.policy }

    func setUp() async throws {
        try await runtime.makeConsumer(handler: service.handler).createGroups()
    }

    // MARK: input

    /// Appends a `complaint.submitted` like intake's, the personal fields sealed.
    @discardableResult
    func submit(
        _ complaintID: String, customer: String = "shopify:dev.myshopify.com:1", category: String = "delivery",
        text: String = "the parcel arrived broken", submittedAt: Timestamp? = nil, envelopeID: String? = nil
    ) async throws -> String {
        let desk = service.desk
        let sealed = try await runtime.redis.commit(clock: clock) { transaction in
            try desk.keys.seal(["text": text, "contact": "13800000000"], customer: customer, in: transaction)
        }
        let event = ComplaintSubmitted(
            complaintID: complaintID, channel: .web, category: category, personal: sealed, orderID: "o-\(complaintID)",
            submittedAt: submittedAt ?? clock.now())
        let envelope = try Envelope.make(
            event, id: envelopeID ?? "intake-\(complaintID)", customer: customer, occurred: event.submittedAt,
            recorded: clock.now(), source: source, correlation: "corr-\(complaintID)", cause: nil)
        try await append(envelope, to: "intake")
        return ComplaintCase.caseID(source: source, complaintID: complaintID)
    }

    func tierChanged(_ customer: String, to tier: String) async throws {
        let envelope = try Envelope.make(
            TierChanged(previous: nil, current: tier, reason: "threshold_crossed", changedAt: clock.now()),
            id: "tier-\(customer)-\(tier)", customer: customer, occurred: clock.now(), recorded: clock.now(),
            source: "classification", correlation: "tier", cause: nil)
        try await append(envelope, to: "customers")
    }

    func append(_ envelope: Envelope, to stream: String) async throws {
        let partition = partitioning.partition(ofCustomer: envelope.customer)
        _ = try await runtime.redis.send(["XADD", Keyspace.stream(stream, partition), "*"] + envelope.fields.flatMap { [$0.0, $0.1] })
    }

    // MARK: driving

    /// Releases due timers and applies every waiting entry until nothing moves.
    func drain() async throws {
        while true {
            var moved = 0
            for partition in partitioning.all {
                moved += try await release.releaseDue(in: partition)
                for input in runtime.inputs { moved += try await consume(input, partition) }
            }
            if moved == 0 { return }
        }
    }

    /// Moves the clock to `instant` and drains.
    func advance(to instant: Timestamp) async throws {
        clock.set(instant)
        try await drain()
    }

    private func consume(_ input: String, _ partition: Partition) async throws -> Int {
        let key = Keyspace.stream(input, partition)
        let reply = try await runtime.redis.send(["XREADGROUP", "GROUP", "complaints", "tester", "COUNT", "200", "STREAMS", key, ">"])
        let items = reply.array?.first?.array?[1].array ?? []
        let entries = items.compactMap { item -> RawEntry? in
            guard let pair = item.array, let id = pair[0].string else { return nil }
            return RawEntry(id: id, fields: pair[1].fieldMap, deliveries: 1)
        }
        guard !entries.isEmpty else { return 0 }
        let committer = self.committer
        let outcome = try await runtime.redis.withConnection { try committer.commit(entries, stream: input, partition: partition, on: $0) }
        if outcome.failed + outcome.deadLettered > 0 { throw TestSupportError("\(outcome.failed + outcome.deadLettered) entries failed in \(input)") }
        return entries.count
    }

    // MARK: reading back

    func load(_ caseID: String) async throws -> ComplaintCase? {
        for partition in partitioning.all {
            if let text = try await runtime.redis.send(["GET", CaseKeys.record(partition, caseID)]).string {
                return try CaseCodec.decode(ComplaintCase.self, from: text)
            }
        }
        return nil
    }

    /// Everything on the `complaints` streams, in stream order per partition.
    func events() async throws -> [Envelope] {
        var envelopes: [Envelope] = []
        for partition in partitioning.all {
            let entries = try await runtime.redis.send(["XRANGE", Keyspace.stream("complaints", partition), "-", "+"]).array ?? []
            for entry in entries {
                guard let fields = entry.array?[1].fieldMap else { continue }
                envelopes.append(try Envelope(fields: fields))
            }
        }
        return envelopes
    }

    func events<E: DomainEvent>(_ type: E.Type) async throws -> [E] {
        try await events().filter { $0.type == E.eventType }.map { try $0.decode(E.self) }
    }

    // MARK: HTTP

    func makeApplication() -> some ApplicationProtocol {
        let router = runtime.makeRouter(registry: PrometheusCollectorRegistry(), consumer: nil)
        service.register(on: router)
        return Application(router: router)
    }
}

extension TestClientProtocol {
    /// A JSON request with a bearer token; returns status and parsed body.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil, accept: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any], text: String) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        if let accept { headers[.accept] = accept }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return (response.status, object, text)
        }
    }
}

extension TestClientProtocol {
    /// A JSON request with extra headers, answering the status and the response's headers.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String, json: String, headers extra: HTTPFields
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields) {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        return try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: json)) { response in
            (response.status, response.headers)
        }
    }
}

/// `web:c1` as a path segment.
func path(_ caseID: String) -> String {
    "/v1/complaints/" + CaseRoutes.pathSegment(caseID)
}
