import Model

/// How a service consumes its input streams. The defaults are the production values; tests
/// shorten the waits.
public struct ConsumerConfiguration: Sendable {
    /// The service name, which is also the consumer group name.
    public var service: String
    /// This replica's name inside the group; unique per process.
    public var consumer: String
    public var partitioning: Partitioning
    /// Logical input stream names, read in every partition.
    public var inputs: [String]
    public var batchSize = 128
    /// How long one `XREADGROUP` waits for new entries; bounds how fast a stop is noticed.
    public var block: Duration = .seconds(1)
    /// Entries pending this long are taken over from whichever replica holds them (a crashed
    /// one, or a handler that failed and waits for its retry).
    public var claimIdle: Duration = .seconds(15)
    public var claimInterval: Duration = .seconds(1)
    /// Deliveries after which an entry whose handler still throws goes to the dead letters.
    public var maxDeliveries = 5
    /// How long processed markers are kept: longer than any redelivery or claim can take.
    public var markerRetention: Duration = .seconds(24 * 3600)
    /// `EXEC` rejections tolerated for one batch before it is given up and read again.
    public var maxCommitAttempts = 64

    public init(service: String, consumer: String, partitioning: Partitioning, inputs: [String]) {
        self.service = service
        self.consumer = consumer
        self.partitioning = partitioning
        self.inputs = inputs
    }
}
