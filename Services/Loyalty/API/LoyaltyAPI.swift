import Foundation
import HTTPTypes
import Hummingbird
import Model
import ServiceSupport
import Streams

/// Loyalty's HTTP API under `/v1/customers/{id}` (see `Services/Loyalty/openapi.yaml`).
/// `{id}` is the percent-encoded customer id. Writes go through one WATCH/MULTI/EXEC commit on
/// the customer's ledger key, the same key the event handler writes, so API calls and events
/// for one customer are serialised by Redis and the balance never goes below zero.
struct LoyaltyAPI: Sendable {
    let rules: LedgerRules
    let store: LedgerStore
    let redis: RedisClient
    let clock: any TimeSource

    static let bodyLimit = 16 * 1024

    func register(on router: Router<RapportRequestContext>) {
        let customers = router.group("/v1/customers")
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.customersRead))
            .get(":id/points") { request, context in try await points(request, context) }
            .get(":id/audit") { request, context in try await audit(request, context) }
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.pointsWrite))
            .post(":id/redemptions") { request, context in try await redemption(request, context) }
            .post(":id/adjustments") { request, context in try await adjustment(request, context) }
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.customersErase))
            .delete(":id") { request, context in try await erasure(request, context) }
    }

    // MARK: reads

    private func points(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try Self.customer(context)
        let limit = try Self.integerQuery(request, "limit", default: 50, in: 1...200)
        let cursor = try request.uri.queryParameters.get("cursor").map { text -> Int in
            guard let value = Int(text), value > 0 else { throw Problem.badRequest("cursor must be a next_cursor value from an earlier page") }
            return value
        }
        let key = LedgerStore.ledgerKey(customer, store.partition(of: customer))
        let text = try await Self.available { try await redis.send(["GET", key]).string }
        guard let text else {
            throw Problem.notFound("loyalty holds no points for this customer")
        }
        let ledger = try JSONDocumentDecoder().decode(PointsLedger.self, from: text)
        let document = PointsDocument(ledger: ledger, policy: rules.policy, at: clock.now(), before: cursor, limit: limit)
        return try Self.json(document, status: .ok)
    }

    /// This service's part of the customer's audit trail, newest first. It scans the
    /// partition's audit stream backwards and filters by customer: fine for the volume one
    /// partition's trail holds today; an index per customer would be the next step.
    private func audit(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try Self.customer(context)
        let limit = try Self.integerQuery(request, "limit", default: 100, in: 1...1000)
        let trail = AuditTrail(redis: redis, partitioning: store.partitioning)
        let page = try await Self.available {
            try await trail.records(customer: customer, service: LedgerStore.service.rawValue, order: .newestFirst, limit: limit)
        }
        let records = page.records.map { AuditRecordDocument($0.record, entry: $0.id) }
        return try Self.json(AuditPageDocument(customer: customer, records: records), status: .ok)
    }

    // MARK: writes

    private func redemption(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try Self.customer(context)
        let key = try IdempotencyKey.required(in: request)
        let body = try await Self.body(RedemptionRequest.self, request)
        guard body.points > 0 else { throw Problem.badRequest("points must be a whole number above 0") }
        let origin = Origin(apiCall: "redemption", key: key, customer: customer, actor: try Self.actor(context))
        let rules = rules
        let outcome = try await decide(origin) { ledger, now in
            rules.redeem(ledger, points: body.points, key: key, now: now)
        }
        return try Self.answer(outcome, key: key, customer: customer)
    }

    private func adjustment(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try Self.customer(context)
        let key = try IdempotencyKey.required(in: request)
        let body = try await Self.body(AdjustmentRequest.self, request)
        guard body.points != 0 else { throw Problem.badRequest("points must be a whole number other than 0: positive to credit, negative to take away") }
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty, reason.count <= 500 else {
            throw Problem.badRequest("reason is required (up to 500 characters): say why the points change, without personal data")
        }
        let actor = try Self.actor(context)
        let origin = Origin(apiCall: "adjustment", key: key, customer: customer, actor: actor)
        let rules = rules
        let outcome = try await decide(origin) { ledger, now in
            rules.adjust(ledger, points: body.points, reason: reason, key: key, actor: actor, now: now)
        }
        return try Self.answer(outcome, key: key, customer: customer)
    }

    /// Erases the customer's ledger, exports and timers; 204 whether or not there was one.
    private func erasure(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try Self.customer(context)
        let actor = try Self.actor(context)
        let store = store
        _ = try await Self.available {
            try await redis.commit(clock: clock) { transaction in
                let origin = Origin(
                    apiCall: "erasure", key: String(transaction.now.unixMilliseconds), customer: customer, actor: actor)
                return try store.erase(customer, origin: origin, in: transaction)
            }
        }
        return Response(status: .noContent)
    }

    /// Decides an API request on the customer's ledger and commits it with WATCH/MULTI/EXEC:
    /// if the ledger changed meanwhile (an event, a concurrent request), it decides again on
    /// the fresh ledger, so concurrent requests for one customer apply one after the other.
    private func decide(
        _ origin: Origin, _ rule: @escaping @Sendable (PointsLedger, Timestamp) -> (LedgerDecision, RequestOutcome)
    ) async throws -> RequestOutcome {
        let store = store
        return try await Self.available {
            try await redis.commit(clock: clock) { transaction in
                let previous = try store.load(origin.customer, in: transaction)
                let (decision, outcome) = rule(previous ?? PointsLedger(customer: origin.customer), transaction.now)
                try store.commit(decision, previous: previous, origin: origin, in: transaction)
                return outcome
            }
        }
    }

    // MARK: request and response helpers

    private static func answer(_ outcome: RequestOutcome, key: String, customer: String) throws -> Response {
        switch outcome {
        case .accepted(let entry, let balance, let replayed):
            var response = try json(
                RequestDocument(id: key, customer: customer, points: entry.points, balance: balance, entry: EntryDocument(entry)),
                status: .created)
            if replayed { response.headers[.idempotentReplayed] = "true" }
            return response
        case .refused(let reason, let replayed):
            var problem = Problem.conflict(reason)
            problem.extensions["reason"] = .string(reason)
            if replayed { problem.headers[.idempotentReplayed] = "true" }
            throw problem
        case .keyReused(let reason):
            var problem = Problem.conflict(reason)
            problem.extensions["reason"] = .string(reason)
            throw problem
        }
    }

    static func customer(_ context: RapportRequestContext) throws -> String {
        guard let text = context.parameters.get("id"), let id = CustomerID(percentEncoded: text) else {
            throw Problem.notFound("no customer has this id; write it as <source>:<store>:<external id>, percent-encoded")
        }
        return id.description
    }

    private static func actor(_ context: RapportRequestContext) throws -> String {
        guard let principal = context.principal else { throw Problem.unauthorized() }
        return principal.name
    }

    private static func integerQuery(_ request: Request, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem.unsupportedMediaType(expected: "application/json")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > bodyLimit {
            throw Problem.payloadTooLarge(limit: bodyLimit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyLimit)
        } catch {
            throw Problem.payloadTooLarge(limit: bodyLimit)
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("the body must be a JSON object like \(T.self == AdjustmentRequest.self ? #"{"points": -50, "reason": "goodwill correction"}"# : #"{"points": 500}"#)")
        }
    }

    /// Runs a Redis call; a lost connection or a commit that keeps colliding answers 503 so
    /// the client retries (with the same Idempotency-Key, which makes the retry safe).
    private static func available<T: Sendable>(_ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as RedisError {
            throw Problem.serviceUnavailable("the points store is unavailable (\(error)); retry shortly", retryAfterSeconds: 1)
        } catch let error as CommitError {
            throw Problem.serviceUnavailable("\(error)", retryAfterSeconds: 1)
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try APIJSON.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct RedemptionRequest: Decodable, Sendable {
    var points: Int64
}

struct AdjustmentRequest: Decodable, Sendable {
    var points: Int64
    var reason: String?
}

/// The answer to a redemption or adjustment.
struct RequestDocument: Encodable, Sendable {
    /// The Idempotency-Key, which names the request.
    var id: String
    var customer: String
    var points: Int64
    /// The balance right after this entry.
    var balance: Int64
    var entry: EntryDocument
}
