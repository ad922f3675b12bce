/// An exact decimal factor with three places, kept as an integer count of thousandths:
/// `1.5` is 1500. Multipliers and earn rates are never `Double`, so `1.5 x 199.99` rounds the
/// same way on every machine and in every replay.
struct PerMille: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    var thousandths: Int64

    init(thousandths: Int64) {
        self.thousandths = thousandths
    }

    static let one = PerMille(thousandths: 1000)

    /// Reads `2`, `1.5` or `0.125`: digits, optionally a point and up to three more digits.
    /// Signs, exponents and a fourth decimal place are rejected rather than rounded.
    init?(decimal text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= 12, fraction.count <= 3, parts.count == 1 || !fraction.isEmpty,
            whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            let wholeValue = Int64(whole)
        else { return nil }
        let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
        self.thousandths = wholeValue * 1000 + (Int64(padded) ?? 0)
    }

    static func < (lhs: PerMille, rhs: PerMille) -> Bool { lhs.thousandths < rhs.thousandths }

    /// `1.5`, `2`, `0.125`.
    var description: String {
        let whole = thousandths / 1000
        var fraction = String(thousandths % 1000)
        guard fraction != "0" else { return String(whole) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
