import Crypto
import Foundation

extension MasterKeyring {
    /// A key for one purpose (`info`, such as "rapport-unsubscribe"), derived from the current
    /// master key with HKDF-SHA256, so a service can sign links without a second secret to
    /// configure and without ever handing out the master key itself. Rotating the master key
    /// changes every derived key.
    public func derivedKey(info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: current.key, info: Data(info.utf8), outputByteCount: 32)
    }
}
