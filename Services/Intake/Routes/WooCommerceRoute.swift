import Hummingbird
import Logging
import Model
import ServiceSupport

/// `POST /webhooks/woocommerce`, including WooCommerce's unsigned creation ping.
struct WooCommerceRoute: Sendable {
    static let source = "woocommerce"

    let verifier: BodySignatureVerifier
    let desk: WebhookDesk

    func register(on router: Router<RapportRequestContext>) {
        router.post("/webhooks/woocommerce") { request, context in
            try await handle(request, logger: context.logger)
        }
    }

    func handle(_ request: Request, logger: Logger) async throws -> Response {
        try await desk.answer(source: Self.source, logger: logger) {
            if MediaType.of(request) == MediaType.form {
                return try await ping(request, logger: logger)
            }
            let body = try await desk.readJSON(request, bucket: Self.source)
            guard verifier.verify(body: body, signature: request.headers[WooCommerceDelivery.signatureHeader]) else {
                throw WebhookDesk.signatureProblem
            }
            let delivery = try WooCommerceDelivery(headers: request.headers)
            let context = DeliveryContext(
                source: Self.source, store: delivery.store, deliveryID: delivery.deliveryID ?? "",
                platformTime: nil, now: desk.clock.now())
            let normalised = try WooCommerceNormaliser.normalise(topic: delivery.topic, body: body, context: context)
            return try await desk.persist(
                normalised,
                deliveryKey: "woocommerce:" + WooCommerceNormaliser.deliveryKey(topic: delivery.topic, store: delivery.store, body: body),
                correlation: "woocommerce:\(delivery.deliveryID ?? delivery.store)", logger: logger)
        }
    }

    /// The ping is unsigned, so it is only answered and logged: it can change nothing.
    private func ping(_ request: Request, logger: Logger) async throws -> (DeliveryOutcome, HTTPResponse.Status) {
        try desk.limiter.admit(Self.source)
        let body = try await desk.bodyLimit.read(request)
        guard let webhookID = WooCommercePing.webhookID(in: body) else {
            throw Problem.unsupportedMediaType(expected: MediaType.json)
        }
        logger.info("WooCommerce webhook ping", metadata: ["webhook": "\(webhookID)"])
        return (.ping, .ok)
    }
}
