import Foundation
import Model
import Streams

/// What the list narrows to; nil fields do not filter.
struct CaseFilter: Sendable, Hashable {
    var status: CaseStatus?
    var priority: ComplaintPriority?
    var assignee: String?
    var breached: Bool?
    var customer: String?

    /// The most selective index the filter can be read from; the other fields are checked on
    /// each case.
    var drivingIndex: CaseIndex {
        if let customer { return .customer(customer) }
        if let assignee { return .assignee(assignee) }
        if let status { return .status(status) }
        if let priority { return .priority(priority) }
        if breached == true { return .breached }
        return .all
    }

    func matches(_ record: ComplaintCase) -> Bool {
        if let status, record.status != status { return false }
        if let priority, record.priority != priority { return false }
        if let assignee, record.assignee != assignee { return false }
        if let breached, record.breached != breached { return false }
        if let customer, record.customer != customer || record.erasedAt != nil { return false }
        return true
    }
}

/// Reads across partitions for the API: finding a case, the case list, report facts and the
/// audit trail. Reads only; every change goes through ``CaseDesk`` in a commit.
struct CaseQueries: Sendable {
    let redis: RedisClient
    let partitioning: Partitioning

    /// The partition holding `caseID`, found with one `EXISTS` per partition in one round trip
    /// (a case id does not name its customer, whose partition it lives in).
    func locate(_ caseID: String) async throws -> Partition? {
        let partitions = partitioning.all
        let replies = try await redis.pipeline(partitions.map { ["EXISTS", CaseKeys.record($0, caseID)] })
        for (partition, reply) in zip(partitions, replies) where (reply.int ?? 0) > 0 { return partition }
        return nil
    }

    /// One page of cases matching `filter`, newest first. `after` is the last index member of the
    /// previous page. Each partition is read in chunks from its driving index until it has more
    /// matches than the page holds, then the partitions are merged by member order.
    func list(_ filter: CaseFilter, after cursor: String?, limit: Int) async throws -> (cases: [ComplaintCase], next: String?) {
        var merged: [(member: String, record: ComplaintCase)] = []
        for partition in partitioning.all {
            merged += try await page(filter, partition: partition, after: cursor, wanted: limit + 1)
        }
        merged.sort { $0.member > $1.member }
        let page = merged.prefix(limit)
        let next = merged.count > limit ? page.last?.member : nil
        return (page.map(\.record), next)
    }

    private func page(_ filter: CaseFilter, partition: Partition, after cursor: String?, wanted: Int) async throws -> [(member: String, record: ComplaintCase)] {
        let key = CaseKeys.index(partition, filter.drivingIndex)
        let chunk = max(50, wanted * 2)
        var upper = cursor.map { "(" + $0 } ?? "+"
        var found: [(member: String, record: ComplaintCase)] = []
        while found.count < wanted {
            let reply = try await redis.send(["ZRANGE", key, upper, "-", "BYLEX", "REV", "LIMIT", "0", String(chunk)])
            let members = (reply.array ?? []).compactMap(\.string)
            guard let last = members.last else { break }
            let ids = members.compactMap(CaseIndex.caseID(ofMember:))
            let values = try await redis.send(["MGET"] + ids.map { CaseKeys.record(partition, $0) }).array ?? []
            for (member, value) in zip(members, values) {
                guard let text = value.string, let record = try? CaseCodec.decode(ComplaintCase.self, from: text),
                      filter.matches(record)
                else { continue }
                found.append((member, record))
                if found.count == wanted { break }
            }
            if members.count < chunk { break }
            upper = "(" + last
        }
        return found
    }

    /// The report facts of every case opened in `[from, to)`.
    func facts(openedFrom from: Timestamp, to: Timestamp) async throws -> [CaseFacts] {
        var facts: [CaseFacts] = []
        let lower = "[" + CaseIndex.member(openedAt: from, caseID: "")
        let upperBound = "(" + CaseIndex.member(openedAt: to, caseID: "")
        for partition in partitioning.all {
            var start = lower
            while true {
                let reply = try await redis.send([
                    "ZRANGE", CaseKeys.index(partition, .all), start, upperBound, "BYLEX", "LIMIT", "0", "1000",
                ])
                let members = (reply.array ?? []).compactMap(\.string)
                guard let last = members.last else { break }
                let ids = members.compactMap(CaseIndex.caseID(ofMember:))
                let values = try await redis.send(["HMGET", CaseKeys.facts(partition)] + ids).array ?? []
                for value in values {
                    if let text = value.string, let fact = try? CaseCodec.decode(CaseFacts.self, from: text) { facts.append(fact) }
                }
                if members.count < 1000 { break }
                start = "(" + last
            }
        }
        return facts
    }

    /// This service's audit entries of one customer, oldest first, from stream entry `after`.
    func audit(customer: String, after cursor: String?, limit: Int) async throws -> (records: [(id: String, record: AuditRecord)], next: String?) {
        try await AuditTrail(redis: redis, partitioning: partitioning)
            .records(customer: customer, service: CaseKeys.service, after: cursor, limit: limit)
    }
}
