import Model

/// One entry as a handler sees it: the decoded envelope plus where it came from.
public struct ConsumedEntry: Sendable {
    /// Logical stream name (`intake`, `customers`, `timers:loyalty`).
    public let stream: String
    public let partition: Partition
    /// The Redis stream entry id (`1700000000000-0`).
    public let entryID: String
    public let envelope: Envelope
    /// How many times the group has delivered this entry, this delivery included.
    public let deliveries: Int
}

/// The business side of a consumer: given an entry and a transaction, decide and queue writes.
///
/// `apply` runs on a Redis thread and may be called again for the same entry when a commit is
/// rejected because another replica changed a watched key, so it must only read through the
/// transaction and write through it, never perform outside effects.
public protocol EntryHandler: Sendable {
    /// The event types this handler applies; entries of other types are acknowledged and counted.
    var handledTypes: Set<String> { get }

    /// Keys `apply` will `get` for this entry, read for the whole batch in one round trip.
    func prefetchKeys(for entry: ConsumedEntry) -> [String]

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws
}

extension EntryHandler {
    public func prefetchKeys(for entry: ConsumedEntry) -> [String] { [] }
}
