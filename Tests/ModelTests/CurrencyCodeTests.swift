import Foundation
import Model
import Testing

@Suite("CurrencyCode")
struct CurrencyCodeTests {
    @Test(
        "knows how many decimal places each currency's minor unit has",
        arguments: [
            ("CNY", 2), ("USD", 2), ("EUR", 2), ("XYZ", 2),
            ("JPY", 0), ("KRW", 0), ("VND", 0), ("CLP", 0), ("ISK", 0), ("UGX", 0), ("XAF", 0), ("XOF", 0),
            ("XPF", 0), ("PYG", 0), ("RWF", 0), ("KMF", 0), ("GNF", 0), ("DJF", 0), ("BIF", 0), ("VUV", 0),
            ("BHD", 3), ("IQD", 3), ("JOD", 3), ("KWD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3),
        ])
    func exponent(code: String, exponent: Int) throws {
        let currency = try CurrencyCode(code)
        #expect(currency.minorUnitExponent == exponent)
        #expect(currency.description == code)
    }

    @Test(
        "accepts only three uppercase ASCII letters", arguments: ["", "cny", "Cny", "CN", "CNYY", "C1Y", "ÇNY", " CN"])
    func rejects(code: String) {
        let error = #expect(throws: MoneyError.self) { try CurrencyCode(code) }
        #expect(error?.description.contains("three uppercase letters") == true)
    }

    @Test("encodes as the bare code")
    func codable() throws {
        let encoded = try JSONEncoder().encode([try CurrencyCode("KWD")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["KWD"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CurrencyCode].self, from: Data(#"["kwd"]"#.utf8))
        }
    }
}
