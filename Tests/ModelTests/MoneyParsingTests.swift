import Model
import Testing

@Suite("Money parsing")
struct MoneyParsingTests {
    @Test(
        "reads platform decimal strings exactly",
        arguments: [
            ("199.00", "CNY", Int64(19_900)),
            ("199", "CNY", 19_900),
            ("199.5", "CNY", 19_950),
            ("0.01", "CNY", 1),
            ("-5.00", "CNY", -500),
            ("-0.05", "CNY", -5),
            ("-0.00", "CNY", 0),
            ("0", "CNY", 0),
            ("007.10", "CNY", 710),
            ("10.500", "CNY", 1_050),
            ("10.50000000000000000000", "CNY", 1_050),
            ("92233720368547758.07", "CNY", .max),
            ("-92233720368547758.08", "CNY", .min),
            ("1500", "JPY", 1_500),
            ("1500.00", "JPY", 1_500),
            ("-3", "JPY", -3),
            ("9223372036854775807", "JPY", .max),
            ("-9223372036854775808", "JPY", .min),
            ("1.234", "KWD", 1_234),
            ("1.2", "KWD", 1_200),
            ("1", "KWD", 1_000),
            ("1.2340", "KWD", 1_234),
            ("-0.005", "KWD", -5),
            ("9223372036854775.807", "KWD", .max),
            ("-9223372036854775.808", "KWD", .min),
        ])
    func valid(text: String, code: String, minorUnits: Int64) throws {
        let currency = try CurrencyCode(code)
        let money = try Money.parse(text, currency: currency)
        #expect(money == Money(minorUnits: minorUnits, currency: currency))
    }

    @Test(
        "rejects anything that is not an exact amount of the currency",
        arguments: [
            ("", "CNY", "is empty"),
            ("1,000.00", "CNY", "not a plain decimal"),
            ("1e5", "CNY", "not a plain decimal"),
            ("1.5E2", "CNY", "not a plain decimal"),
            ("NaN", "CNY", "not a plain decimal"),
            ("inf", "CNY", "not a plain decimal"),
            (" 199.00", "CNY", "not a plain decimal"),
            ("199.00 ", "CNY", "not a plain decimal"),
            ("1 000", "CNY", "not a plain decimal"),
            ("1.2.3", "CNY", "not a plain decimal"),
            ("+5", "CNY", "not a plain decimal"),
            ("--5", "CNY", "not a plain decimal"),
            ("-", "CNY", "not a plain decimal"),
            (".", "CNY", "not a plain decimal"),
            (".5", "CNY", "not a plain decimal"),
            ("5.", "CNY", "not a plain decimal"),
            ("５", "CNY", "not a plain decimal"),
            ("١٢", "CNY", "not a plain decimal"),
            ("10.505", "CNY", "non-zero digits beyond the currency's 2 decimal places"),
            ("0.001", "CNY", "non-zero digits beyond"),
            ("1500.5", "JPY", "non-zero digits beyond the currency's 0 decimal places"),
            ("1.2345", "KWD", "non-zero digits beyond the currency's 3 decimal places"),
            ("92233720368547758.08", "CNY", "too large"),
            ("-92233720368547758.09", "CNY", "too large"),
            ("99999999999999999999", "CNY", "too large"),
            ("9223372036854775808", "JPY", "too large"),
            ("-9223372036854775809", "JPY", "too large"),
            ("9223372036854775.808", "KWD", "too large"),
        ])
    func invalid(text: String, code: String, message: String) throws {
        let currency = try CurrencyCode(code)
        let error = #expect(throws: MoneyError.self) { try Money.parse(text, currency: currency) }
        let description = error.map(String.init(describing:)) ?? ""
        #expect(description.contains(message), "\(description)")
    }

    @Test(
        "writes exactly the currency's decimal places",
        arguments: [
            (Int64(19_900), "CNY", "199.00"),
            (0, "CNY", "0.00"),
            (-5, "CNY", "-0.05"),
            (7, "CNY", "0.07"),
            (1_500, "JPY", "1500"),
            (0, "JPY", "0"),
            (-1_500, "JPY", "-1500"),
            (1_234, "KWD", "1.234"),
            (5, "KWD", "0.005"),
            (-1, "KWD", "-0.001"),
            (.max, "CNY", "92233720368547758.07"),
            (.min, "CNY", "-92233720368547758.08"),
            (.min, "JPY", "-9223372036854775808"),
            (.min, "KWD", "-9223372036854775.808"),
        ])
    func decimalString(minorUnits: Int64, code: String, expected: String) throws {
        let currency = try CurrencyCode(code)
        let money = Money(minorUnits: minorUnits, currency: currency)
        #expect(money.decimalString == expected)
        #expect(try Money.parse(expected, currency: currency) == money)
        #expect(money.description == "\(expected) \(code)")
    }
}
