import Crypto
import Foundation

/// Seals one personal data field of one customer with the customer's data key (AES-GCM-256).
///
/// The sealed form is `s1:<base64 of nonce, ciphertext and tag>`; `s1` names this scheme so a
/// later one can be told apart. The associated data is `customer NUL field`, so a ciphertext
/// copied to another customer or another field fails to open instead of showing the wrong data.
public enum FieldSealer {
    static let prefix = "s1:"

    public static func seal(_ plaintext: String, field: String, customer: String, key: DataKey) throws -> String {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(Data(plaintext.utf8), using: key.key, authenticating: associatedData(field, customer))
        } catch {
            throw ProtectionError(.sealFailed)
        }
        guard let combined = box.combined else { throw ProtectionError(.sealFailed) }
        return prefix + combined.base64EncodedString()
    }

    public static func open(_ sealed: String, field: String, customer: String, key: DataKey) throws -> String {
        guard sealed.hasPrefix(prefix) else { throw ProtectionError(.notSealed(field: field)) }
        guard let combined = Data(base64Encoded: String(sealed.dropFirst(prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: combined)
        else { throw ProtectionError(.corruptSealedValue(field: field)) }
        guard let plaintext = try? AES.GCM.open(box, using: key.key, authenticating: associatedData(field, customer)) else {
            throw ProtectionError(.sealedValueMismatch(field: field))
        }
        guard let text = String(data: plaintext, encoding: .utf8) else { throw ProtectionError(.notText(field: field)) }
        return text
    }

    private static func associatedData(_ field: String, _ customer: String) -> Data {
        Data("\(customer)\u{0}\(field)".utf8)
    }
}
