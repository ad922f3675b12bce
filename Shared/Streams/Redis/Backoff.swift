/// Capped exponential backoff with full jitter: attempt n waits a random time in
/// `0 ... min(cap, base * 2^n)`, so replicas that lost Redis together do not reconnect in step.
public struct Backoff: Sendable {
    public var base: Duration
    public var cap: Duration
    private(set) var attempt = 0

    public init(base: Duration = .milliseconds(50), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The wait before the next attempt; each call doubles the ceiling until the cap.
    public mutating func next() -> Duration {
        let ceiling = min(cap, base * (1 << min(attempt, 20)))
        attempt += 1
        return .nanoseconds(Int64.random(in: 0...max(ceiling.nanoseconds, 1)))
    }

    public mutating func reset() { attempt = 0 }
}
