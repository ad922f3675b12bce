import Metrics

/// The consumer runtime's metrics, labelled by service and logical stream.
struct ConsumerMetrics: Sendable {
    let service: String

    func processed(_ stream: String) -> Counter {
        Counter(label: "rapport_entries_processed_total", dimensions: [("service", service), ("stream", stream)])
    }
    func duplicates(_ stream: String) -> Counter {
        Counter(label: "rapport_entries_duplicate_total", dimensions: [("service", service), ("stream", stream)])
    }
    func skipped(_ type: String) -> Counter {
        Counter(label: "rapport_events_skipped_total", dimensions: [("service", service), ("type", type)])
    }
    func failures(_ stream: String) -> Counter {
        Counter(label: "rapport_handler_failures_total", dimensions: [("service", service), ("stream", stream)])
    }
    var retries: Counter {
        Counter(label: "rapport_commit_retries_total", dimensions: [("service", service)])
    }
    func deadLetters(_ stream: String) -> Counter {
        Counter(label: "rapport_dead_letters_total", dimensions: [("service", service), ("stream", stream)])
    }
    var commitLatency: Metrics.Timer {
        Metrics.Timer(label: "rapport_commit_seconds", dimensions: [("service", service)], preferredDisplayUnit: .seconds)
    }
    func lag(_ stream: String, _ partition: Int) -> Gauge {
        Gauge(label: "rapport_consumer_lag", dimensions: [("service", service), ("stream", stream), ("partition", String(partition))])
    }
    func pending(_ stream: String, _ partition: Int) -> Gauge {
        Gauge(label: "rapport_consumer_pending", dimensions: [("service", service), ("stream", stream), ("partition", String(partition))])
    }
}
