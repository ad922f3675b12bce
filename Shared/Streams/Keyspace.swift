import Model

/// The names of every Redis key Rapport uses. Each key of partition `p` carries the hash tag
/// `{p<N>}`, so one partition lives in one Redis Cluster slot and a commit never spans slots.
public enum Keyspace {
    public static let prefix = "rapport"

    /// `rapport:{p3}:stream:intake`; timer streams are named `timers:<service>`.
    public static func stream(_ name: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):stream:\(name)"
    }

    /// The stream a service's timers are released into when due.
    public static func timerStream(service: String, _ partition: Partition) -> String {
        stream("timers:\(service)", partition)
    }

    /// Sorted set of a service's pending timers, scored by due time in Unix ms.
    public static func timers(service: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):timers:\(service)"
    }

    /// Hash from timer id to the envelope it releases.
    public static func timerPayloads(service: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):timers:\(service):payload"
    }

    public static func deadLetters(service: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):dead:\(service)"
    }

    /// Marks an event as applied by a service; expires after the retention window.
    public static func processed(service: String, eventID: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):\(service):done:\(eventID)"
    }

    public static func audit(_ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):audit"
    }

    /// A service's own state: `rapport:{p3}:loyalty:ledger:<customer>`.
    public static func state(service: String, _ partition: Partition, _ parts: String...) -> String {
        ([prefix, partition.hashTag, service] + parts).joined(separator: ":")
    }

    /// The wrapped data key of one customer, shared by every service that seals their data;
    /// deleting it is what erases the customer's personal data everywhere at once.
    public static func dataKey(customer: String, _ partition: Partition) -> String {
        "\(prefix):\(partition.hashTag):keys:\(customer)"
    }
}
