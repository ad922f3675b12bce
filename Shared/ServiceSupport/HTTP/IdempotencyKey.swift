import HTTPTypes
import Hummingbird
import Model

/// The `Idempotency-Key` a client sends so that a write it retries (after a timeout, a lost
/// connection) is applied once. Services store the key with a fingerprint of the request in the
/// same commit as the write; a repeat with the same fingerprint is answered without applying
/// it again, and the key reused for a different request is refused.
public enum IdempotencyKey {
    static let form = "1 to 200 visible ASCII characters, for example a UUID"

    /// The request's key, or nil when it sends none; 400 when the header is malformed.
    public static func optional(in request: Request) throws -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard isValid(key) else { throw Problem.badRequest("the Idempotency-Key header must be \(form)") }
        return key
    }

    /// The request's key; 400 when it is missing or malformed.
    public static func required(in request: Request) throws -> String {
        guard let key = request.headers[.idempotencyKey], isValid(key) else {
            throw Problem.badRequest("send an Idempotency-Key header (\(form)) so a retry is not applied twice")
        }
        return key
    }

    /// What a key remembers of its request: the action and a digest of its body, so a repeat
    /// can be told from a different request under the same key without storing the body.
    public static func fingerprint(action: String, body: some Encodable) throws -> String {
        action + " " + SHA256Hex.of(bytes: try SortedJSONEncoder().encode(body))
    }

    private static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 200 && key.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
    }
}

extension HTTPField.Name {
    /// The client's key that makes a retried write safe.
    public static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on an answer repeated for a key seen before.
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
}
