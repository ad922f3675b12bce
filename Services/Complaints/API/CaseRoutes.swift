import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// The complaints API: cases (`/v1/complaints`), the report (`/v1/reports/complaints`) and the
/// customer's rights (`/v1/customers/{id}` erasure, audit trail and data export).
///
/// Scopes: `complaints:agent` works cases; `complaints:submit` (or agent) opens them;
/// `complaints:admin` escalates by hand, marks mediation and reads reports; `pii:read` sees
/// personal fields opened; `customers:erase` erases; `customers:read` reads the audit trail.
struct CaseRoutes: Sendable {
    let desk: CaseDesk
    let queries: CaseQueries
    let redis: RedisClient
    let clock: any TimeSource

    init(desk: CaseDesk, redis: RedisClient, clock: any TimeSource) {
        self.desk = desk
        self.queries = CaseQueries(redis: redis, partitioning: desk.partitioning)
        self.redis = redis
        self.clock = clock
    }

    static let defaultPageSize = 50
    static let maxPageSize = 200

    func register(on router: Router<RapportRequestContext>) {
        router.group("/v1/complaints")
            .add(middleware: RequireAnyScope(scopes: [.complaintsSubmit, .complaintsAgent]))
            .post { request, context in try await create(request, context) }

        let agent = router.group("/v1/complaints").add(middleware: RequireScope(.complaintsAgent))
        agent.get { request, context in try await list(request, context) }
        agent.get("{id}") { _, context in try await detail(context) }
        agent.post("{id}/replies") { request, context in try await reply(request, context) }
        agent.post("{id}/assignment") { request, context in try await assign(request, context) }
        agent.post("{id}/status") { request, context in try await changeStatus(request, context) }
        agent.post("{id}/resolution") { request, context in try await resolve(request, context) }
        agent.post("{id}/follow-ups") { request, context in try await followUp(request, context) }
        agent.post("{id}/satisfaction") { request, context in try await rate(request, context) }

        let admin = router.group("/v1/complaints").add(middleware: RequireScope(.complaintsAdmin))
        admin.post("{id}/escalations") { request, context in try await escalate(request, context) }
        admin.post("{id}/mediation") { request, context in try await mediate(request, context) }

        router.group("/v1/reports/complaints").add(middleware: RequireScope(.complaintsAdmin))
            .get { request, context in try await report(request, context) }

        router.group("/v1/customers").add(middleware: RequireScope(.customersErase))
            .delete("{customer}") { _, context in try await erase(context) }
        let reader = router.group("/v1/customers").add(middleware: RequireScope(.customersRead))
        reader.get("{customer}/audit") { request, context in try await audit(request, context) }
        reader.get("{customer}/exports/{request}") { _, context in try await export(context) }
    }

    // MARK: cases

    private func create(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let principal = try HTTPSupport.principal(context)
        let body = try await HTTPSupport.decode(NewComplaintBody.self, from: request)
        guard let customer = try? CustomerID.parse(body.customer) else {
            throw Problem.badRequest("customer must be a customer id <source>:<store>:<external id>")
        }
        let category = body.category.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !category.isEmpty, category.count <= 64 else { throw Problem.badRequest("category must be 1 to 64 characters") }
        guard !body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem.badRequest("text must say what the complaint is about")
        }
        let complaintID = body.complaintID ?? UUID().uuidString.lowercased()
        guard !complaintID.isEmpty, complaintID.count <= 128 else { throw Problem.badRequest("complaint_id must be 1 to 128 characters") }
        var submittedAt: Timestamp?
        if let text = body.submittedAt {
            guard let parsed = HTTPSupport.timestamp(text) else {
                throw Problem.badRequest("submitted_at must be an ISO 8601 date-time or Unix milliseconds")
            }
            submittedAt = parsed
        }
        var plain = ["text": body.text]
        if let demand = body.demand, !demand.isEmpty { plain["demand"] = demand }
        if let contact = body.contact, !contact.isEmpty { plain["contact"] = contact }
        let customerText = customer.description
        let personal = plain
        let submitted = submittedAt
        let partition = desk.partitioning.partition(ofCustomer: customerText)
        let desk = self.desk
        let requested = body.priority
        let channel = body.channel ?? .agent
        let orderID = body.orderID
        let (record, created) = try await redis.commit(clock: clock) { transaction in
            let new = NewCase(
                source: "agent", complaintID: complaintID, customer: customerText, channel: channel, category: category,
                orderID: orderID, personal: try desk.keys.seal(personal, customer: customerText, in: transaction),
                submittedAt: min(submitted ?? transaction.now, transaction.now), openedBy: principal.name,
                correlation: "agent:\(complaintID)")
            let origin = EventOrigin(idPrefix: "\(new.caseID)@1", correlation: new.correlation, cause: nil)
            return try desk.open(new, requested: requested, origin: origin, partition: partition, in: transaction)
        }
        var headers = HTTPFields()
        headers[.location] = "/v1/complaints/" + Self.pathSegment(record.id)
        return try await detailResponse(record, partition: partition, principal: principal, status: created ? .created : .ok, headers: headers)
    }

    private func list(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = CaseFilter()
        if let text = query["status"].map(String.init) {
            guard let status = CaseStatus(rawValue: text) else {
                throw Problem.badRequest("status must be one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.status = status
        }
        if let text = query["priority"].map(String.init) {
            guard let priority = ComplaintPriority(rawValue: text) else { throw Problem.badRequest("priority must be urgent or normal") }
            filter.priority = priority
        }
        if let text = query["breached"].map(String.init) {
            guard text == "true" || text == "false" else { throw Problem.badRequest("breached must be true or false") }
            filter.breached = text == "true"
        }
        filter.assignee = query["assignee"].map(String.init)
        if let text = query["customer"].map(String.init) {
            guard let customer = CustomerID(text) ?? CustomerID(percentEncoded: text) else {
                throw Problem.badRequest("customer must be a customer id <source>:<store>:<external id>")
            }
            filter.customer = customer.description
        }
        let limit = try Self.pageSize(query["limit"].map(String.init))
        var cursor: String?
        if let text = query["cursor"].map(String.init) {
            guard let member = Self.decodeCursor(text) else { throw Problem.badRequest("cursor is not one this API gave out") }
            cursor = member
        }
        let (cases, next) = try await queries.list(filter, after: cursor, limit: limit)
        let view = CaseListView(items: cases.map { CaseSummaryView($0, policy: desk.policy) }, nextCursor: next.map(Self.encodeCursor))
        return try HTTPSupport.json(view)
    }

    private func detail(_ context: RapportRequestContext) async throws -> Response {
        let principal = try HTTPSupport.principal(context)
        let (caseID, partition) = try await locate(context)
        let desk = self.desk
        let record = try await redis.commit(clock: clock) { transaction in
            try desk.load(caseID, partition: partition, in: transaction)
        }
        guard let record else { throw Self.noCase(caseID) }
        return try await detailResponse(record, partition: partition, principal: principal)
    }

    private func reply(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(ReplyBody.self, from: request)
        guard !body.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem.badRequest("message must hold the reply to the customer")
        }
        return try await change(request, context, body: body, action: "complaint.replied", fields: ["message", "status"]) { desk, record, agent, transaction in
            let sealed = try desk.seal(["message": body.message], for: record, in: transaction)
            return try desk.lifecycle.reply(&record, by: agent, sealedMessage: sealed, awaitingCustomer: body.awaitingCustomer ?? false, now: transaction.now)
        }
    }

    private func assign(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(AssignmentBody.self, from: request)
        let assignee = body.assignee.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !assignee.isEmpty, assignee.count <= 64 else { throw Problem.badRequest("assignee must be 1 to 64 characters") }
        return try await change(request, context, body: body, action: "complaint.assigned", fields: ["assignee"]) { desk, record, agent, transaction in
            try desk.lifecycle.assign(&record, to: assignee, by: agent, now: transaction.now)
        }
    }

    /// The statuses agents set directly; the others have their own routes.
    private static let directStatuses: [CaseStatus: String] = [
        .acknowledged: "a reply acknowledges a case: POST /v1/complaints/{id}/replies",
        .resolved: "resolve a case with its root cause: POST /v1/complaints/{id}/resolution",
        .mediation: "mediation is marked by an administrator: POST /v1/complaints/{id}/mediation",
        .open: "a case is open only when it arrives",
    ]

    private func changeStatus(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(StatusBody.self, from: request)
        guard let status = CaseStatus(rawValue: body.status) else {
            throw Problem.badRequest("status must be one of investigating, awaiting_customer, closed, reopened")
        }
        if let reason = Self.directStatuses[status] { throw Problem.badRequest(reason) }
        return try await change(request, context, body: body, action: "complaint.status", fields: ["status"]) { desk, record, agent, transaction in
            let outputs = try desk.lifecycle.changeStatus(&record, to: status, by: agent, now: transaction.now)
            if let note = body.note, let sealed = try desk.seal(["note": note], for: record, in: transaction) {
                record.timeline[record.timeline.count - 1].sealed = sealed
            }
            return outputs
        }
    }

    private func mediate(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        try await change(request, context, body: NoBody(), action: "complaint.mediation", fields: ["status"]) { desk, record, agent, transaction in
            try desk.lifecycle.changeStatus(&record, to: .mediation, by: agent, now: transaction.now)
        }
    }

    private func escalate(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(EscalationBody.self, from: request, emptyAs: EscalationBody(level: nil))
        return try await change(request, context, body: body, action: "complaint.escalated", fields: ["level"]) { desk, record, agent, transaction in
            try desk.lifecycle.escalate(&record, toLevel: body.level, by: agent, now: transaction.now)
        }
    }

    private func resolve(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(ResolutionBody.self, from: request)
        let rootCause = body.rootCause.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rootCause.isEmpty, rootCause.count <= 200 else { throw Problem.badRequest("root_cause must be 1 to 200 characters") }
        let compensation = try Self.compensation(body.compensation)
        var fields = ["status", "resolution"]
        if body.note != nil { fields.append("note") }
        return try await change(request, context, body: body, action: "complaint.resolved", fields: fields) { desk, record, agent, transaction in
            let sealed = try desk.seal(["note": body.note ?? ""], for: record, in: transaction) ?? [:]
            return try desk.lifecycle.resolve(&record, rootCause: rootCause, compensation: compensation, sealedNote: sealed, by: agent, now: transaction.now)
        }
    }

    private func followUp(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(FollowUpBody.self, from: request)
        return try await change(request, context, body: body, action: "complaint.followed_up", fields: body.note == nil ? ["follow_up"] : ["follow_up", "note"]) { desk, record, agent, transaction in
            let sealed = try desk.seal(["note": body.note ?? ""], for: record, in: transaction)
            return try desk.lifecycle.recordFollowUp(&record, reached: body.reached, sealedNote: sealed, by: agent, now: transaction.now)
        }
    }

    private func rate(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let body = try await HTTPSupport.decode(SatisfactionBody.self, from: request)
        return try await change(request, context, body: body, action: "complaint.rated", fields: ["rating", "status"]) { desk, record, agent, transaction in
            try desk.lifecycle.rate(&record, score: body.score, by: agent, now: transaction.now)
        }
    }

    /// Finds the case, applies `action` in a commit on its partition and answers the case as
    /// it is afterwards. A refused action is 409 (or 400) with the reason.
    ///
    /// With an `Idempotency-Key`, the key and the request's fingerprint are stored in the same
    /// commit: a retry of the same request is answered with the case as it is now
    /// (`Idempotent-Replayed: true`) and changes nothing; the key sent with a different request
    /// is a 409.
    private func change(
        _ request: Request, _ context: RapportRequestContext, body: some Encodable, action auditAction: String, fields: [String],
        _ action: @escaping @Sendable (CaseDesk, inout ComplaintCase, String, StateTransaction) throws -> [CaseOutput]
    ) async throws -> Response {
        let principal = try HTTPSupport.principal(context)
        let key = try IdempotencyKey.optional(in: request)
        let fingerprint = try key.map { _ in try IdempotencyKey.fingerprint(action: auditAction, body: body) }
        let (caseID, partition) = try await locate(context)
        let desk = self.desk
        let agent = principal.name
        let cause = "\(request.method) \(request.uri.path)"
        let outcome: (record: ComplaintCase?, replayed: Bool)
        do {
            outcome = try await redis.commit(clock: clock) { transaction in
                if let key, let fingerprint {
                    let slot = CaseKeys.idempotency(partition, caseID: caseID, actor: agent, key: key)
                    if let seen = try transaction.get(slot) {
                        guard seen == fingerprint else { throw CaseError.idempotencyKeyReused }
                        return (try desk.load(caseID, partition: partition, in: transaction), true)
                    }
                    transaction.set(slot, fingerprint, expiresAfter: .seconds(24 * 3600))
                }
                let record = try desk.change(
                    caseID, partition: partition, actor: agent, auditAction: auditAction, auditFields: fields, cause: cause,
                    in: transaction
                ) { record in try action(desk, &record, agent, transaction) }
                return (record, false)
            }
        } catch let error as CaseError {
            throw error.problem
        }
        guard let record = outcome.record else { throw Self.noCase(caseID) }
        var headers = HTTPFields()
        if outcome.replayed { headers[.idempotentReplayed] = "true" }
        return try await detailResponse(record, partition: partition, principal: principal, headers: headers)
    }

    private func detailResponse(
        _ record: ComplaintCase, partition: Partition, principal: Principal, status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) async throws -> Response {
        let desk = self.desk
        let canRead = principal.has(.piiRead) && record.erasedAt == nil
        let view = try await redis.commit(clock: clock) { transaction in
            try CaseDetailView(record, policy: desk.policy, now: transaction.now) { sealed in
                guard canRead else { return nil }
                return try desk.keys.open(sealed, customer: record.customer, in: transaction)
            }
        }
        return try HTTPSupport.json(view, status: status, headers: headers)
    }

    private func locate(_ context: RapportRequestContext) async throws -> (String, Partition) {
        let caseID = try HTTPSupport.pathValue("id", context)
        guard let partition = try await queries.locate(caseID) else { throw Self.noCase(caseID) }
        return (caseID, partition)
    }

    // MARK: report

    private func report(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let fromText = query["from"].map(String.init), let from = HTTPSupport.timestamp(fromText),
              let toText = query["to"].map(String.init), let to = HTTPSupport.timestamp(toText)
        else {
            throw Problem.badRequest("from and to are required: dates (2025-03-01, UTC midnight), ISO 8601 date-times or Unix milliseconds")
        }
        guard from < to else { throw Problem.badRequest("from must be earlier than to") }
        let facts = try await queries.facts(openedFrom: from, to: to)
        let report = ComplaintReport(facts: facts, from: from, to: to, timeZone: desk.policy.sla.calendar.hours?.timeZone)
        if Self.wantsCSV(request) {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"complaints-report.csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: report.csv)))
        }
        return try HTTPSupport.json(report)
    }

    /// `text/csv` is chosen when the client lists it before (or without) JSON.
    static func wantsCSV(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        let types = accept.split(separator: ",").map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
        guard let csv = types.firstIndex(of: "text/csv") else { return false }
        let json = types.firstIndex(of: "application/json") ?? Int.max
        return csv < json
    }

    // MARK: customer rights

    private func erase(_ context: RapportRequestContext) async throws -> Response {
        let principal = try HTTPSupport.principal(context)
        let customer = try HTTPSupport.customer(context)
        let partition = desk.partitioning.partition(ofCustomer: customer)
        let desk = self.desk
        try await redis.commit(clock: clock) { transaction in
            try desk.erase(customer: customer, cause: "DELETE /v1/customers", actor: principal.name, partition: partition, in: transaction)
        }
        return Response(status: .noContent)
    }

    private func audit(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try HTTPSupport.customer(context)
        let query = request.uri.queryParameters
        let limit = try Self.pageSize(query["limit"].map(String.init))
        let (records, next) = try await queries.audit(customer: customer, after: query["cursor"].map(String.init), limit: limit)
        struct Entry: Encodable {
            var id: String
            var action: String
            var fields: [String]
            var cause: String
            var actor: String
            var at: String
        }
        struct Page: Encodable {
            var customer: String
            var entries: [Entry]
            var nextCursor: String?
            enum CodingKeys: String, CodingKey {
                case customer, entries
                case nextCursor = "next_cursor"
            }
        }
        let entries = records.map {
            Entry(id: $0.id, action: $0.record.action, fields: $0.record.fields, cause: $0.record.cause, actor: $0.record.actor, at: $0.record.at.description)
        }
        return try HTTPSupport.json(Page(customer: customer, entries: entries, nextCursor: next))
    }

    private func export(_ context: RapportRequestContext) async throws -> Response {
        let principal = try HTTPSupport.principal(context)
        let customer = try HTTPSupport.customer(context)
        let requestID = try HTTPSupport.pathValue("request", context)
        let partition = desk.partitioning.partition(ofCustomer: customer)
        let desk = self.desk
        let canRead = principal.has(.piiRead)
        let views = try await redis.commit(clock: clock) { transaction -> [CaseDetailView]? in
            guard let text = try transaction.get(CaseKeys.export(partition, requestID: requestID, customer: customer)) else { return nil }
            let export = try CaseCodec.decode(CaseExport.self, from: text)
            return try export.cases.map { record in
                try CaseDetailView(record, policy: desk.policy, now: transaction.now) { sealed in
                    guard canRead else { return nil }
                    return try desk.keys.open(sealed, customer: customer, in: transaction)
                }
            }
        }
        guard let views else { throw Problem.notFound("no export \(requestID) for this customer; it is written when the data request arrives and kept 30 days") }
        struct Export: Encodable {
            var customer: String
            var requestID: String
            var cases: [CaseDetailView]
            enum CodingKeys: String, CodingKey {
                case customer, cases
                case requestID = "request_id"
            }
        }
        return try HTTPSupport.json(Export(customer: customer, requestID: requestID, cases: views))
    }

    // MARK: helpers

    private static func compensation(_ body: ResolutionBody.CompensationBody?) throws -> Compensation {
        guard let body else { return .none }
        var compensation = Compensation.none
        if let code = body.couponCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            guard code.count <= 64 else { throw Problem.badRequest("compensation.coupon_code must be at most 64 characters") }
            compensation.couponCode = code
        }
        compensation.replacement = body.replacement ?? false
        if let refund = body.refund {
            let currency: CurrencyCode
            do { currency = try CurrencyCode(refund.currency) } catch {
                throw Problem.badRequest("compensation.refund.currency must be an ISO 4217 code like CNY")
            }
            let amount: Money
            do { amount = try Money.parse(refund.amount, currency: currency) } catch {
                throw Problem.badRequest("compensation.refund.amount must be a decimal amount like \"59.90\" for \(currency)")
            }
            guard amount.minorUnits > 0 else { throw Problem.badRequest("compensation.refund.amount must be more than zero") }
            compensation.refund = amount
        }
        if let points = body.points {
            guard points > 0, points <= 10_000_000 else { throw Problem.badRequest("compensation.points must be from 1 to 10000000") }
            compensation.points = points
        }
        return compensation
    }

    private static func pageSize(_ text: String?) throws -> Int {
        guard let text else { return defaultPageSize }
        guard let size = Int(text), (1...maxPageSize).contains(size) else {
            throw Problem.badRequest("limit must be a whole number from 1 to \(maxPageSize)")
        }
        return size
    }

    static func encodeCursor(_ member: String) -> String {
        Data(member.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let member = String(data: data, encoding: .utf8),
              CaseIndex.caseID(ofMember: member) != nil
        else { return nil }
        return member
    }

    static func pathSegment(_ caseID: String) -> String {
        caseID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? caseID
    }

    private static func noCase(_ caseID: String) -> Problem {
        Problem.notFound("there is no complaint case \(caseID)")
    }
}
