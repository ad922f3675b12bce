import Model

/// A token bucket: holds up to `burst` tokens, refills `ratePerSecond` per second, and each
/// request takes one. Time comes from the injected clock, so tests empty and refill it without
/// waiting.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private var updated: Timestamp

    init(ratePerSecond: Int, burst: Int, now: Timestamp) {
        self.ratePerSecond = Double(ratePerSecond)
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updated = now
    }

    /// Takes a token: nil when one was available, else the whole seconds until one will be.
    mutating func take(now: Timestamp) -> Int? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return max(1, Int(((1 - tokens) / ratePerSecond).rounded(.up)))
    }

    /// Whether the bucket is full at `now`: such a bucket remembers nothing a new one would not.
    mutating func isFull(now: Timestamp) -> Bool {
        refill(now: now)
        return tokens >= burst
    }

    private mutating func refill(now: Timestamp) {
        // A clock that steps back adds nothing; it never takes tokens away either.
        let elapsed = Double(max(0, now.unixMilliseconds - updated.unixMilliseconds)) / 1000
        tokens = min(burst, tokens + elapsed * ratePerSecond)
        updated = max(updated, now)
    }
}
