import Model
import ServiceSupport
import Streams

/// Classification's keys in one partition. Per customer one JSON value holds the profile; the
/// rest are write-only indexes kept in the same commit as the profile, for the list API, the
/// reports and the partition jobs.
///
/// Index sorted sets whose scores are all 0 are ordered by member, so the list API pages them
/// with `ZRANGEBYLEX` and merges partitions by customer id.
struct ClassificationKeys: Sendable {
    static let service = ServiceName.classification.rawValue
    let partition: Partition

    init(_ partition: Partition) { self.partition = partition }


    /// The customer's profile (JSON of ``CustomerProfile``).
    func profile(_ customer: String) -> String { Keyspace.state(service: Self.service, partition, "profile", customer) }
    /// Left by an erasure for 30 days, so an event older than the erasure, delivered late,
    /// cannot bring the profile back.
    func erased(_ customer: String) -> String { Keyspace.state(service: Self.service, partition, "erased", customer) }
    /// Every customer of the partition (all scores 0).
    var everyone: String { Keyspace.state(service: Self.service, partition, "index", "all") }
    /// Customers by current tier (all scores 0).
    func tier(_ name: String) -> String { Keyspace.state(service: Self.service, partition, "index", "tier", name) }
    /// Customers by RFM segment (all scores 0).
    func segment(_ segment: Segment) -> String { Keyspace.state(service: Self.service, partition, "index", "segment", segment.rawValue) }
    /// Customer to churn score.
    var churn: String { Keyspace.state(service: Self.service, partition, "index", "churn") }
    /// Customers of one store (all scores 0), for `shop.redacted`.
    func store(source: String, store: String) -> String { Keyspace.state(service: Self.service, partition, "index", "store", source, store) }
    /// The RFM inputs of every scored customer: last purchase time, purchases, spend.
    var recencyValues: String { Keyspace.state(service: Self.service, partition, "rfm", "recency") }
    var frequencyValues: String { Keyspace.state(service: Self.service, partition, "rfm", "frequency") }
    var monetaryValues: String { Keyspace.state(service: Self.service, partition, "rfm", "monetary") }
    /// The partition's current quintiles (JSON of ``RFMCuts``).
    var cuts: String { Keyspace.state(service: Self.service, partition, "rfm", "cuts") }
    /// When the partition's recurring jobs are next due (JSON of ``PartitionSchedule``).
    var schedule: String { Keyspace.state(service: Self.service, partition, "schedule") }
    /// Tier movements in one calendar month: `<from>><to>` to count, plus `upgrades`, `downgrades`.
    func movement(_ period: String) -> String { Keyspace.state(service: Self.service, partition, "movement", period) }
    /// One service's part of a data export.
    func export(request: String, customer: String) -> String { Keyspace.state(service: Self.service, partition, "export", request, customer) }
}
