/// An ISO 4217 currency code and the number of decimal places its minor unit has.
///
/// Only the shape (three uppercase ASCII letters) is checked, not membership of the ISO list:
/// a platform may send a code newer than this table, and two decimal places is right for it
/// far more often than rejecting its orders would be. Encodes as the bare code.
public struct CurrencyCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: String

    public init(_ code: String) throws {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) })
        else {
            throw MoneyError.invalidCurrencyCode(code)
        }
        self.code = code
    }

    /// Digits after the decimal point: 0 for JPY, 2 for CNY, 3 for KWD.
    public var minorUnitExponent: Int {
        if Self.noMinorUnit.contains(code) { return 0 }
        if Self.thousandths.contains(code) { return 3 }
        return 2
    }

    public var description: String {
        code
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        do {
            try self.init(code)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    private static let noMinorUnit: Set<String> = [
        "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG", "RWF", "KMF", "GNF", "DJF", "BIF", "VUV",
    ]

    private static let thousandths: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
}
