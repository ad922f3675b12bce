/// Why a partition count cannot be used.
public struct PartitioningError: Error, CustomStringConvertible {
    private enum Reason {
        case countOutOfRange(Int)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    static func countOutOfRange(_ count: Int) -> PartitioningError {
        PartitioningError(.countOutOfRange(count))
    }

    public var description: String {
        switch reason {
        case .countOutOfRange(let count):
            let range = Partitioning.allowedCounts
            return "partition count \(count) is outside \(range.lowerBound)...\(range.upperBound); "
                + "choose it once per deployment (default 4), since changing it moves customers between partitions"
        }
    }
}
