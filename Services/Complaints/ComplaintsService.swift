import Hummingbird
import Model
import ServiceSupport
import Streams

/// The complaints service assembled from the shared runtime: its policy from the rules file,
/// the customer keys that seal complaint texts, the stream handler and the HTTP routes. Tests
/// build it the same way, with their own runtime and clock.
struct ComplaintsService: Sendable {
    let desk: CaseDesk
    let handler: ComplaintsHandler
    let routes: CaseRoutes

    init(runtime: ServiceRuntime) throws {
        guard let keyring = runtime.configuration.masterKeyring else {
            throw ConfigurationError.problem(
                "RAPPORT_MASTER_KEY",
                "rapport-complaints keeps complaint texts sealed and cannot start without a master key; set it to base64 of 32 bytes (`openssl rand -base64 32`)")
        }
        let policy = try CasePolicy(rules: runtime.configuration.rules)
        desk = CaseDesk(
            policy: policy, keys: CustomerKeys(keyring: keyring, partitioning: runtime.partitioning),
            schedule: runtime.timerSchedule)
        handler = ComplaintsHandler(desk: desk)
        routes = CaseRoutes(desk: desk, redis: runtime.redis, clock: runtime.clock)
    }

    func register(on router: Router<RapportRequestContext>) {
        routes.register(on: router)
    }
}
