import Crypto

/// The SHA-256 of a bearer token. Tokens are configured and compared only as digests, so the
/// rules file holds no usable secret and the comparison time does not depend on the token.
struct TokenDigest: Sendable, Hashable {
    let bytes: [UInt8]

    init(token: String) {
        bytes = Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Accepts 64 hex digits in either case.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * SHA256.byteCount else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SHA256.byteCount)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    var hex: String { SHA256Hex.hex(bytes) }

    /// Compares every byte whatever the first difference, so timing reveals nothing.
    func matches(_ other: TokenDigest) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(bytes, other.bytes) {
            difference |= left ^ right
        }
        return difference == 0
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
