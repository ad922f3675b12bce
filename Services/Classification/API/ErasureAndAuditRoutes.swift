import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

extension ClassificationAPI {
    /// `DELETE /v1/customers/{id}` (scope `customers:erase`): removes classification's profile
    /// and index entries and destroys the customer's data key, so every sealed copy of their
    /// personal data becomes unreadable. Idempotent: 204 whether or not a profile existed.
    func erase(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try customer(context)
        let actor = context.principal?.name ?? "unknown"
        let keys = keys(for: customer)
        let store = self.store
        let callID = "classification:api:\(UUID().uuidString.lowercased())"
        try await guarded {
            try await redis.commit(clock: clock) { transaction in
                let cause = ChangeCause.apiCall(callID, customer: customer, actor: actor, at: transaction.now)
                try store.erase(customer, requestedAt: transaction.now, keys: keys, cause: cause, in: transaction)
                // An operator's erasure must leave nothing readable even if no other service is
                // asked: the data key goes too (erasing it twice is harmless).
                transaction.delete(Keyspace.dataKey(customer: customer, keys.partition))
            }
        }
        return Response(status: .noContent)
    }

    struct AuditEntry: Encodable, Sendable {
        var at: String
        var action: String
        var fields: [String]
        var cause: String
        var actor: String
        var entry: String
    }

    struct AuditPage: Encodable, Sendable {
        var customer: String
        var entries: [AuditEntry]
        var nextCursor: String?
    }

    /// `GET /v1/customers/{id}/audit?cursor=&limit=` (scope `customers:read`): classification's
    /// part of the customer's audit trail, oldest first. The cursor is a stream entry id.
    func audit(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try customer(context)
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...500).contains(value) else { throw Problem.badRequest("limit is a whole number from 1 to 500") }
            limit = value
        }
        var cursor: String?
        if let text = query["cursor"].map(String.init) {
            guard text.allSatisfy({ $0.isNumber || $0 == "-" }), !text.isEmpty else {
                throw Problem.badRequest("the cursor is not one this API returned; start again without it")
            }
            cursor = text
        }
        var entries: [AuditEntry] = []
        var next: String?
        try await guarded {
            let page = try await AuditTrail(redis: redis, partitioning: partitioning)
                .records(customer: customer, service: ClassificationKeys.service, after: cursor, limit: limit)
            entries = page.records.map { id, record in
                AuditEntry(at: record.at.description, action: record.action, fields: record.fields, cause: record.cause, actor: record.actor, entry: id)
            }
            next = page.next
        }
        return try Self.json(AuditPage(customer: customer, entries: entries, nextCursor: next))
    }
}
