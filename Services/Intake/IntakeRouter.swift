import Hummingbird
import Metrics
import Model
import Prometheus
import ServiceSupport
import Streams

/// Everything intake serves, assembled from the runtime: the three webhook routes and the
/// complaint form, sharing one rate limiter, body limit and store.
///
/// Fails at start-up when `RAPPORT_MASTER_KEY` is missing (intake seals personal data before it
/// stores anything), when a Standard Webhooks secret is malformed, or when the `intake` rules
/// are invalid; each message names the variable or key.
struct IntakeRoutes: Sendable {
    private let shopify: ShopifyRoute
    private let wooCommerce: WooCommerceRoute
    private let standard: StandardWebhooksRoute
    private let complaints: ComplaintRoute

    init(runtime: ServiceRuntime, metricsFactory: any MetricsFactory = MetricsSystem.factory) throws {
        let configuration = runtime.configuration
        let settings = try IntakeConfiguration(rules: configuration.rules)
        let keyring = try MasterKeyring(configuration: configuration)
        let store = IntakeStore(
            redis: runtime.redis,
            partitioning: runtime.partitioning,
            keys: CustomerKeys(keyring: keyring, partitioning: runtime.partitioning),
            clock: runtime.clock,
            dedupeRetention: settings.dedupeRetention,
            orderIndex: OrderIndex(
                redis: runtime.redis, partitioning: runtime.partitioning,
                retention: settings.orderIndexRetention, parkedRetention: settings.dedupeRetention),
            logger: runtime.logger)
        let desk = WebhookDesk(
            limiter: RateLimiter(ratePerSecond: settings.ratePerSecond, burst: settings.burst, clock: runtime.clock),
            bodyLimit: BodyLimit(maxBytes: settings.maxBodyBytes),
            store: store,
            metrics: IntakeMetrics(factory: metricsFactory),
            clock: runtime.clock)
        shopify = ShopifyRoute(verifier: BodySignatureVerifier(secrets: configuration.shopifySecrets), desk: desk)
        wooCommerce = WooCommerceRoute(verifier: BodySignatureVerifier(secrets: configuration.wooCommerceSecrets), desk: desk)
        standard = StandardWebhooksRoute(
            verifier: try StandardWebhooksVerifier(secrets: configuration.standardWebhookSecrets, clock: runtime.clock),
            desk: desk)
        complaints = ComplaintRoute(desk: desk)
        if configuration.shopifySecrets.isEmpty && configuration.wooCommerceSecrets.isEmpty
            && configuration.standardWebhookSecrets.isEmpty
        {
            runtime.logger.warning(
                """
                no webhook secrets are configured: every webhook is answered 401 until RAPPORT_SHOPIFY_SECRETS, \
                RAPPORT_WOOCOMMERCE_SECRETS or RAPPORT_STANDARD_WEBHOOK_SECRETS is set
                """)
        }
    }

    func register(on router: Router<RapportRequestContext>) {
        shopify.register(on: router)
        wooCommerce.register(on: router)
        standard.register(on: router)
        complaints.register(on: router)
    }
}

/// Intake's whole router: the shared `/health` and `/metrics` with bearer authentication, plus
/// intake's routes, counting into `registry`. Tests build the application from it.
func buildIntakeRouter(runtime: ServiceRuntime, registry: PrometheusCollectorRegistry) throws -> Router<RapportRequestContext> {
    let router = runtime.makeRouter(registry: registry, consumer: nil)
    try IntakeRoutes(runtime: runtime, metricsFactory: PrometheusMetricsFactory(registry: registry)).register(on: router)
    return router
}
