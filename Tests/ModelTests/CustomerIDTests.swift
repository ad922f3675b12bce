import Foundation
import Model
import Testing

@Suite("CustomerID")
struct CustomerIDTests {
    @Test(
        "parses source, store and external id, splitting on the first two colons only",
        arguments: [
            (
                "shopify:snowdevil.myshopify.com:706405506930370084", "shopify", "snowdevil.myshopify.com",
                "706405506930370084"
            ),
            ("standard:crm.example.com:urn:crm:42", "standard", "crm.example.com", "urn:crm:42"),
            ("woo_commerce-2:shop.example.com:a/b c", "woo_commerce-2", "shop.example.com", "a/b c"),
            ("shopify:snowdevil.myshopify.com::", "shopify", "snowdevil.myshopify.com", ":"),
        ])
    func parse(text: String, source: String, store: String, externalID: String) throws {
        let id = try CustomerID.parse(text)
        #expect(id == CustomerID(source: source, store: store, externalID: externalID))
        #expect(id.description == text)
        #expect(CustomerID(text) == id)
    }

    @Test(
        "rejects malformed ids with a message naming what is wrong",
        arguments: [
            ("", "is empty"),
            ("shopify", "fewer than two ':'"),
            ("shopify:snowdevil.myshopify.com", "fewer than two ':'"),
            (":snowdevil.myshopify.com:1", "empty source"),
            ("shopify::1", "empty store"),
            ("shopify:snowdevil.myshopify.com:", "empty external id"),
            ("Shopify:snowdevil.myshopify.com:1", "may contain only a-z, 0-9"),
            ("shop ify:snowdevil.myshopify.com:1", "may contain only a-z, 0-9"),
        ])
    func rejects(text: String, message: String) {
        #expect(CustomerID(text) == nil)
        let error = #expect(throws: CustomerIDError.self) { try CustomerID.parse(text) }
        #expect(error?.description.contains(message) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test(
        "percent-encodes everything but unreserved characters for URL paths",
        arguments: [
            (
                "shopify:snowdevil.myshopify.com:706405506930370084",
                "shopify%3Asnowdevil.myshopify.com%3A706405506930370084"
            ),
            ("standard:crm.example.com:urn:crm:42", "standard%3Acrm.example.com%3Aurn%3Acrm%3A42"),
            ("standard:shop.example.com:a/b c~_-", "standard%3Ashop.example.com%3Aa%2Fb%20c~_-"),
            ("standard:café.example:%é?#", "standard%3Acaf%C3%A9.example%3A%25%C3%A9%3F%23"),
        ])
    func percentEncoding(text: String, encoded: String) throws {
        let id = try CustomerID.parse(text)
        #expect(id.percentEncoded == encoded)
        #expect(CustomerID(percentEncoded: encoded) == id)
    }

    @Test("reads lowercase hex and unescaped unreserved characters in a path segment")
    func lenientDecoding() {
        #expect(
            CustomerID(percentEncoded: "shopify%3asnowdevil.myshopify.com%3a7")
                == CustomerID("shopify:snowdevil.myshopify.com:7"))
        #expect(
            CustomerID(percentEncoded: "shopify:snowdevil.myshopify.com:7")
                == CustomerID("shopify:snowdevil.myshopify.com:7"))
    }

    @Test(
        "refuses broken percent escapes instead of guessing",
        arguments: [
            "shopify%3Astore%3A1%", "shopify%3Astore%3A1%4", "shopify%3Astore%3A%zz", "shopify%3Astore%3A%FF",
            "shopify%3Astore",
        ])
    func brokenEscapes(encoded: String) {
        #expect(CustomerID(percentEncoded: encoded) == nil)
    }

    @Test("a guest is keyed by the email hash under its store")
    func guest() {
        let id = CustomerID.guest(source: "shopify", store: "snowdevil.myshopify.com", emailHash: "5f4dcc3b")
        #expect(id.description == "shopify:snowdevil.myshopify.com:guest-5f4dcc3b")
        #expect(CustomerID(id.description) == id)
    }

    @Test("encodes as its text form and refuses malformed text when decoding")
    func codable() throws {
        let id = try CustomerID.parse("standard:crm.example.com:urn:crm:42")
        let encoded = try JSONEncoder().encode([id])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["standard:crm.example.com:urn:crm:42"]"#)
        #expect(try JSONDecoder().decode([CustomerID].self, from: encoded) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CustomerID].self, from: Data(#"["no-colons"]"#.utf8))
        }
    }
}
