import Hummingbird
import Logging
import Model
import ServiceSupport

/// `POST /webhooks/standard/{source}`: any sender that signs by the Standard Webhooks spec and
/// sends Rapport's payload contract. `{source}` names the sender and becomes the source of its
/// customer ids.
struct StandardWebhooksRoute: Sendable {
    /// Names that belong to the platform routes: a Standard sender may not write their ids.
    static let reservedSources: Set<String> = [ShopifyRoute.source, WooCommerceRoute.source, "intake", "complaints"]

    let verifier: StandardWebhooksVerifier
    let desk: WebhookDesk

    func register(on router: Router<RapportRequestContext>) {
        router.post("/webhooks/standard/:source") { request, context in
            try await handle(request, sourceName: context.parameters.get("source") ?? "", logger: context.logger)
        }
    }

    func handle(_ request: Request, sourceName: String, logger: Logger) async throws -> Response {
        guard Self.isSourceName(sourceName), !Self.reservedSources.contains(sourceName) else {
            throw Problem.notFound("there is no webhook route for this source; a source name is 1 to 32 of a-z, 0-9, '_', '-'")
        }
        // One metrics series for every sender: names come from the URL before any signature is
        // checked, so a label per name would let anyone grow the series without bound.
        return try await desk.answer(source: "standard", logger: logger) {
            let body = try await desk.readJSON(request, bucket: "standard:\(sourceName)")
            let headers = request.headers
            let verified: StandardWebhooksVerifier.Verified
            switch verifier.verify(
                id: headers[StandardWebhooksVerifier.idHeader], timestamp: headers[StandardWebhooksVerifier.timestampHeader],
                signature: headers[StandardWebhooksVerifier.signatureHeader], body: body)
            {
            case .success(let delivery):
                verified = delivery
            case .failure(let refusal):
                logger.info("standard webhook refused", metadata: ["source": "\(sourceName)", "reason": "\(refusal.rawValue)"])
                throw WebhookDesk.signatureProblem
            }
            let context = DeliveryContext(
                source: sourceName, store: StandardWebhooksNormaliser.defaultStore, deliveryID: verified.id,
                platformTime: verified.timestamp, now: desk.clock.now())
            let normalised = try StandardWebhooksNormaliser.normalise(body: body, context: context)
            return try await desk.persist(
                normalised, deliveryKey: "standard:\(sourceName):\(verified.id)",
                correlation: "\(sourceName):\(verified.id)", logger: logger)
        }
    }

    /// The characters customer ids allow in a source.
    static func isSourceName(_ name: String) -> Bool {
        (1...32).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
