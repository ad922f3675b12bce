/// How customers are spread over a deployment's partitions.
///
/// The hash is FNV-1a 64-bit over the id's UTF-8 bytes, not Swift's `Hasher`: `Hasher` is
/// seeded per process, and every replica and every restart must put a customer in the same
/// partition. The count is fixed for a deployment because changing it moves customers.
public struct Partitioning: Sendable, Hashable {
    public static let allowedCounts = 1...1024

    public let count: Int

    public init(count: Int) throws {
        guard Self.allowedCounts.contains(count) else {
            throw PartitioningError.countOutOfRange(count)
        }
        self.count = count
    }

    public func partition(of customer: CustomerID) -> Partition {
        partition(ofCustomer: customer.description)
    }

    public func partition(ofCustomer id: String) -> Partition {
        Partition(Int(Self.fnv1a64(id.utf8) % UInt64(count)))
    }

    public var all: [Partition] {
        (0..<count).map(Partition.init)
    }

    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
