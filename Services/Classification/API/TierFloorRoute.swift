import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// `PUT /v1/customers/{id}/tier-floor` (scope `customers:write`): staff make a customer at
/// least a given tier until a date, with a reason. The floor replaces any earlier one; its
/// expiry is a timer, and a change of the published tier emits `tier.changed` with reason
/// `manual_floor`.
extension ClassificationAPI {
    struct FloorRequest: Decodable {
        var tier: String
        /// ISO 8601, such as `2026-06-30T00:00:00Z`.
        var expiresAt: String
        var reason: String

        enum CodingKeys: String, CodingKey {
            case tier
            case expiresAt = "expires_at"
            case reason
        }
    }

    static let longestFloor: Duration = .days(5 * 366)

    func setFloor(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try customer(context)
        let actor = context.principal?.name ?? "unknown"
        let body: FloorRequest
        do {
            body = try JSONDecoder().decode(FloorRequest.self, from: try await request.body.collect(upTo: 16 * 1024))
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.badRequest("the body must be JSON like {\"tier\": \"A\", \"expires_at\": \"2026-06-30T00:00:00Z\", \"reason\": \"strategic partner\"}")
        }
        guard settings.policy.rank(of: body.tier) != nil else {
            throw Problem.badRequest("unknown tier '\(body.tier)'; the ladder is " + settings.policy.names.joined(separator: ", "))
        }
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else { throw Problem.badRequest("reason is required, up to 500 characters") }
        guard let expiresAt = Self.parseInstant(body.expiresAt) else {
            throw Problem.badRequest("expires_at must be an ISO 8601 time with a zone, such as 2026-06-30T00:00:00Z")
        }
        let now = clock.now()
        guard expiresAt > now else { throw Problem.badRequest("expires_at must be in the future") }
        guard expiresAt - now <= Self.longestFloor else { throw Problem.badRequest("a floor lasts at most five years") }

        let keys = keys(for: customer)
        let store = self.store
        let evaluator = ProfileEvaluator(settings: settings)
        let callID = "classification:api:\(UUID().uuidString.lowercased())"
        let document: ProfileDocument? = try await guarded {
            try await redis.commit(clock: clock) { transaction -> ProfileDocument? in
                guard let old = try store.load(customer, keys: keys, in: transaction) else { return nil }
                let floor = TierFloor(tier: body.tier, expiresAt: expiresAt, reason: reason, setBy: actor, setAt: transaction.now)
                let cuts = try transaction.get(keys.cuts).map { try JSONDocumentDecoder().decode(RFMCuts.self, from: $0) }
                let outcome = evaluator.evaluate(old, at: transaction.now, cuts: cuts, purpose: .floor(floor))
                let cause = ChangeCause.apiCall(callID, customer: customer, actor: actor, at: transaction.now)
                try store.save(outcome, replacing: old, keys: keys, cause: cause, in: transaction)
                let timer = try Envelope.make(
                    FloorExpiry(expiresAt: expiresAt), id: "classification:floor:\(customer):\(expiresAt.unixMilliseconds)",
                    customer: customer, occurred: expiresAt, recorded: transaction.now, source: ClassificationKeys.service,
                    correlation: callID, cause: callID)
                try store.timers.schedule(timer, timerID: ProfileStore.floorTimerID(customer), at: expiresAt, partition: keys.partition, in: transaction)
                return ProfileDocument(outcome.profile, settings: store.settings, at: transaction.now, personal: nil)
            }
        }
        guard let document else { throw Problem.notFound("classification has no profile for this customer") }
        return try Self.json(document)
    }

    /// `2026-06-30T00:00:00Z`, with or without fractional seconds, or with an offset.
    static func parseInstant(_ text: String) -> Timestamp? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return Timestamp(date) }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text).map(Timestamp.init)
    }
}
