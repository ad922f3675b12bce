import Foundation
import Model
import Testing

@Suite("Money arithmetic")
struct MoneyArithmeticTests {
    @Test("adds and subtracts amounts of one currency exactly")
    func sameCurrency() throws {
        let cny = try CurrencyCode("CNY")
        let price = try Money.parse("199.00", currency: cny)
        let refund = try Money.parse("0.01", currency: cny)
        #expect(try price.adding(refund) == Money(minorUnits: 19_901, currency: cny))
        #expect(try price.subtracting(refund).decimalString == "198.99")
        #expect(try Money.zero(cny).subtracting(price).decimalString == "-199.00")
    }

    @Test("refuses to combine different currencies")
    func currencyMismatch() throws {
        let cny = Money(minorUnits: 100, currency: try CurrencyCode("CNY"))
        let usd = Money(minorUnits: 100, currency: try CurrencyCode("USD"))
        let addError = #expect(throws: MoneyError.self) { try cny.adding(usd) }
        #expect(
            addError?.description == "cannot add 1.00 USD to 1.00 CNY: the currencies differ; convert explicitly first")
        let subtractError = #expect(throws: MoneyError.self) { try cny.subtracting(usd) }
        #expect(subtractError?.description.contains("subtract 1.00 USD from 1.00 CNY") == true)
    }

    @Test("throws instead of overflowing at the Int64 bounds")
    func overflow() throws {
        let jpy = try CurrencyCode("JPY")
        let one = Money(minorUnits: 1, currency: jpy)
        let error = #expect(throws: MoneyError.self) { try Money(minorUnits: .max, currency: jpy).adding(one) }
        #expect(error?.description.contains("outside the representable range") == true)
        #expect(throws: MoneyError.self) { try Money(minorUnits: .min, currency: jpy).subtracting(one) }
        #expect(try Money(minorUnits: .max - 1, currency: jpy).adding(one).minorUnits == .max)
    }

    @Test("encodes as minor units and currency")
    func codable() throws {
        let money = Money(minorUnits: 19_900, currency: try CurrencyCode("CNY"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(money), as: UTF8.self)
        #expect(json == #"{"currency":"CNY","minor":19900}"#)
        #expect(try JSONDecoder().decode(Money.self, from: Data(json.utf8)) == money)
    }
}
