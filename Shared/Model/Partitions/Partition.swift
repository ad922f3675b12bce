/// One of the deployment's partitions.
///
/// Every key of a partition carries its Redis Cluster hash tag, so the partition lives in one
/// cluster slot and a commit that touches one partition touches one slot.
public struct Partition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int

    public init(_ index: Int) {
        self.index = index
    }

    /// `{p3}`: the part of a key Redis Cluster hashes.
    public var hashTag: String {
        "{p\(index)}"
    }

    public var description: String {
        "p\(index)"
    }

    public static func < (lhs: Partition, rhs: Partition) -> Bool {
        lhs.index < rhs.index
    }
}
