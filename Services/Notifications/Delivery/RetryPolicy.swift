import Streams

/// Exponential backoff with full jitter for failed sends: attempt n waits a random time in
/// `base * 2^(n-1) / 2 ... base * 2^(n-1)`, capped, so a provider that failed for everyone is not
/// hit again by every replica at once. Half the ceiling is kept as a floor so retries still
/// spread out over the minutes the provider may need.
struct RetryPolicy: Sendable, Hashable {
    var maxAttempts = 5
    var base: Duration = .seconds(30)
    var cap: Duration = .seconds(3600)

    func delay(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let ceiling = min(cap, base * (1 << min(max(attempt - 1, 0), 30)))
        let milliseconds = ceiling.milliseconds
        return .milliseconds(milliseconds / 2 + Int64(Double(milliseconds / 2) * random))
    }
}
