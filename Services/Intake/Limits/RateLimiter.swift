import Model
import ServiceSupport
import Synchronization

/// One token bucket per source (`shopify`, `woocommerce`, each Standard Webhooks sender,
/// `complaints`), in memory, per replica: a flood from one platform is answered 429 with
/// `Retry-After` without slowing the others.
///
/// Source names of Standard Webhooks routes come from the URL before any signature is checked,
/// so the table is bounded: full buckets (which remember nothing) are dropped when it grows,
/// and past the bound unknown names share one bucket.
final class RateLimiter: Sendable {
    static let maxBuckets = 1024
    private static let overflowSource = "(other)"

    private let ratePerSecond: Int
    private let burst: Int
    private let clock: any TimeSource
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(ratePerSecond: Int, burst: Int, clock: any TimeSource) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.clock = clock
    }

    /// Takes a token for `source`, or throws 429 with the seconds until the next one.
    func admit(_ source: String) throws {
        let now = clock.now()
        let retryAfter: Int? = buckets.withLock { table in
            var key = source
            if table[key] == nil, table.count >= Self.maxBuckets {
                table = table.filter { entry in
                    var bucket = entry.value
                    return !bucket.isFull(now: now)
                }
                if table.count >= Self.maxBuckets { key = Self.overflowSource }
            }
            var bucket = table[key] ?? TokenBucket(ratePerSecond: ratePerSecond, burst: burst, now: now)
            let wait = bucket.take(now: now)
            table[key] = bucket
            return wait
        }
        if let retryAfter { throw Problem.tooManyRequests(retryAfterSeconds: retryAfter) }
    }
}
