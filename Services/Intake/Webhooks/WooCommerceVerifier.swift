import Foundation
import Hummingbird
import Model
import ServiceSupport

/// What a WooCommerce delivery says about itself in its headers.
struct WooCommerceDelivery: Sendable {
    static let signatureHeader = HeaderName("X-WC-Webhook-Signature")!
    static let topicHeader = HeaderName("X-WC-Webhook-Topic")!
    static let resourceHeader = HeaderName("X-WC-Webhook-Resource")!
    static let eventHeader = HeaderName("X-WC-Webhook-Event")!
    static let sourceHeader = HeaderName("X-WC-Webhook-Source")!
    static let webhookIDHeader = HeaderName("X-WC-Webhook-ID")!
    static let deliveryIDHeader = HeaderName("X-WC-Webhook-Delivery-ID")!

    /// `order.updated`; built from resource and event when the topic header is absent.
    var topic: String
    /// The store's host from `X-WC-Webhook-Source` (`https://shop.example/`), lower-cased, with
    /// `-<port>` when it names a port: the store part of customer ids.
    var store: String
    /// WooCommerce's delivery id: new on every resend, so it names a log line, not a duplicate.
    var deliveryID: String?

    init(headers: HTTPFields) throws {
        let resourceEvent = headers[Self.resourceHeader].nonBlank.flatMap { resource in
            headers[Self.eventHeader].nonBlank.map { "\(resource).\($0)" }
        }
        guard let topic = headers[Self.topicHeader].nonBlank ?? resourceEvent else {
            throw Problem.badRequest("the X-WC-Webhook-Topic header is missing")
        }
        guard let source = headers[Self.sourceHeader].nonBlank, let store = Self.store(ofSource: source) else {
            throw Problem.badRequest("the X-WC-Webhook-Source header is missing or is not the store's URL")
        }
        self.topic = topic
        self.store = store
        self.deliveryID = headers[Self.deliveryIDHeader].nonBlank
    }

    /// `https://Shop.Example:8443/blog/` reads as `shop.example-8443`. A colon cannot appear:
    /// customer ids split on it.
    static func store(ofSource source: String) -> String? {
        guard let components = URLComponents(string: source), let host = components.host?.lowercased(),
            StoreName.isValid(host)
        else { return nil }
        return components.port.map { "\(host)-\($0)" } ?? host
    }
}

/// WooCommerce's creation ping: a form body `webhook_id=<n>`, sent unsigned once when a webhook
/// is saved, to check that the address answers.
enum WooCommercePing {
    /// The webhook id when `body` is exactly a ping, else nil.
    static func webhookID(in body: Data) -> String? {
        guard body.count <= 64, let text = String(data: body, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("webhook_id=") else { return nil }
        let digits = trimmed.dropFirst("webhook_id=".count)
        guard !digits.isEmpty, digits.count <= 20, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(digits)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
