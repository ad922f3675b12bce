import Model

/// Reads one customer's records from a partition's audit trail. The trail is one stream per
/// partition shared by every service, so this scans it and keeps the records of one customer
/// written by one service: fine at today's volume; an index per customer is the next step when
/// trails grow long.
public struct AuditTrail: Sendable {
    public enum Order: Sendable { case oldestFirst, newestFirst }

    private let redis: RedisClient
    private let partitioning: Partitioning

    public init(redis: RedisClient, partitioning: Partitioning) {
        self.redis = redis
        self.partitioning = partitioning
    }

    /// Up to `limit` records of `customer` by `service`, continuing after stream entry `cursor`;
    /// `next` is the cursor for the following page, nil on the last one.
    public func records(
        customer: String, service: String, order: Order = .oldestFirst, after cursor: String? = nil, limit: Int
    ) async throws -> (records: [(id: String, record: AuditRecord)], next: String?) {
        let key = Keyspace.audit(partitioning.partition(ofCustomer: customer))
        var position = cursor.map { "(" + $0 } ?? (order == .oldestFirst ? "-" : "+")
        var found: [(id: String, record: AuditRecord)] = []
        while true {
            let command = order == .oldestFirst
                ? ["XRANGE", key, position, "+", "COUNT", "1000"]
                : ["XREVRANGE", key, position, "-", "COUNT", "1000"]
            let entries = try await redis.send(command).array ?? []
            for entry in entries {
                guard let pair = entry.array, pair.count == 2, let id = pair[0].string else { continue }
                position = "(" + id
                guard let record = try? AuditRecord(streamFields: pair[1].fieldMap),
                      record.customer == customer, record.service == service else { continue }
                found.append((id, record))
                if found.count == limit { return (found, id) }
            }
            if entries.count < 1000 { return (found, nil) }
        }
    }
}
