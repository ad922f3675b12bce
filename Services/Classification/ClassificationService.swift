import ServiceSupport

/// Builds classification from the shared runtime: its rules, the handler and the API.
/// Outside `main.swift` on purpose: top-level code is main-actor isolated, and the service
/// runtime calls this from its own executor.
enum ClassificationService {
    static func assemble(_ runtime: ServiceRuntime) throws -> ServiceMain.Parts {
        let settings = try ClassificationSettings.load(from: runtime.configuration.rules)
        let customerKeys = runtime.configuration.masterKeyring.map {
            CustomerKeys(keyring: $0, partitioning: runtime.partitioning)
        }
        if customerKeys == nil {
            runtime.logger.warning("RAPPORT_MASTER_KEY is not set: personal fields are reported as unavailable in profiles and exports")
        }
        let api = ClassificationAPI(
            redis: runtime.redis, partitioning: runtime.partitioning, clock: runtime.clock, settings: settings,
            customerKeys: customerKeys)
        return ServiceMain.Parts(
            handler: ClassificationHandler(settings: settings, customerKeys: customerKeys),
            routes: { router in api.register(on: router) })
    }
}
