extension Money {
    /// Reads an amount exactly as the platforms write it: `199.00`, `199`, `-5.00`.
    ///
    /// Accepted: an optional `-`, ASCII digits, optionally `.` and more digits. Rejected:
    /// grouping commas, exponents, spaces, `+`, a bare `.`, and fraction digits beyond the
    /// currency's exponent unless they are zeros (`10.500` CNY is 10.50; `10.505` is not money).
    public static func parse(_ decimal: String, currency: CurrencyCode) throws -> Money {
        var bytes = decimal.utf8[...]
        guard !bytes.isEmpty else { throw MoneyError.emptyAmount(currency) }
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }

        let integerDigits = bytes.prefix(while: Self.isDigit)
        var fractionDigits = bytes[integerDigits.endIndex...]
        if let point = fractionDigits.first {
            guard point == UInt8(ascii: ".") else {
                throw MoneyError.malformedAmount(decimal, currency)
            }
            fractionDigits = fractionDigits.dropFirst()
            guard !fractionDigits.isEmpty, fractionDigits.allSatisfy(Self.isDigit) else {
                throw MoneyError.malformedAmount(decimal, currency)
            }
        }
        guard !integerDigits.isEmpty else { throw MoneyError.malformedAmount(decimal, currency) }

        let exponent = currency.minorUnitExponent
        let keptFraction = fractionDigits.prefix(exponent)
        guard fractionDigits.dropFirst(exponent).allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            throw MoneyError.tooPrecise(decimal, currency)
        }
        let padding = repeatElement(UInt8(ascii: "0"), count: exponent - keptFraction.count)

        // Accumulating toward the sign reaches Int64.min, whose magnitude Int64 cannot hold.
        var minorUnits: Int64 = 0
        for digit in Array(integerDigits) + keptFraction + padding {
            let value = Int64(digit - UInt8(ascii: "0"))
            let (shifted, shiftOverflow) = minorUnits.multipliedReportingOverflow(by: 10)
            let (next, addOverflow) =
                negative ? shifted.subtractingReportingOverflow(value) : shifted.addingReportingOverflow(value)
            guard !shiftOverflow, !addOverflow else { throw MoneyError.amountOutOfRange(decimal, currency) }
            minorUnits = next
        }
        return Money(minorUnits: minorUnits, currency: currency)
    }

    /// The amount with exactly the currency's decimal places: `199.00`, `1500` (JPY),
    /// `1.234` (KWD), `-0.05`. ``parse(_:currency:)`` reads it back to the same value.
    public var decimalString: String {
        let exponent = currency.minorUnitExponent
        let sign = minorUnits < 0 ? "-" : ""
        let digits = String(minorUnits.magnitude)
        guard exponent > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -exponent)
        return sign + padded[..<split] + "." + padded[split...]
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
