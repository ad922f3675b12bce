import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// `GET /v1/customers?tier=&segment=&churn_risk_over=&cursor=&limit=`: customers in id order,
/// filtered, a page at a time.
///
/// Each partition is read from the narrowest index the filters allow (the tier's, else the
/// segment's, else all customers), in id order after the cursor, and the remaining filters are
/// checked on the profiles; the partitions' pages are merged by id. The cursor is the last id
/// of the previous page, so pages stay stable while customers are added.
extension ClassificationAPI {
    struct ListItem: Encodable, Sendable {
        var id: String
        var tier: String?
        var segment: String?
        var churnScore: Int?
        var windowOrders: Int
        var windowSpend: [ProfileDocument.Amount]
    }

    struct ListPage: Encodable, Sendable {
        var customers: [ListItem]
        /// Pass as `cursor` for the next page; absent on the last page.
        var nextCursor: String?
    }

    struct ListFilter: Sendable {
        var tier: String?
        var segment: Segment?
        var churnOver: Int?

        func admits(_ profile: CustomerProfile) -> Bool {
            if let tier, profile.tier?.current != tier { return false }
            if let segment, profile.rfm?.segment != segment { return false }
            if let churnOver, (profile.churn?.score.total ?? 0) <= churnOver { return false }
            return true
        }
    }

    func list(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = ListFilter()
        if let tier = query["tier"].map(String.init) {
            guard settings.policy.rank(of: tier) != nil else {
                throw Problem.badRequest("unknown tier '\(tier)'; the ladder is " + settings.policy.names.joined(separator: ", "))
            }
            filter.tier = tier
        }
        if let segment = query["segment"].map(String.init) {
            guard let known = Segment(rawValue: segment) else {
                throw Problem.badRequest("unknown segment '\(segment)'; one of " + Segment.allCases.map(\.rawValue).joined(separator: ", "))
            }
            filter.segment = known
        }
        if let text = query["churn_risk_over"].map(String.init) {
            guard let value = Int(text), (0...100).contains(value) else {
                throw Problem.badRequest("churn_risk_over is a whole number from 0 to 100")
            }
            filter.churnOver = value
        }
        var limit = 50
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...200).contains(value) else { throw Problem.badRequest("limit is a whole number from 1 to 200") }
            limit = value
        }
        var after: String?
        if let cursor = query["cursor"].map(String.init) {
            guard let decoded = Self.decodeCursor(cursor) else {
                throw Problem.badRequest("the cursor is not one this API returned; start again without it")
            }
            after = decoded
        }

        var matches: [CustomerProfile] = []
        var more = false
        for partition in partitioning.all {
            let page = try await guarded { try await scan(partition, filter: filter, after: after, limit: limit) }
            matches += page.profiles
            if !page.exhausted { more = true }
        }
        matches.sort { $0.customer < $1.customer }
        if matches.count > limit { more = true }
        let pageProfiles = Array(matches.prefix(limit))
        let now = clock.now()
        let items = pageProfiles.map { profile in
            let figures = profile.figures(at: now, windowMonths: settings.policy.windowMonths)
            return ListItem(
                id: profile.customer, tier: profile.tier?.current, segment: profile.rfm?.segment.rawValue,
                churnScore: profile.churn?.score.total, windowOrders: figures.windowOrders,
                windowSpend: figures.windowSpend.sorted { $0.key.code < $1.key.code }.map {
                    ProfileDocument.Amount(currency: $0.key.code, amount: Money(minorUnits: $0.value, currency: $0.key).decimalString)
                })
        }
        let next = more && !pageProfiles.isEmpty ? pageProfiles.last.map { Self.encodeCursor($0.customer) } : nil
        return try Self.json(ListPage(customers: items, nextCursor: next))
    }

    /// Up to `limit` matching profiles of one partition after `after`; `exhausted` when the
    /// partition has no more candidates.
    private func scan(
        _ partition: Partition, filter: ListFilter, after: String?, limit: Int
    ) async throws -> (profiles: [CustomerProfile], exhausted: Bool) {
        let keys = ClassificationKeys(partition)
        let index = filter.tier.map(keys.tier) ?? filter.segment.map(keys.segment) ?? keys.everyone
        let chunk = max(limit, 100)
        var found: [CustomerProfile] = []
        var position = after.map { "(" + $0 } ?? "-"
        while true {
            let reply = try await redis.send(["ZRANGEBYLEX", index, position, "+", "LIMIT", "0", String(chunk)])
            let ids = reply.array?.compactMap(\.string) ?? []
            guard !ids.isEmpty else { return (found, true) }
            let values = try await redis.send(["MGET"] + ids.map(keys.profile)).array ?? []
            for (id, value) in zip(ids, values) {
                guard let text = value.string, let profile = try? ProfileStore.decode(text), filter.admits(profile) else { continue }
                found.append(profile)
                if found.count == limit { return (found, id == ids.last && ids.count < chunk) }
            }
            if ids.count < chunk { return (found, true) }
            position = "(" + (ids.last ?? "")
        }
    }

    static func encodeCursor(_ id: String) -> String {
        Data(id.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), !text.isEmpty else { return nil }
        return text
    }
}
