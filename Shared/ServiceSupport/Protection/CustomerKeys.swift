import Foundation
import Model
import Streams

/// Each customer's data key, stored wrapped by the master key at `rapport:{p}:keys:<customer>`
/// and shared by every service that seals that customer's personal fields. Deleting it is the
/// erasure: every sealed copy, in state or in old stream entries, becomes unreadable at once.
///
/// All access goes through a ``StateTransaction``, so creating a key races safely: if two
/// replicas create one for the same customer, one commit is rejected and retried, and then
/// finds the other's key.
public struct CustomerKeys: Sendable {
    public let keyring: MasterKeyring
    public let partitioning: Partitioning

    public init(keyring: MasterKeyring, partitioning: Partitioning) {
        self.keyring = keyring
        self.partitioning = partitioning
    }

    private func storageKey(_ customer: String) -> String {
        Keyspace.dataKey(customer: customer, partitioning.partition(ofCustomer: customer))
    }

    /// The customer's data key, or nil when none exists (never created, or erased).
    public func existingKey(for customer: String, in transaction: StateTransaction) throws -> DataKey? {
        guard let stored = try transaction.get(storageKey(customer)) else { return nil }
        return try keyring.unwrap(try WrappedDataKey(stringValue: stored), customer: customer)
    }

    /// The customer's data key, created and queued for storage in `transaction` when missing.
    public func dataKey(for customer: String, in transaction: StateTransaction) throws -> DataKey {
        if let key = try existingKey(for: customer, in: transaction) { return key }
        let key = DataKey.generate()
        transaction.set(storageKey(customer), try keyring.wrap(key, customer: customer).stringValue)
        return key
    }

    /// Destroys the customer's data key in the same commit as the rest of the erasure.
    public func erase(_ customer: String, in transaction: StateTransaction) {
        transaction.delete(storageKey(customer))
    }

    /// Seals each personal field under the customer's key (creating it if needed).
    public func seal(_ fields: [String: String], customer: String, in transaction: StateTransaction) throws -> [String: String] {
        let key = try dataKey(for: customer, in: transaction)
        var sealed: [String: String] = [:]
        for (field, value) in fields {
            sealed[field] = try FieldSealer.seal(value, field: field, customer: customer, key: key)
        }
        return sealed
    }

    /// Opens sealed fields; nil when the customer's key is gone (erased), so nothing can be read.
    public func open(_ sealed: [String: String], customer: String, in transaction: StateTransaction) throws -> [String: String]? {
        guard let key = try existingKey(for: customer, in: transaction) else { return nil }
        var plain: [String: String] = [:]
        for (field, value) in sealed {
            plain[field] = try FieldSealer.open(value, field: field, customer: customer, key: key)
        }
        return plain
    }
}
