import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// The shop's own systems, through an outbound webhook signed per Standard Webhooks:
/// `webhook-id` (the delivery id, so the receiver can drop a repeat), `webhook-timestamp` and
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the `whsec_` secret.
struct WebhookChannel: DeliveryChannel {
    let url: String
    let signer: WebhookSigner
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    private struct Body: Encodable {
        struct Payload: Encodable {
            var deliveryID: String
            var customer: String
            var purpose: String
            var language: String
            var subject: String
            var text: String
        }

        var type: String
        var timestamp: String
        var data: Payload
    }

    func send(_ message: RenderedMessage) async throws -> DeliveryResult {
        let seconds = message.sentAt.unixMilliseconds / 1000
        let body = Body(
            type: "notification.\(message.purpose)",
            timestamp: ISO8601DateFormatter().string(from: message.sentAt.date),
            data: .init(deliveryID: message.deliveryID, customer: message.customer, purpose: message.purpose,
                        language: message.language, subject: message.subject, text: message.text))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(body)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "webhook-id", value: message.deliveryID)
        request.headers.add(name: "webhook-timestamp", value: String(seconds))
        request.headers.add(name: "webhook-signature", value: signer.signature(id: message.deliveryID, timestamp: seconds, body: bytes))
        request.body = .bytes(ByteBuffer(bytes: bytes))
        return try await HTTPPost.execute(request, client: client, timeout: timeout, provider: "shop webhook")
    }
}

/// Standard Webhooks signing with a `whsec_<base64>` secret.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not annotated; the key is
/// written once at creation and only read after, so sharing it between tasks is safe.
struct WebhookSigner: @unchecked Sendable {
    private let key: SymmetricKey

    /// nil when the secret is not `whsec_` followed by base64.
    init?(secret: String) {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), !bytes.isEmpty
        else { return nil }
        key = SymmetricKey(data: bytes)
    }

    func signature(id: String, timestamp: Int64, body: Data) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
