import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// Notifications' API: a customer's contact settings and history, preferences, account-manager
/// tasks, failed deliveries and their resend, the token-free unsubscribe link, and erasure.
struct NotificationRoutes: Sendable {
    let app: NotificationsApp

    private var redis: RedisClient { app.runtime.redis }
    private var clock: any TimeSource { app.runtime.clock }
    private var partitioning: Partitioning { app.runtime.partitioning }

    func register(on router: Router<RapportRequestContext>) {
        router.get("/v1/unsubscribe") { request, _ in try await unsubscribe(request) }

        let customers = router.group("/v1/customers")
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.customersRead))
            .get(":id/notifications") { _, context in try await overview(try customer(context)) }
            .get(":id/audit") { request, context in try await audit(try customer(context), request: request) }
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.notificationsAdmin))
            .put(":id/preferences") { request, context in
                try await setPreferences(try customer(context), request: request, context: context)
            }
        customers.group().add(middleware: RequireScope<RapportRequestContext>(.customersErase))
            .delete(":id") { _, context in try await erase(try customer(context), context: context) }

        router.group("/v1/tasks").add(middleware: RequireScope<RapportRequestContext>(.customersRead))
            .get { request, _ in try await tasks(request) }

        let deliveries = router.group("/v1/deliveries").add(middleware: RequireScope<RapportRequestContext>(.notificationsAdmin))
        deliveries.get { request, _ in try await failedDeliveries(request) }
        deliveries.post(":id/retry") { _, context in try await retry(try context.parameters.require("id")) }
    }

    private func customer(_ context: RapportRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        guard let id = CustomerID(percentEncoded: raw) else { throw Problem.notFound("no customer with the id \(raw)") }
        return id.description
    }

    // MARK: customers

    private struct Overview: Codable {
        var customer: String
        var language: String?
        var timeZone: String?
        var tier: String?
        var consent: ChannelConsent
        var preferences: [String: [String: Bool]]
        var nextVisit: Timestamp?
        var deliveries: [DeliveryRecord]
    }

    private func overview(_ customer: String) async throws -> Response {
        let partition = partitioning.partition(ofCustomer: customer)
        let overview = try await redis.commit(clock: clock) { transaction -> Overview? in
            let book = ContactBook(partition: partition, transaction: transaction)
            guard let contact = try book.contact(customer) else { return nil }
            return Overview(
                customer: customer, language: contact.language, timeZone: contact.timeZone, tier: contact.tier,
                consent: contact.consent, preferences: contact.preferences, nextVisit: contact.nextVisit,
                deliveries: try book.history(customer))
        }
        guard let overview else { throw Problem.notFound("notifications has no contact entry for this customer") }
        return try Self.json(overview)
    }

    /// Notifications' part of the customer's audit trail, newest first, through the same
    /// ``AuditTrail`` reader as the other services (field names, never values).
    private func audit(_ customer: String, request: Request) async throws -> Response {
        let limit = try Self.limit(request.uri.queryParameters["limit"].map(String.init), default: 100, in: 1...1000)
        let page = try await AuditTrail(redis: redis, partitioning: partitioning)
            .records(customer: customer, service: NotificationKeys.service, order: .newestFirst, limit: limit)
        let records = page.records.map { AuditRecordDocument($0.record, entry: $0.id) }
        return try Self.json(AuditPageDocument(customer: customer, records: records))
    }

    private func setPreferences(_ customer: String, request: Request, context: RapportRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let choices: [String: [String: Bool]]
        do {
            choices = try JSONDecoder().decode([String: [String: Bool]].self, from: Data(buffer: body))
        } catch {
            throw Problem.badRequest(#"send {"email": {"marketing": false, "service": true}, "sms": {...}, "webhook": {...}}"#)
        }
        for (channel, categories) in choices {
            guard ChannelKind(rawValue: channel) != nil else { throw Problem.badRequest("unknown channel '\(channel)'; use email, sms or webhook") }
            for category in categories.keys where MessageCategory(rawValue: category) == nil {
                throw Problem.badRequest("unknown category '\(category)'; use service or marketing")
            }
        }
        let actor = context.principal?.name ?? "anonymous"
        let contact = try await changePreferences(customer, cause: "PUT /v1/customers/{id}/preferences", actor: actor) { preferences in
            for (channel, categories) in choices {
                preferences[channel, default: [:]].merge(categories) { _, new in new }
            }
        }
        return try Self.json(PreferencesBody(customer: customer, preferences: contact.preferences))
    }

    private struct PreferencesBody: Codable {
        var customer: String
        var preferences: [String: [String: Bool]]
    }

    /// Preferences are kept even for a customer intake has not reported yet: the contact entry
    /// is created and filled in when `customer.upserted` arrives.
    private func changePreferences(
        _ customer: String, cause: String, actor: String, _ change: @escaping @Sendable (inout [String: [String: Bool]]) -> Void
    ) async throws -> ContactEntry {
        let partition = partitioning.partition(ofCustomer: customer)
        return try await redis.commit(clock: clock) { transaction in
            let book = ContactBook(partition: partition, transaction: transaction)
            var contact = try book.contact(customer) ?? ContactEntry(customer: customer)
            change(&contact.preferences)
            book.save(contact)
            transaction.audit(
                AuditRecord(customer: customer, fields: ["preferences"], action: "preferences.changed", cause: cause,
                            actor: actor, service: NotificationKeys.service, at: transaction.now),
                partition: partition)
            return contact
        }
    }

    private func unsubscribe(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let customer = query["c"].map(String.init), let channel = query["ch"].map(String.init),
              let exp = query["exp"].flatMap({ Int64(String($0)) }), let sig = query["sig"].map(String.init),
              ChannelKind(rawValue: channel) != nil
        else { throw Problem.badRequest("the unsubscribe link is incomplete; use the link from the message as it is") }
        guard app.links.verify(customer: customer, channel: channel, exp: exp, sig: sig, now: clock.now()) else {
            throw Problem(status: .forbidden, detail: "the unsubscribe link is not valid or has expired")
        }
        _ = try await changePreferences(customer, cause: "unsubscribe link", actor: "customer") { preferences in
            preferences[channel, default: [:]]["marketing"] = false
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "You are unsubscribed from marketing messages. 您已退订营销消息。\n")))
    }

    private func erase(_ customer: String, context: RapportRequestContext) async throws -> Response {
        let partition = partitioning.partition(ofCustomer: customer)
        let handler = app.handler
        try await redis.commit(clock: clock) { transaction in
            try handler.erase(customer, cause: "DELETE /v1/customers/{id}", ContactBook(partition: partition, transaction: transaction))
        }
        return Response(status: .noContent)
    }

    // MARK: tasks and deliveries

    private func tasks(_ request: Request) async throws -> Response {
        let before = try Self.instant(request.uri.queryParameters["due_before"].map(String.init)) ?? clock.now()
        var tasks: [CareTask] = []
        for partition in partitioning.all {
            let keys = NotificationKeys(partition)
            let ids = try await redis.send(["ZRANGEBYSCORE", keys.tasks, "-inf", String(before.unixMilliseconds), "LIMIT", "0", "1000"])
                .array?.compactMap(\.string) ?? []
            guard !ids.isEmpty else { continue }
            let values = try await redis.send(["MGET"] + ids.map(keys.task)).array ?? []
            tasks += values.compactMap { $0.string.flatMap { try? JSONText.decode(CareTask.self, $0) } }
        }
        return try Self.json(["tasks": tasks.sorted { $0.due < $1.due }])
    }

    private func failedDeliveries(_ request: Request) async throws -> Response {
        let status = request.uri.queryParameters["status"].map(String.init) ?? "failed"
        guard status == DeliveryStatus.failed.rawValue else {
            throw Problem.badRequest("only status=failed is listed; look up a customer's deliveries at /v1/customers/{id}/notifications")
        }
        var records: [DeliveryRecord] = []
        for partition in partitioning.all {
            let keys = NotificationKeys(partition)
            let ids = try await redis.send(["ZRANGE", keys.failed, "0", "999"]).array?.compactMap(\.string) ?? []
            guard !ids.isEmpty else { continue }
            let values = try await redis.send(["MGET"] + ids.map(keys.delivery)).array ?? []
            records += values.compactMap { $0.string.flatMap { try? JSONText.decode(DeliveryRecord.self, $0) } }
        }
        return try Self.json(["deliveries": records.sorted { $0.updatedAt < $1.updatedAt }])
    }

    private func retry(_ id: String) async throws -> Response {
        guard let partition = DeliveryJob.partition(ofDeliveryID: id, count: partitioning.count) else {
            throw Problem.notFound("no delivery \(id)")
        }
        enum Outcome: Sendable { case missing, notFailed(DeliveryStatus), queued(DeliveryRecord) }
        let outcome = try await redis.commit(clock: clock) { transaction -> Outcome in
            let book = ContactBook(partition: partition, transaction: transaction)
            guard var record = try book.delivery(id) else { return .missing }
            guard record.status == .failed else { return .notFailed(record.status) }
            record.status = .queued
            record.attempts = 0
            record.updatedAt = transaction.now
            try book.saveDelivery(record, newForCustomer: false)
            try book.enqueue(record.job)
            return .queued(record)
        }
        switch outcome {
        case .missing: throw Problem.notFound("no delivery \(id)")
        case .notFailed(let status): throw Problem.conflict("delivery \(id) is \(status.rawValue); only a failed delivery is sent again")
        case .queued(let record): return try Self.json(record, status: .accepted)
        }
    }

    // MARK: helpers

    static func limit(_ text: String?, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.badRequest("limit must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Unix milliseconds or an ISO 8601 instant.
    static func instant(_ text: String?) throws -> Timestamp? {
        guard let text, !text.isEmpty else { return nil }
        if let milliseconds = Int64(text) { return Timestamp(unixMilliseconds: milliseconds) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Timestamp(date) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Timestamp(date) }
        throw Problem.badRequest("due_before must be Unix milliseconds or an ISO 8601 instant such as 2026-10-01T00:00:00Z")
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
