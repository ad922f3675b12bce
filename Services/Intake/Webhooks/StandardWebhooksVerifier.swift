import Foundation
import Hummingbird
import Model

/// Verifies deliveries by the Standard Webhooks specification: the sender signs
/// `{webhook-id}.{webhook-timestamp}.{body}` with HMAC-SHA256 under the base64-decoded part of a
/// `whsec_<base64>` secret, and sends `webhook-signature` as a space-separated list of
/// `v1,<base64>` (several during the sender's own key rotation; any one verifying is enough).
///
/// The timestamp must be within ``tolerance`` of the injected clock, so a captured delivery
/// cannot be replayed later; the id is the dedupe key within that window and beyond.
struct StandardWebhooksVerifier: Sendable {
    static let idHeader = HeaderName("webhook-id")!
    static let timestampHeader = HeaderName("webhook-timestamp")!
    static let signatureHeader = HeaderName("webhook-signature")!
    static let tolerance: Duration = .seconds(300)

    /// Why a delivery was refused: logged for operators (a skewed clock looks different from a
    /// forgery), never told to the sender.
    enum Refusal: String, Error, Sendable {
        case missingHeaders = "missing_headers"
        case badTimestamp = "bad_timestamp"
        case outsideTolerance = "outside_tolerance"
        case badSignature = "bad_signature"
    }

    /// A delivery that verified.
    struct Verified: Sendable, Equatable {
        var id: String
        var timestamp: Timestamp
    }

    private let secrets: SigningSecrets
    private let clock: any TimeSource

    /// - Parameter secrets: `whsec_<base64>` values (the prefix is optional); a malformed one
    ///   throws, naming `RAPPORT_STANDARD_WEBHOOK_SECRETS` but not the secret.
    init(secrets: [String], clock: any TimeSource) throws {
        self.secrets = SigningSecrets(try secrets.enumerated().map { index, secret in
            var encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst("whsec_".count)) : secret
            // Senders and shells often drop base64's trailing padding; the key is the same.
            encoded += String(repeating: "=", count: (4 - encoded.count % 4) % 4)
            guard let key = Data(base64Encoded: encoded), !key.isEmpty else {
                throw StandardWebhookSecretError(position: index + 1)
            }
            return key
        })
        self.clock = clock
    }

    func verify(id: String?, timestamp: String?, signature: String?, body: Data) -> Result<Verified, Refusal> {
        guard let id = id.nonBlank, let timestampText = timestamp.nonBlank, let signature = signature.nonBlank,
            id.count <= 200
        else { return .failure(.missingHeaders) }
        guard timestampText.count <= 12, let seconds = Int64(timestampText) else { return .failure(.badTimestamp) }
        let sent = Timestamp(unixMilliseconds: seconds * 1000)
        let skew = clock.now() - sent
        guard skew <= Self.tolerance, skew >= .zero - Self.tolerance else { return .failure(.outsideTolerance) }
        let signedPrefix = Data("\(id).\(timestampText).".utf8)
        var accepted = false
        for candidate in signature.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let mac = Data(base64Encoded: String(parts[1])) else { continue }
            let matches = secrets.accepts(mac: mac, message: [signedPrefix, body])
            accepted = accepted || matches
        }
        return accepted ? .success(Verified(id: id, timestamp: sent)) : .failure(.badSignature)
    }
}

/// A configured Standard Webhooks secret is not `whsec_` followed by base64.
struct StandardWebhookSecretError: Error, CustomStringConvertible {
    let position: Int

    var description: String {
        "RAPPORT_STANDARD_WEBHOOK_SECRETS: secret number \(position) is not whsec_ followed by base64; "
            + "copy the secret exactly as the sender shows it"
    }
}
