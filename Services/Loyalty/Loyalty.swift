import Logging
import Model
import ServiceSupport
import Streams

/// The loyalty service assembled from a runtime: the event handler, the API and the referral
/// relay share one policy and one store. `main` and the tests build it the same way.
struct Loyalty: Sendable {
    let rules: LedgerRules
    let store: LedgerStore
    let keys: CustomerKeys?
    let runtime: ServiceRuntime

    /// Reads the `loyalty:` rules; a bad value throws a ``ConfigurationError`` naming its key.
    init(runtime: ServiceRuntime) throws {
        self.runtime = runtime
        rules = LedgerRules(policy: try PointsPolicy(rules: runtime.configuration.rules["loyalty"]))
        store = LedgerStore(partitioning: runtime.partitioning)
        keys = runtime.configuration.masterKeyring.map { CustomerKeys(keyring: $0, partitioning: runtime.partitioning) }
    }

    var handler: LoyaltyHandler {
        LoyaltyHandler(rules: rules, store: store, keys: keys)
    }

    var api: LoyaltyAPI {
        LoyaltyAPI(rules: rules, store: store, redis: runtime.redis, clock: runtime.clock)
    }

    func makeRelay() -> ReferralRelay {
        ReferralRelay(redis: runtime.redis, partitioning: runtime.partitioning, logger: runtime.logger)
    }
}
