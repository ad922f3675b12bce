import AsyncHTTPClient
import Foundation
import NIOCore

/// SMS or chat through an HTTP provider: a JSON POST to the configured URL with a bearer token.
/// The delivery id goes as `Idempotency-Key`, so a provider that honours it drops the second
/// copy if a send is repeated after a crash.
struct HTTPProviderChannel: DeliveryChannel {
    let url: String
    let token: String?
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    private struct Body: Encodable {
        var id: String
        var to: String
        var text: String
        var language: String
        var purpose: String
    }

    func send(_ message: RenderedMessage) async throws -> DeliveryResult {
        guard let recipient = message.recipient else { throw DeliveryError.permanent("no phone number on file") }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.deliveryID)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let body = try JSONEncoder().encode(Body(
            id: message.deliveryID, to: recipient, text: message.sms, language: message.language, purpose: message.purpose))
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await HTTPPost.execute(request, client: client, timeout: timeout, provider: "SMS provider")
    }
}

/// The shared POST path of the HTTP channels: status classification and timeouts.
enum HTTPPost {
    static func execute(
        _ request: HTTPClientRequest, client: HTTPClient, timeout: TimeAmount, provider: String
    ) async throws -> DeliveryResult {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw DeliveryError.retryable("\(provider) unreachable or too slow: \(error)")
        }
        // Drain a little of the body so the connection can be reused; the content is not needed.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else { throw DeliveryError.classify(httpStatus: status, provider: provider) }
        return DeliveryResult(detail: "HTTP \(status)")
    }
}
