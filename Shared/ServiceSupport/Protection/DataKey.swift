import Crypto

/// A customer's own 256-bit key, which seals that customer's personal data fields.
///
/// It is stored only wrapped by the master key (``WrappedDataKey``); deleting the wrapped key
/// erases the customer, because every ciphertext sealed with it becomes unreadable.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not annotated; it is an
/// immutable value (its secure storage is written once, at creation), so sharing it is safe.
public struct DataKey: @unchecked Sendable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// A new random key, for a customer seen for the first time.
    public static func generate() -> DataKey {
        DataKey(key: SymmetricKey(size: .bits256))
    }
}

extension DataKey: CustomStringConvertible, CustomReflectable {
    /// Key material never appears in text.
    public var description: String { "DataKey(redacted)" }

    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
