import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// `GET /v1/reports/tiers?periods=6` (scope `customers:read`): how many customers each tier
/// and segment holds now (and each tier-segment pair), and the tier movements of the last
/// calendar months (UTC).
extension ClassificationAPI {
    struct TierReport: Encodable, Sendable {
        var generatedAt: String
        var customers: Int
        var tiers: [String: Int]
        /// Segment name to count; `unscored` for customers without a purchase or before the
        /// first daily recompute.
        var segments: [String: Int]
        /// Tier to segment to count.
        var tiersBySegment: [String: [String: Int]]
        var movement: [Movement]
    }

    struct Movement: Encodable, Sendable {
        var period: String
        var newCustomers: Int
        var upgrades: Int
        var downgrades: Int
        /// `from>to` to count, `none>C` for first classifications.
        var transitions: [String: Int]
    }

    func tierReport(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        var periodCount = 6
        if let text = request.uri.queryParameters["periods"].map(String.init) {
            guard let value = Int(text), (1...36).contains(value) else { throw Problem.badRequest("periods is a whole number from 1 to 36") }
            periodCount = value
        }
        let now = clock.now()
        let periods = RollingWindow.periods(endingAt: now, count: periodCount)
        let tiers = settings.policy.names
        var customers = 0
        var tierCounts = Dictionary(uniqueKeysWithValues: tiers.map { ($0, 0) })
        var segmentCounts = Dictionary(uniqueKeysWithValues: Segment.allCases.map { ($0.rawValue, 0) })
        var matrix = Dictionary(uniqueKeysWithValues: tiers.map { tier in
            (tier, Dictionary(uniqueKeysWithValues: Segment.allCases.map { ($0.rawValue, 0) }))
        })
        var movements = Dictionary(uniqueKeysWithValues: periods.map { ($0, [String: Int]()) })

        try await guarded {
            for partition in partitioning.all {
                let keys = ClassificationKeys(partition)
                var commands: [[String]] = [["ZCARD", keys.everyone]]
                commands += tiers.map { ["ZCARD", keys.tier($0)] }
                commands += Segment.allCases.map { ["ZCARD", keys.segment($0)] }
                for tier in tiers {
                    commands += Segment.allCases.map { ["ZINTERCARD", "2", keys.tier(tier), keys.segment($0)] }
                }
                commands += periods.map { ["HGETALL", keys.movement($0)] }
                let replies = try await redis.pipeline(commands)
                var cursor = replies.makeIterator()
                func next() -> RedisValue { cursor.next() ?? .null }
                customers += next().int.map(Int.init) ?? 0
                for tier in tiers { tierCounts[tier, default: 0] += next().int.map(Int.init) ?? 0 }
                for segment in Segment.allCases { segmentCounts[segment.rawValue, default: 0] += next().int.map(Int.init) ?? 0 }
                for tier in tiers {
                    for segment in Segment.allCases {
                        matrix[tier, default: [:]][segment.rawValue, default: 0] += next().int.map(Int.init) ?? 0
                    }
                }
                for period in periods {
                    for (field, value) in next().fieldMap {
                        movements[period, default: [:]][field, default: 0] += Int(value) ?? 0
                    }
                }
            }
        }
        segmentCounts["unscored"] = max(0, customers - segmentCounts.values.reduce(0, +))
        let movement = periods.map { period in
            var fields = movements[period] ?? [:]
            let upgrades = fields.removeValue(forKey: "upgrades") ?? 0
            let downgrades = fields.removeValue(forKey: "downgrades") ?? 0
            let newCustomers = fields.removeValue(forKey: "new") ?? 0
            return Movement(period: period, newCustomers: newCustomers, upgrades: upgrades, downgrades: downgrades, transitions: fields)
        }
        return try Self.json(TierReport(
            generatedAt: now.description, customers: customers, tiers: tierCounts, segments: segmentCounts,
            tiersBySegment: matrix, movement: movement))
    }
}
