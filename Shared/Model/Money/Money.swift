/// An amount of one currency in whole minor units (fen, cents, yen, fils).
///
/// Integers only, never `Double`: amounts come from the platforms as exact decimal strings and
/// points and refunds are computed from them, so binary rounding would lose or invent money.
/// Arithmetic throws instead of trapping, because amounts come from outside.
/// Encodes as `{"minor": 19900, "currency": "CNY"}`.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: CurrencyCode

    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: CurrencyCode) -> Money {
        Money(minorUnits: 0, currency: currency)
    }

    public func adding(_ other: Money) throws -> Money {
        try combined(with: other, operation: .add) { $0.addingReportingOverflow($1) }
    }

    public func subtracting(_ other: Money) throws -> Money {
        try combined(with: other, operation: .subtract) { $0.subtractingReportingOverflow($1) }
    }

    /// `199.00 CNY`
    public var description: String {
        "\(decimalString) \(currency)"
    }

    private enum CodingKeys: String, CodingKey {
        case minorUnits = "minor"
        case currency
    }

    private func combined(
        with other: Money,
        operation: MoneyError.Operation,
        _ combine: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)
    ) throws -> Money {
        guard currency == other.currency else {
            throw MoneyError.currencyMismatch(operation, self, other)
        }
        let (result, overflow) = combine(minorUnits, other.minorUnits)
        guard !overflow else { throw MoneyError.arithmeticOverflow(operation, self, other) }
        return Money(minorUnits: result, currency: currency)
    }
}
