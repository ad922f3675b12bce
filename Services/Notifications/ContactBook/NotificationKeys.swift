import Model
import Streams

/// The keys notifications owns in one partition (all under `rapport:{pN}:notifications:`).
struct NotificationKeys: Sendable {
    static let service = "notifications"
    let partition: Partition

    init(_ partition: Partition) { self.partition = partition }

    func contact(_ customer: String) -> String { Keyspace.state(service: Self.service, partition, "contact", customer) }
    /// Set of customers with a contact entry, for shop-wide erasure.
    var customers: String { Keyspace.state(service: Self.service, partition, "customers") }
    /// The dedupe key of one message: set once, in the commit that queues it.
    func sent(_ customer: String, _ purpose: String, _ period: String) -> String {
        Keyspace.state(service: Self.service, partition, "sent", customer, purpose, period)
    }
    func delivery(_ id: String) -> String { Keyspace.state(service: Self.service, partition, "delivery", id) }
    /// Set before a delivery is acknowledged, so a redelivered job is not sent again.
    func deliverySent(_ id: String) -> String { Keyspace.state(service: Self.service, partition, "delivery", id, "sent") }
    /// Sorted set of failed delivery ids by failure time.
    var failed: String { Keyspace.state(service: Self.service, partition, "deliveries", "failed") }
    /// List of a customer's delivery ids, newest first.
    func history(_ customer: String) -> String { Keyspace.state(service: Self.service, partition, "history", customer) }
    func task(_ id: String) -> String { Keyspace.state(service: Self.service, partition, "task", id) }
    /// Set of one customer's task ids, for export and erasure.
    func customerTasks(_ customer: String) -> String { Keyspace.state(service: Self.service, partition, "tasks-of", customer) }
    /// Sorted set of task ids by due time.
    var tasks: String { Keyspace.state(service: Self.service, partition, "tasks") }
    func export(_ requestID: String, _ customer: String) -> String {
        Keyspace.state(service: Self.service, partition, "export", requestID, customer)
    }
    /// The delivery jobs the worker sends from.
    var outbox: String { Keyspace.stream("outbox:notifications", partition) }
    /// Delivery results for other systems.
    var results: String { Keyspace.stream("notifications", partition) }
}
