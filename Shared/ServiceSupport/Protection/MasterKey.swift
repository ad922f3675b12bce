import Crypto
import Foundation

/// A 256-bit key from configuration that wraps the per-customer data keys, named by an id so
/// that keys can rotate: every wrapped data key records the id of the key that wrapped it.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not annotated; it is an
/// immutable value (its secure storage is written once, at creation), so sharing it is safe.
public struct MasterKey: @unchecked Sendable, CustomStringConvertible {
    /// Name recorded with every data key it wraps, such as `k1`.
    public let id: String
    let key: SymmetricKey

    /// - Parameter base64: 32 bytes in standard base64, as `openssl rand -base64 32` prints.
    public init(id: String, base64: String) throws {
        guard Self.isValidID(id) else { throw ProtectionError(.badKeyID) }
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProtectionError(.badMasterKey(byteCount: nil))
        }
        guard bytes.count == 32 else { throw ProtectionError(.badMasterKey(byteCount: bytes.count)) }
        self.id = id
        self.key = SymmetricKey(data: bytes)
    }

    /// A fresh random key in the form `RAPPORT_MASTER_KEY` takes, for first runs and tests.
    public static func generateBase64() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Ids appear in `<id>:<base64>` values and in `id:base64,id:base64` lists, so they hold
    /// neither separator.
    static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.count)
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }

    /// The id only: key material never appears in text.
    public var description: String { "MasterKey(\(id))" }
}

extension MasterKey: CustomReflectable {
    /// Keeps key material out of `dump` and debugger output.
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id], displayStyle: .struct)
    }
}
