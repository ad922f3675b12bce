import Metrics
import Synchronization

/// How a delivery ended, the `outcome` label of `rapport_intake_deliveries_total`.
enum DeliveryOutcome: String, Sendable {
    case accepted
    case duplicate
    /// Waiting for its order (see ``OrderIndex``); accepted.
    case parked
    /// WooCommerce's creation ping.
    case ping
    case unknownTopic = "unknown_topic"
    /// A known topic with nothing for Rapport in it; accepted.
    case ignored
    case badSignature = "bad_signature"
    case malformed
    case tooLarge = "too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case rateLimited = "rate_limited"
    /// Redis could not take it: 503, the platform retries.
    case unavailable
    case failed
}

/// `rapport_intake_deliveries_total{source,outcome}`: every delivery counted once by how it ended.
///
/// Counters are made once per label pair and kept: making one asks the metrics backend to look
/// it up under a lock, which is work every delivery need not repeat.
final class IntakeMetrics: Sendable {
    static let deliveries = "rapport_intake_deliveries_total"

    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])

    /// - Parameter factory: the process's bootstrapped factory in a service; a test passes its own.
    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func count(source: String, outcome: DeliveryOutcome) {
        let key = "\(source)\u{0}\(outcome.rawValue)"
        let counter = counters.withLock { table in
            if let known = table[key] { return known }
            let made = Counter(label: Self.deliveries, dimensions: [("source", source), ("outcome", outcome.rawValue)], factory: factory)
            table[key] = made
            return made
        }
        counter.increment()
    }
}
