import Crypto
import Foundation

/// The master keys a service holds: the current one, which wraps every new data key, and
/// retired ones, which still unwrap data keys sealed before a rotation.
///
/// A wrap is bound to its customer (the customer id is the AES-GCM associated data), so a
/// wrapped key copied onto another customer's record does not open.
public struct MasterKeyring: Sendable {
    public let current: MasterKey
    public let retired: [MasterKey]

    public init(current: MasterKey, retired: [MasterKey] = []) {
        self.current = current
        self.retired = retired
    }

    /// The keyring of a loaded configuration; fails when `RAPPORT_MASTER_KEY` is not set.
    public init(configuration: RapportConfiguration) throws {
        guard let keyring = configuration.masterKeyring else { throw ProtectionError(.noMasterKey) }
        self = keyring
    }

    /// Seals `key` for `customer` with the current master key.
    public func wrap(_ key: DataKey, customer: String) throws -> WrappedDataKey {
        let plaintext = key.key.withUnsafeBytes { Data($0) }
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(plaintext, using: current.key, authenticating: Data(customer.utf8))
        } catch {
            throw ProtectionError(.sealFailed)
        }
        guard let combined = box.combined else { throw ProtectionError(.sealFailed) }
        return WrappedDataKey(keyID: current.id, sealed: combined)
    }

    /// Opens a data key wrapped for `customer` with the current or a retired master key.
    public func unwrap(_ wrapped: WrappedDataKey, customer: String) throws -> DataKey {
        let candidates = ([current] + retired).filter { $0.id == wrapped.keyID }
        guard let first = candidates.first else {
            throw ProtectionError(.unknownMasterKey(id: wrapped.keyID))
        }
        guard let box = try? AES.GCM.SealedBox(combined: wrapped.sealed) else {
            throw ProtectionError(.badWrappedKey)
        }
        for candidate in candidates {
            guard let plaintext = try? AES.GCM.open(box, using: candidate.key, authenticating: Data(customer.utf8)) else {
                continue
            }
            guard plaintext.count == 32 else { throw ProtectionError(.badDataKey) }
            return DataKey(key: SymmetricKey(data: plaintext))
        }
        let variable = first.id == current.id ? "RAPPORT_MASTER_KEY" : "RAPPORT_RETIRED_MASTER_KEYS"
        throw ProtectionError(.masterKeyMismatch(id: first.id, variable: variable))
    }

    /// Whether `wrapped` was sealed with a key other than the current one.
    public func needsRewrap(_ wrapped: WrappedDataKey) -> Bool {
        wrapped.keyID != current.id
    }

    /// Moves a data key to the current master key during a rotation: unwraps it with whichever
    /// configured key sealed it and wraps it again with the current one. A key already under
    /// the current master key is checked and returned unchanged, so a rotation can be re-run.
    public func rewrap(_ wrapped: WrappedDataKey, customer: String) throws -> WrappedDataKey {
        let key = try unwrap(wrapped, customer: customer)
        guard needsRewrap(wrapped) else { return wrapped }
        return try wrap(key, customer: customer)
    }
}
