import Crypto
import Hummingbird
import Foundation

/// The HMAC-SHA256 keys one platform signs with. Several may be configured at once, so a secret
/// can rotate without refusing the deliveries still signed with the old one.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not annotated; each key is an
/// immutable value written once at creation, so sharing them across tasks is safe.
struct SigningSecrets: @unchecked Sendable {
    private let keys: [SymmetricKey]

    init(_ secrets: [Data]) {
        keys = secrets.map { SymmetricKey(data: $0) }
    }

    /// Secrets used as their UTF-8 bytes, as Shopify and WooCommerce do.
    init(text secrets: [String]) {
        self.init(secrets.map { Data($0.utf8) })
    }

    var isEmpty: Bool { keys.isEmpty }

    /// Whether `mac` is the HMAC-SHA256 of the concatenated `message` parts under any key.
    ///
    /// Each comparison runs in constant time and every key is tried even after a match, so the
    /// answer's timing tells a forger neither how much of a guess was right nor which key matched.
    func accepts(mac: Data, message parts: [Data]) -> Bool {
        guard mac.count == SHA256.byteCount else { return false }
        var accepted = false
        for key in keys {
            var hmac = HMAC<SHA256>(key: key)
            for part in parts { hmac.update(data: part) }
            // `==` against bytes is swift-crypto's constant-time comparison.
            let matches = hmac.finalize() == mac
            accepted = accepted || matches
        }
        return accepted
    }

    /// Base64 of the HMAC-SHA256 of `message` under the first key: what a sender would put in
    /// its signature header. For tests, the benchmark and the test-webhook script's checks.
    func base64Signature(of message: Data) -> String? {
        guard let key = keys.first else { return nil }
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
    }
}

/// Verifies a signature header holding the base64 HMAC-SHA256 of the raw body, the scheme of
/// both `X-Shopify-Hmac-Sha256` and `X-WC-Webhook-Signature`. The body is the bytes as
/// received: re-serialised JSON would hash differently.
struct BodySignatureVerifier: Sendable {
    let secrets: SigningSecrets

    init(secrets: [String]) {
        self.secrets = SigningSecrets(text: secrets)
    }

    /// False for a missing, malformed or wrong signature, and always when no secret is configured.
    func verify(body: Data, signature: String?) -> Bool {
        guard let signature, let mac = Data(base64Encoded: signature.trimmingBlanks()) else {
            return false
        }
        return secrets.accepts(mac: mac, message: [body])
    }
}

/// A header name (HTTPTypes' `HTTPField.Name`, reached through the `HTTPFields` Hummingbird
/// re-exports, so intake needs no dependency of its own on HTTPTypes).
typealias HeaderName = HTTPFields.Element.Name
