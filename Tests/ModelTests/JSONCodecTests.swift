import Foundation
import Model
import PropertyBased
import Testing

/// Rapport's JSON coders must read and write what Foundation's do: event data written by one
/// replica is read by every other, and platform payloads must decode to the same values.
@Suite("JSON document decoder and sorted encoder")
struct JSONCodecTests {
    enum Channel: String, Codable, Equatable { case email, sms }

    enum Change: Codable, Equatable {
        case added(points: Int, reason: String?)
        case removed
    }

    struct Line: Codable, Equatable {
        var sku: String
        var quantity: Int
        var price: Decimal
    }

    struct Everything: Codable, Equatable {
        var text: String
        var escaped: String
        var flag: Bool
        var small: Int8
        var big: Int64
        var unsigned: UInt64
        var ratio: Double
        var whole: Double
        var single: Float
        var absent: String?
        var present: Int?
        var lines: [Line]
        var nested: [[Int]]
        var counts: [String: Int]
        var channel: Channel
        var changes: [Change]
        var when: Date
        var blob: Data
        var link: URL
        var empty: [String]
    }

    static let sample = Everything(
        text: "Zoë ordered 3 × 茶 🍵",
        escaped: "quote \" backslash \\ slash / newline \n tab \t bell \u{07} nul \u{0}",
        flag: true, small: -128, big: .min, unsigned: .max, ratio: 0.1, whole: 250, single: 1.5,
        absent: nil, present: 42,
        lines: [Line(sku: "TEA-1", quantity: 2, price: Decimal(string: "19.90")!), Line(sku: "", quantity: 0, price: 0)],
        nested: [[], [1, 2, 3]],
        counts: ["b": 2, "a": 1, "Z": 0, "ä": 3],
        channel: .sms,
        changes: [.added(points: 388, reason: nil), .removed, .added(points: -5, reason: "refund")],
        when: Date(timeIntervalSinceReferenceDate: 123_456.5),
        blob: Data([0, 1, 2, 250, 255]),
        link: URL(string: "https://shop.example/orders/1?x=1&y=2")!,
        empty: [])

    @Test("writes the bytes Foundation writes with sorted keys and unescaped slashes")
    func sameBytesAsFoundation() throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try foundation.encode(Self.sample), as: UTF8.self)
        let written = try SortedJSONEncoder().encodeText(Self.sample)
        #expect(written == expected)
    }

    @Test("reads what Foundation writes and Foundation reads what it writes")
    func interchangeable() throws {
        let fromFoundation = try JSONEncoder().encode(Self.sample)
        #expect(try JSONDocumentDecoder().decode(Everything.self, from: fromFoundation) == Self.sample)
        let ours = try SortedJSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(Everything.self, from: Data(ours)) == Self.sample)
        #expect(try JSONDocumentDecoder().decode(Everything.self, from: ours) == Self.sample)
    }

    @Test("resolves every escape, surrogate pairs included, as Foundation does")
    func escapes() throws {
        let document = #"["\u00e9\ud83d\ude00\n\"\\\/\b\f\r\t", "plain"]"#
        let ours = try JSONDocumentDecoder().decode([String].self, from: document)
        #expect(ours == ["é😀\n\"\\/\u{08}\u{0C}\r\t", "plain"])
        #expect(ours == (try JSONDecoder().decode([String].self, from: Data(document.utf8))))
        for lone in [#"["\ud800 lone"]"#, #"["\ude00"]"#, #"["\ud83d\u0041"]"#] {
            #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode([String].self, from: lone) }
            #expect(throws: (any Error).self) { try JSONDecoder().decode([String].self, from: Data(lone.utf8)) }
        }
    }

    @Test("reads numbers exactly and refuses those that do not fit", arguments: [
        ("127", Int8(127) as Int8?), ("-128", -128), ("128", nil), ("2.0", 2), ("1e2", 100), ("1.5", nil), ("-0", 0),
    ])
    func integers(text: String, expected: Int8?) throws {
        if let expected {
            #expect(try JSONDocumentDecoder().decode(Int8.self, from: text) == expected)
        } else {
            #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode(Int8.self, from: text) }
        }
    }

    @Test("reads the extreme integers and unsigned values")
    func extremes() throws {
        let decoder = JSONDocumentDecoder()
        #expect(try decoder.decode(Int64.self, from: "-9223372036854775808") == .min)
        #expect(try decoder.decode(Int64.self, from: "9223372036854775807") == .max)
        #expect(try decoder.decode(UInt64.self, from: "18446744073709551615") == .max)
        #expect(throws: DecodingError.self) { try decoder.decode(UInt64.self, from: "-1") }
        #expect(throws: DecodingError.self) { try decoder.decode(Int64.self, from: "9223372036854775808") }
        #expect(try decoder.decode(Double.self, from: " -12.5e-1 ") == -1.25)
    }

    /// Strictly RFC 8259: unlike Foundation's decoder, a trailing comma in an object is refused.
    @Test("refuses text that is not JSON as corrupt data at the top level", arguments: [
        "", " ", "{", "}", "[1,]", "[1 2]", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"{a:1}"#, "tru", "nul", "01", "1.", "-", "1e",
        "+1", ".5", #""\x""#, #""\u12""#, "\"tab\there\"", #""unterminated"#, "[1] [2]", "{} x", "'single'",
    ])
    func malformed(text: String) throws {
        let error = #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode([String: Int].self, from: text) }
        guard case .dataCorrupted(let context)? = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.codingPath.isEmpty)
    }

    @Test("refuses invalid UTF-8 in strings and documents nested past the limit")
    func hostileInput() throws {
        let invalid: [UInt8] = Array(#"{"name":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode([String: String].self, from: invalid) }
        let overlong: [UInt8] = [UInt8(ascii: "\""), 0xC0, 0xAF, UInt8(ascii: "\"")]
        #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode(String.self, from: overlong) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let deepError = #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode(Nest.self, from: deep) }
        guard case .dataCorrupted(let context)? = deepError else {
            Issue.record("expected dataCorrupted, got \(String(describing: deepError))")
            return
        }
        #expect(context.codingPath.isEmpty)
        let allowed = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONDocumentDecoder().decode(Nest.self, from: allowed).depth == 100)
    }

    /// Arrays in arrays, as deep as the document goes.
    struct Nest: Decodable {
        var depth = 1
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            if !container.isAtEnd { depth += try container.decode(Nest.self).depth }
        }
    }

    @Test("names the place of a missing key, a wrong type and a null, never the value")
    func errorPaths() throws {
        let decoder = JSONDocumentDecoder()
        let missing = #"{"text":"secret@example.com","lines":[{"sku":"a","quantity":1,"price":1},{"sku":"b","price":2}]}"#
        struct Order: Decodable { var text: String; var lines: [Line] }
        let missingError = #expect(throws: DecodingError.self) { try decoder.decode(Order.self, from: missing) }
        #expect(missingError?.summary == #"missing key "quantity" in lines[1]"#)

        let wrongType = #"{"text":"secret@example.com","lines":[{"sku":7,"quantity":1,"price":1}]}"#
        let typeError = #expect(throws: DecodingError.self) { try decoder.decode(Order.self, from: wrongType) }
        #expect(typeError?.summary.hasPrefix("wrong type at lines[0].sku") == true)
        #expect(typeError?.summary.contains("secret") == false)

        let null = #"{"text":null,"lines":[]}"#
        let nullError = #expect(throws: DecodingError.self) { try decoder.decode(Order.self, from: null) }
        #expect(nullError?.summary.hasPrefix("null at text") == true)
    }

    @Test("reads optional members as Foundation does: absent and null are nil")
    func optionals() throws {
        struct Maybe: Decodable, Equatable { var a: Int?; var b: String?; var c: [Int]? }
        let decoder = JSONDocumentDecoder()
        #expect(try decoder.decode(Maybe.self, from: #"{"a":null,"c":[1]}"#) == Maybe(a: nil, b: nil, c: [1]))
        #expect(throws: DecodingError.self) { try decoder.decode(Maybe.self, from: #"{"a":"1"}"#) }
    }

    @Test("keeps the last value of a name encoded twice and sorts names bytewise")
    func duplicateNames() throws {
        struct Twice: Encodable {
            enum CodingKeys: String, CodingKey { case b, a }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(1, forKey: .b)
                try container.encode(2, forKey: .a)
                var again = encoder.container(keyedBy: CodingKeys.self)
                try again.encode(3, forKey: .b)
            }
        }
        #expect(try SortedJSONEncoder().encodeText(Twice()) == #"{"a":2,"b":3}"#)
        #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode([Decimal.nan]) }
    }

    @Test("finds every member of a wide object by name, escaped names included")
    func wideObjects() async throws {
        let names = Gen.latin1.string(of: 0...12).array(of: 0...60)
        await propertyCheck(count: 200, input: names) { names in
            let value = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let written = try JSONEncoder().encode(value)
            #expect(try JSONDocumentDecoder().decode([String: Int].self, from: written) == value)
        }
        struct Named: Decodable, Equatable {
            var plain: Int
            var quoted: Int
            enum CodingKeys: String, CodingKey {
                case plain
                case quoted = "a\"b"
            }
        }
        let escaped = #"{"pl\u0061in":1,"a\"b":2,"other":3}"#
        #expect(try JSONDocumentDecoder().decode(Named.self, from: escaped) == Named(plain: 1, quoted: 2))
    }

    static let anyScalar = Gen<UInt32>.value(in: 0...0x10FFFF).map { Character(UnicodeScalar($0) ?? "\u{FFFD}") }

    @Test("any strings and numbers survive both directions between the two implementations")
    func propertyRoundTrip() async {
        let input = zip(
            Self.anyScalar.string(of: 0...24), Gen.latin1.string(of: 0...24), Gen.int64(),
            Gen.double(in: -1e12...1e12))
        await propertyCheck(count: 300, input: input) { wide, latin, integer, double in
            var value = [wide: [latin, wide]]
            value[latin] = [String(integer), "\(double)"]  // the two names may be equal
            let ours = try SortedJSONEncoder().encode(value)
            #expect(try JSONDecoder().decode([String: [String]].self, from: Data(ours)) == value)
            let theirs = try JSONEncoder().encode(value)
            #expect(try JSONDocumentDecoder().decode([String: [String]].self, from: theirs) == value)
            let numbers = try SortedJSONEncoder().encode([integer])
            #expect(try JSONDocumentDecoder().decode([Int64].self, from: numbers) == [integer])
            let floats = try JSONEncoder().encode([double])
            #expect(try JSONDocumentDecoder().decode([Double].self, from: floats) == [double])
            #expect(try JSONDecoder().decode([Double].self, from: Data(SortedJSONEncoder().encode([double]))) == [double])
        }
    }
}
