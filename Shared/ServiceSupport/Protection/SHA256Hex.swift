import Crypto

/// Lower-case hex of SHA-256 digests: ids derived from text that must not show it (a guest's
/// e-mail) or that would be too long as keys, and fingerprints of requests.
public enum SHA256Hex {
    /// The digest of a text's UTF-8 bytes.
    public static func of(_ text: String) -> String {
        of(bytes: Array(text.utf8))
    }

    public static func of(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Two lower-case hex digits per byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
