/// Personal data could not be sealed or opened, or a key could not be used. Messages name key
/// ids, field names and configuration variables, never key material or plaintext.
public struct ProtectionError: Error, Hashable, CustomStringConvertible {
    enum Reason: Hashable {
        case badKeyID
        case badMasterKey(byteCount: Int?)
        case noMasterKey
        case unknownMasterKey(id: String)
        case masterKeyMismatch(id: String, variable: String)
        case badWrappedKey
        case badDataKey
        case notSealed(field: String)
        case corruptSealedValue(field: String)
        case sealedValueMismatch(field: String)
        case notText(field: String)
        case sealFailed
    }

    let reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .badKeyID:
            return "a master key id must be 1 to 32 letters, digits, '.', '-' or '_', such as \"k1\" or \"2025-06\""
        case .badMasterKey(let byteCount?):
            return "a master key must be base64 of exactly 32 bytes, this one decodes to \(byteCount) bytes; generate one with `openssl rand -base64 32`"
        case .badMasterKey(nil):
            return "a master key must be base64 of exactly 32 bytes, this one is not base64; generate one with `openssl rand -base64 32`"
        case .noMasterKey:
            return "RAPPORT_MASTER_KEY is not set: personal data cannot be encrypted; set it to base64 of 32 random bytes (`openssl rand -base64 32`)"
        case .unknownMasterKey(let id):
            return "the data key was wrapped with master key '\(id)', which is not configured: set RAPPORT_MASTER_KEY_ID/RAPPORT_MASTER_KEY or RAPPORT_RETIRED_MASTER_KEYS to include it"
        case .masterKeyMismatch(let id, let variable):
            return "the master key '\(id)' does not open this data key: \(variable) is not the key it was sealed with (or the data key is stored under another customer)"
        case .badWrappedKey:
            return "a wrapped data key must read <key id>:<base64 of 60 bytes>; the stored value is damaged"
        case .badDataKey:
            return "the unwrapped data key is not 32 bytes; the stored value is damaged"
        case .notSealed(let field):
            return "the stored value of field '\(field)' is not sealed (expected s1:<base64>)"
        case .corruptSealedValue(let field):
            return "the sealed value of field '\(field)' is damaged: it is not s1: followed by base64 of an AES-GCM box"
        case .sealedValueMismatch(let field):
            return "the sealed value of field '\(field)' does not open with this data key: it belongs to another customer or field, or it was altered"
        case .notText(let field):
            return "the sealed value of field '\(field)' opened but is not UTF-8 text"
        case .sealFailed:
            return "AES-GCM could not seal the value"
        }
    }
}
