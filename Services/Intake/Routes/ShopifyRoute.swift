import Hummingbird
import Logging
import Model
import ServiceSupport

/// `POST /webhooks/shopify`.
struct ShopifyRoute: Sendable {
    static let source = "shopify"

    let verifier: BodySignatureVerifier
    let desk: WebhookDesk

    func register(on router: Router<RapportRequestContext>) {
        router.post("/webhooks/shopify") { request, context in
            try await handle(request, logger: context.logger)
        }
    }

    func handle(_ request: Request, logger: Logger) async throws -> Response {
        try await desk.answer(source: Self.source, logger: logger) {
            let body = try await desk.readJSON(request, bucket: Self.source)
            guard verifier.verify(body: body, signature: request.headers[ShopifyDelivery.signatureHeader]) else {
                throw WebhookDesk.signatureProblem
            }
            let delivery = try ShopifyDelivery(headers: request.headers)
            let context = DeliveryContext(
                source: Self.source, store: delivery.shop, deliveryID: delivery.deliveryID,
                platformTime: delivery.triggeredAt, now: desk.clock.now())
            let normalised = try ShopifyNormaliser.normalise(topic: delivery.topic, body: body, context: context)
            // The topic is part of the key: one Shopify event may be delivered under two topics,
            // and each must be judged; the event ids still dedupe what they both report.
            return try await desk.persist(
                normalised, deliveryKey: "shopify:\(delivery.shop):\(delivery.topic):\(delivery.deliveryID)",
                correlation: "shopify:\(delivery.deliveryID)", logger: logger)
        }
    }
}
