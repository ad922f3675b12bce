import Model
import PropertyBased
import Testing

@Suite("Money properties")
struct MoneyPropertyTests {
    @Test("parsing the decimal string gives back the same amount", arguments: ["JPY", "CNY", "KWD"])
    func decimalRoundTrip(code: String) async throws {
        let currency = try CurrencyCode(code)
        await propertyCheck(count: 1_000, input: Gen.int64()) { minorUnits in
            let money = Money(minorUnits: minorUnits, currency: currency)
            let parsed = try Money.parse(money.decimalString, currency: currency)
            #expect(parsed == money)
        }
    }

    @Test("small amounts round-trip too, where most real prices are", arguments: ["JPY", "CNY", "KWD"])
    func smallDecimalRoundTrip(code: String) async throws {
        let currency = try CurrencyCode(code)
        await propertyCheck(count: 1_000, input: Gen.int64(in: -100_000...100_000)) { minorUnits in
            let money = Money(minorUnits: minorUnits, currency: currency)
            let parsed = try Money.parse(money.decimalString, currency: currency)
            #expect(parsed == money)
        }
    }
}
