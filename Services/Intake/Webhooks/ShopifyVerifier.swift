import Foundation
import Hummingbird
import Model
import ServiceSupport

/// What a Shopify delivery says about itself in its headers.
///
/// The HMAC covers only the body, so these headers are trusted only because the body verified
/// and Shopify sends both together over TLS; a replayed body with other headers still dedupes,
/// because the order or customer it names decides the event id.
struct ShopifyDelivery: Sendable {
    static let topicHeader = HeaderName("X-Shopify-Topic")!
    static let signatureHeader = HeaderName("X-Shopify-Hmac-Sha256")!
    static let shopHeader = HeaderName("X-Shopify-Shop-Domain")!
    static let webhookIDHeader = HeaderName("X-Shopify-Webhook-Id")!
    static let eventIDHeader = HeaderName("X-Shopify-Event-Id")!
    static let triggeredAtHeader = HeaderName("X-Shopify-Triggered-At")!

    var topic: String
    /// `snowdevil.myshopify.com`, lower-cased: the store part of customer ids.
    var shop: String
    /// `X-Shopify-Event-Id`, else `X-Shopify-Webhook-Id`: the same for every retry of a delivery.
    var deliveryID: String
    /// When Shopify fired the webhook; the event time of payloads that carry none.
    var triggeredAt: Timestamp?

    /// Reads the headers of a verified delivery; 400 naming the header that is missing.
    init(headers: HTTPFields) throws {
        guard let topic = headers[Self.topicHeader].nonBlank else {
            throw Problem.badRequest("the X-Shopify-Topic header is missing")
        }
        guard let shop = headers[Self.shopHeader].nonBlank?.lowercased(), StoreName.isValid(shop) else {
            throw Problem.badRequest("the X-Shopify-Shop-Domain header is missing or is not a shop domain")
        }
        guard let deliveryID = headers[Self.eventIDHeader].nonBlank ?? headers[Self.webhookIDHeader].nonBlank,
            deliveryID.count <= 200
        else {
            throw Problem.badRequest("the delivery has neither an X-Shopify-Event-Id nor an X-Shopify-Webhook-Id header")
        }
        self.topic = topic
        self.shop = shop
        self.deliveryID = deliveryID
        self.triggeredAt = headers[Self.triggeredAtHeader].nonBlank.flatMap(PlatformTime.parse)
    }
}
