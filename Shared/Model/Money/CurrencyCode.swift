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

    /// Digits after the decimal point: 0 for JPY, 2 for CNY, 3 for KWD. A switch rather than a
    /// set: amounts are parsed and printed on every order, and hashing costs more than these
    /// few comparisons of three-letter strings.
    public var minorUnitExponent: Int {
        switch code {
        case "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG", "RWF", "KMF", "GNF", "DJF", "BIF", "VUV": 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND": 3
        default: 2
        }
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
}
