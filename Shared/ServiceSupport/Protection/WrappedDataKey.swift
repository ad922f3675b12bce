import Foundation

/// A data key sealed with a master key, as stored in Redis: `<key id>:<base64 of AES-GCM combined>`.
///
/// The key id says which master key opens it, so keys can rotate without rewriting every
/// customer at once.
public struct WrappedDataKey: Sendable, Hashable, CustomStringConvertible {
    /// Id of the master key that sealed it.
    public let keyID: String
    /// Nonce, ciphertext and tag (AES-GCM combined form).
    public let sealed: Data

    /// A 12-byte nonce, the 32-byte key and a 16-byte tag.
    static let sealedByteCount = 60

    public init(keyID: String, sealed: Data) {
        self.keyID = keyID
        self.sealed = sealed
    }

    /// Reads the stored form; fails when it is not `<key id>:<base64 of 60 bytes>`.
    public init(stringValue: String) throws {
        guard let colon = stringValue.firstIndex(of: ":") else { throw ProtectionError(.badWrappedKey) }
        let keyID = String(stringValue[..<colon])
        guard MasterKey.isValidID(keyID),
              let sealed = Data(base64Encoded: String(stringValue[stringValue.index(after: colon)...])),
              sealed.count == Self.sealedByteCount
        else { throw ProtectionError(.badWrappedKey) }
        self.init(keyID: keyID, sealed: sealed)
    }

    /// The stored form, `<key id>:<base64>`.
    public var stringValue: String {
        "\(keyID):\(sealed.base64EncodedString())"
    }

    /// The key id only: the sealed bytes have no use in logs.
    public var description: String { "WrappedDataKey(\(keyID))" }
}
