/// Why an amount or currency cannot be used, or why two amounts cannot be combined.
public struct MoneyError: Error, CustomStringConvertible {
    private enum Reason {
        case invalidCurrencyCode(String)
        case emptyAmount(CurrencyCode)
        case malformedAmount(String, CurrencyCode)
        case tooPrecise(String, CurrencyCode)
        case amountOutOfRange(String, CurrencyCode)
        case currencyMismatch(Operation, Money, Money)
        case arithmeticOverflow(Operation, Money, Money)
    }

    /// The arithmetic that failed, so the message reads in the caller's order.
    enum Operation {
        case add
        case subtract

        func phrase(_ lhs: Money, _ rhs: Money) -> String {
            switch self {
            case .add: "add \(rhs) to \(lhs)"
            case .subtract: "subtract \(rhs) from \(lhs)"
            }
        }
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    static func invalidCurrencyCode(_ code: String) -> MoneyError { MoneyError(.invalidCurrencyCode(code)) }
    static func emptyAmount(_ currency: CurrencyCode) -> MoneyError { MoneyError(.emptyAmount(currency)) }
    static func malformedAmount(_ text: String, _ currency: CurrencyCode) -> MoneyError {
        MoneyError(.malformedAmount(text, currency))
    }
    static func tooPrecise(_ text: String, _ currency: CurrencyCode) -> MoneyError {
        MoneyError(.tooPrecise(text, currency))
    }
    static func amountOutOfRange(_ text: String, _ currency: CurrencyCode) -> MoneyError {
        MoneyError(.amountOutOfRange(text, currency))
    }
    static func currencyMismatch(_ operation: Operation, _ lhs: Money, _ rhs: Money) -> MoneyError {
        MoneyError(.currencyMismatch(operation, lhs, rhs))
    }
    static func arithmeticOverflow(_ operation: Operation, _ lhs: Money, _ rhs: Money) -> MoneyError {
        MoneyError(.arithmeticOverflow(operation, lhs, rhs))
    }

    public var description: String {
        switch reason {
        case .invalidCurrencyCode(let code):
            return "currency code \(code.debugDescription) is not three uppercase letters A-Z (ISO 4217, e.g. \"CNY\")"
        case .emptyAmount(let currency):
            return "\(currency) amount is empty; expected a decimal such as \(Self.example(currency))"
        case .malformedAmount(let text, let currency):
            return "\(currency) amount \(text.debugDescription) is not a plain decimal; expected digits with an "
                + "optional leading '-' and '.', no spaces, grouping commas or exponent, e.g. \(Self.example(currency))"
        case .tooPrecise(let text, let currency):
            return "\(currency) amount \(text.debugDescription) has non-zero digits beyond the currency's "
                + "\(currency.minorUnitExponent) decimal places; it cannot be paid exactly"
        case .amountOutOfRange(let text, let currency):
            return "\(currency) amount \(text.debugDescription) is too large: "
                + "it exceeds \(Money(minorUnits: .max, currency: currency).decimalString) in magnitude"
        case .currencyMismatch(let operation, let lhs, let rhs):
            return "cannot \(operation.phrase(lhs, rhs)): the currencies differ; convert explicitly first"
        case .arithmeticOverflow(let operation, let lhs, let rhs):
            return "cannot \(operation.phrase(lhs, rhs)): the result is outside the representable range"
        }
    }

    private static func example(_ currency: CurrencyCode) -> String {
        let exponent = currency.minorUnitExponent
        return exponent == 0 ? "199" : "199." + String(repeating: "0", count: exponent)
    }
}
