import Foundation
import Model
import PropertyBased
import Testing

/// Rapport's JSON coders checked against Foundation's on random documents and values: whatever
/// one decoder reads the other must read to the same value, or both refuse it, and the encoder
/// must write Foundation's bytes. The differences that are meant are each pinned by a test below.
@Suite("JSON coders against Foundation's")
struct JSONDifferentialTests {
    // MARK: Random documents

    static let documents = Generator(run: { rng in RandomJSONText.document(&rng) })

    static let damagedDocuments = Generator(run: { rng in
        var document = RandomJSONText.document(&rng)
        RandomJSONText.damage(&document, &rng)
        return document
    })

    @Test("reads random documents to Foundation's values, or refuses them as Foundation does")
    func randomDocuments() async {
        await propertyCheck(count: 400, input: Self.documents) { document in
            Self.expectAgreement(document)
        }
    }

    @Test("agrees with Foundation on damaged documents")
    func damagedDocumentsAgree() async {
        await propertyCheck(count: 400, input: Self.damagedDocuments) { document in
            Self.expectAgreement(document, forgivingFoundationBugs: true)
        }
    }

    /// Foundation's reading and Rapport's must agree but for the meant differences, where
    /// Foundation reads a document Rapport refuses. Foundation forgives a comma before `]` or
    /// `}`: without those commas Rapport must read what Foundation read. And Foundation checks
    /// escapes and ranges only in the values it reads, so the value of a repeated name, which it
    /// skips, may hold a lone surrogate: Foundation's `JSONSerialization`, which reads every
    /// value, must then refuse the document too.
    static func expectAgreement(_ document: [UInt8], forgivingFoundationBugs: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let foundation = foundationRead(document)
        let rapport = rapportRead(document)
        if case .success = foundation, case .failure(DecodingError.dataCorrupted(let context)) = rapport, context.codingPath.isEmpty {
            let strict = RandomJSONText.removingTrailingCommas(document)
            if strict != document {
                expectAgreement(strict, forgivingFoundationBugs: forgivingFoundationBugs, sourceLocation: sourceLocation)
                return
            }
            if (try? JSONSerialization.jsonObject(with: Data(document), options: .fragmentsAllowed)) == nil { return }
        }
        let disagreement = disagreement(foundation, rapport, forgivingFoundationBugs: forgivingFoundationBugs)
        #expect(disagreement == nil, "\(show(document))", sourceLocation: sourceLocation)
    }

    // MARK: Random values

    static let values = Generator(run: { rng in RandomJSONValue.value(&rng, depth: 1) })

    static var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    @Test("writes random values byte for byte as Foundation does")
    func randomValuesWritten() async {
        let foundation = Self.foundationEncoder
        await propertyCheck(count: 300, input: Self.values) { value in
            let expected = try foundation.encode(value)
            let written = try SortedJSONEncoder().encode(value)
            let same = written == Array(expected)
            #expect(same, "\(value): Foundation \(Self.show(Array(expected))), Rapport \(Self.show(written))")
        }
    }

    @Test("reads what it writes, and Foundation reads the same from it")
    func randomValuesRoundTrip() async {
        await propertyCheck(count: 300, input: Self.values) { value in
            let written = try SortedJSONEncoder().encode(value)
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(written))
            let rapport = try JSONDocumentDecoder().decode(JSONValue.self, from: written)
            let difference = foundation.difference(from: rapport)
            #expect(difference == nil, "\(Self.show(written))")
            #expect(rapport.isReading(of: value), "\(value) was read back as \(rapport)")
        }
    }

    // MARK: Strings

    /// A character or escape as a document spells it, and the text it stands for (nil: not JSON).
    struct Special: Sendable, CustomTestStringConvertible {
        var spelling: [UInt8]
        var text: String?
        var testDescription: String { String(decoding: spelling, as: UTF8.self).debugDescription }

        init(_ spelling: String, _ text: String?) { self.init(Array(spelling.utf8), text) }
        init(_ spelling: [UInt8], _ text: String?) {
            self.spelling = spelling
            self.text = text
        }
    }

    static let specials: [Special] = [
        Special(#"\""#, "\""), Special(#"\\"#, "\\"), Special(#"\/"#, "/"), Special(#"\n"#, "\n"), Special(#"\b"#, "\u{08}"),
        Special(#"\u0001"#, "\u{01}"), Special(#"\u00E9"#, "é"), Special(#"\ud83d\ude00"#, "😀"),
        Special("é", "é"), Special("中", "中"), Special("😀", "😀"), Special([0x7F], "\u{7F}"),
        Special([0x01], nil), Special([0x1F], nil), Special([0xC3], nil), Special([0x80], nil), Special([0xFF], nil),
        Special([0xED, 0xA0, 0x80], nil), Special(#"\ud83d"#, nil), Special(#"\x"#, nil),
    ]

    /// The string scanner skips eight plain bytes at a time: whatever falls inside or across
    /// such a block must still be seen.
    @Test("reads a special character at every offset of a string", arguments: specials)
    func specialAtEveryOffset(special: Special) throws {
        for offset in 0...15 {
            for trailing in [0, 1, 6, 7, 8, 9, 15, 16] {
                let content = Array(repeating: UInt8(ascii: "a"), count: offset) + special.spelling
                    + Array(repeating: UInt8(ascii: "b"), count: trailing)
                let expected = special.text.map { String(repeating: "a", count: offset) + $0 + String(repeating: "b", count: trailing) }
                for document in [[UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")], Array(#"[""#.utf8) + content + Array(#"",1]"#.utf8)] {
                    let foundation = Self.foundationRead(document)
                    let rapport = Self.rapportRead(document)
                    #expect(Self.agree(foundation, rapport), "\(Self.show(document))")
                    if let expected {
                        let value = document.first == UInt8(ascii: "[")
                            ? JSONValue.array([.string(expected), .number(1, 1)]) : JSONValue.string(expected)
                        #expect((try? rapport.get()) == value, "\(Self.show(document))")
                    } else {
                        #expect(throws: DecodingError.self) { try rapport.get() }
                    }
                }
                if let expected {
                    let written = try SortedJSONEncoder().encode([expected])
                    #expect(written == Array(try Self.foundationEncoder.encode([expected])), "\(Self.show(written))")
                }
            }
        }
    }

    @Test("refuses a string cut off at any length")
    func unterminatedStrings() {
        for length in 0...17 {
            for filler in ["a", "é", #"\n"#] {
                let document = Array(("\"" + String(repeating: filler, count: length)).utf8)
                #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode(String.self, from: document) }
                #expect(throws: (any Error).self) { try JSONDecoder().decode(String.self, from: Data(document)) }
            }
        }
    }

    // MARK: Member names

    /// `{"want":[names],"object":{...}}`: looks up each wanted name in the object.
    struct Lookup: Decodable, Equatable {
        var contained: [Bool]
        var found: [Int?]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: JSONValue.Key.self)
            let wanted = try container.decode([String].self, forKey: JSONValue.Key("want"))
            let object = try container.nestedContainer(keyedBy: JSONValue.Key.self, forKey: JSONValue.Key("object"))
            contained = wanted.map { object.contains(JSONValue.Key($0)) }
            found = try wanted.map { try object.decodeIfPresent(Int.self, forKey: JSONValue.Key($0)) }
        }
    }

    /// Small objects are searched in place, those of more than eight members through a hash
    /// table: both must find every name however it is spelled, and nothing else.
    @Test("finds each member of objects of 0 to 20 members by name, however the name is spelled")
    func membersByName() throws {
        for count in 0...20 {
            var names: [String] = []
            var spelled: [String] = []
            for index in 0..<count {
                switch index % 6 {
                case 1: names.append("k\(index)"); spelled.append(#"\u006b"# + "\(index)")
                case 2: names.append("n/\(index)"); spelled.append(#"n\/"# + "\(index)")
                case 3: names.append("q\"\(index)"); spelled.append(#"q\""# + "\(index)")
                case 4: names.append("é\(index)"); spelled.append(index % 12 == 4 ? #"\u00e9"# + "\(index)" : "é\(index)")
                case 5: names.append("k\(index)😀"); spelled.append("k\(index)" + #"\ud83d\ude00"#)
                default: names.append("k\(index)")
                    spelled.append("k\(index)")
                }
            }
            let absent = ["", "k", "K0", "k0 ", "k20", "k1\u{0}", "é", "n/", "k5"]
                .filter { !names.contains($0) }
            let wanted = names + absent
            let members = zip(spelled, 0...).map { "\"\($0)\":\($1)" }.joined(separator: ",")
            let wantedText = String(decoding: try JSONEncoder().encode(wanted), as: UTF8.self)
            let document = Array(#"{"want":\#(wantedText),"object":{\#(members)}}"#.utf8)
            let rapport = try JSONDocumentDecoder().decode(Lookup.self, from: document)
            let foundation = try JSONDecoder().decode(Lookup.self, from: Data(document))
            #expect(rapport == foundation, "\(count) members")
            #expect(rapport.found == (0..<count).map { Optional($0) } + absent.map { _ in nil }, "\(count) members")
        }
    }

    /// RFC 8259 §8.3: names compared code unit by code unit are interoperable. Rapport compares
    /// them so, whatever the object's size or the name's escapes; Foundation's decoder keys
    /// members by `String`, so to it `é` and `e` + U+0301 are the same name.
    @Test("compares member names by their code points, not by canonical equivalence")
    func canonicallyEquivalentNames() throws {
        for filler in [0, 12] {
            let others = (0..<filler).map { #""m\#($0)":0"# }
            for spelling in ["é", #"\u00e9"#] {
                let members = (others + [#""\#(spelling)":1"#]).joined(separator: ",")
                let document = Array(#"{"want":["e\u0301","é"],"object":{\#(members)}}"#.utf8)
                let rapport = try JSONDocumentDecoder().decode(Lookup.self, from: document)
                #expect(rapport.found == [nil, 1], "\(spelling) among \(filler + 1) members")
                let foundation = try JSONDecoder().decode(Lookup.self, from: Data(document))
                #expect(foundation.found == [1, 1])
            }
        }
    }

    @Test("takes the first of repeated names, as Foundation does, however they are spelled")
    func repeatedNames() throws {
        for filler in [0, 3, 12] {
            let others = (0..<filler).map { #""m\#($0)":0"# }
            for (first, second) in [("a", "a"), ("a", #"\u0061"#), (#"\u0061"#, "a"), ("😀", #"\ud83d\ude00"#)] {
                for members in [[#""\#(first)":1"#] + others + [#""\#(second)":2"#], others + [#""\#(first)":1"#, #""\#(second)":2"#]] {
                    let document = Array("{\(members.joined(separator: ","))}".utf8)
                    let foundation = Self.foundationRead(document)
                    let rapport = Self.rapportRead(document)
                    #expect(Self.agree(foundation, rapport), "\(Self.show(document))")
                    let name = first == "😀" ? "😀" : "a"
                    let expected = Dictionary(uniqueKeysWithValues: others.indices.map { ("m\($0)", JSONValue.number(0, 0)) } + [(name, .number(1, 1))])
                    #expect((try? rapport.get()) == .object(expected))
                }
            }
        }
    }

    /// A name written twice keeps its last value, as in Foundation's encoder; names are sorted
    /// by their UTF-8 bytes, so `e` + U+0301 comes before `z` though as a `String` it sorts
    /// after `é`.
    @Test("sorts member names by their UTF-8 bytes and keeps the last value of a repeated one")
    func namesWritten() throws {
        let names = ["z", "e\u{301}x", "é", "a10", "a9", "B", "a", "", "😀", "\u{FF5E}", "\u{7F}", "\u{1}", "A\u{30A}", "Ab", "/"]
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, .number(Int64($0), nil)) }))
        #expect(try SortedJSONEncoder().encode(object) == Array(try Self.foundationEncoder.encode(object)))
        let twice = Members(members: [("b", 1), ("a", 2), ("b", 3), ("a", 4), ("c", 5)])
        #expect(try SortedJSONEncoder().encode(twice) == Array(try Self.foundationEncoder.encode(twice)))
        #expect(try SortedJSONEncoder().encodeText(twice) == #"{"a":4,"b":3,"c":5}"#)
    }

    /// Foundation's encoder keeps members in a `[String: _]`, so names that are equal as
    /// `String`s become one member there; Rapport's keeps names that differ in code points apart.
    /// Only a hand-written `encode(to:)` can write two such names: a dictionary cannot hold them.
    @Test("writes names that differ only by canonical equivalence as two members")
    func canonicallyEquivalentNamesWritten() throws {
        let both = Members(members: [("é", 1), ("e\u{301}", 2)])
        #expect(try SortedJSONEncoder().encodeText(both) == "{\"e\u{301}\":2,\"é\":1}")
        #expect(String(decoding: try Self.foundationEncoder.encode(both), as: UTF8.self) == #"{"é":2}"#)
    }

    // MARK: Depth

    /// Foundation's decoder reads 512 nested containers and no more, as Rapport's does.
    @Test("reads containers nested up to 512 deep and refuses deeper ones, as Foundation does")
    func nestingLimit() {
        for depth in [1, 2, 510, 511, 512, 513, 514] {
            for (open, close, levels) in [("[", "]", 1), (#"{"a":"#, "}", 1), (#"[{"a":"#, "}]", 2)] {
                let repeats = (depth + levels - 1) / levels
                let document = Array((String(repeating: open, count: repeats) + "1" + String(repeating: close, count: repeats)).utf8)
                let foundation = Self.foundationRead(document)
                let rapport = Self.rapportRead(document)
                #expect(Self.agree(foundation, rapport), "\(repeats) × \(open)")
                #expect(((try? rapport.get()) != nil) == (repeats * levels <= 512), "\(repeats) × \(open)")
            }
        }
    }

    /// What Rapport writes it can read back: containers nested deeper than its decoder reads are
    /// refused. Foundation's encoder refuses from 512, one level before its own decoder's limit.
    @Test("refuses to write containers nested deeper than it reads")
    func nestingLimitWritten() throws {
        for depth in [510, 511, 512, 513, 600] {
            let array = (1..<depth).reduce(JSONValue.array([])) { nested, _ in .array([nested]) }
            let object = (1..<depth).reduce(JSONValue.object([:])) { nested, _ in .object(["a": nested]) }
            for value in [array, object] {
                if depth <= 512 {
                    let written = try SortedJSONEncoder().encode(value)
                    #expect(try JSONDocumentDecoder().decode(JSONValue.self, from: written) == value)
                } else {
                    #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode(value) }
                }
                #expect(((try? Self.foundationEncoder.encode(value)) != nil) == (depth < 512))
            }
        }
    }

    // MARK: Numbers

    static func integerBounds<T: FixedWidthInteger & Decodable & Sendable>(_ type: T.Type) -> [(text: String, value: T?)] {
        let wide: [(Int128, T?)] = [
            (Int128(T.min), T.min), (Int128(T.max), T.max), (Int128(T.min) - 1, nil), (Int128(T.max) + 1, nil), (0, 0), (-1, T.isSigned ? -1 : nil),
        ]
        var cases: [(String, T?)] = []
        for (number, value) in wide {
            cases.append((String(number), value))
            cases.append(("\(number).0", value))
            cases.append(("\(number)e0", value))
            if number != 0 { cases.append(("\(number)0e-1", value)) }
        }
        return cases + [("-0", 0), ("-0.0", 0), ("1.5", nil), ("1e-1", nil)]
    }

    func checkBounds<T: FixedWidthInteger & Decodable & Sendable>(_ type: T.Type) {
        for (text, value) in Self.integerBounds(type) {
            let rapport = Result { try JSONDocumentDecoder().decode(T.self, from: text) }
            let foundation = Result { try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
            let whole = !text.allSatisfy { $0 == "-" || $0.isNumber }
            if T.bitWidth == 64, whole, let value, value != 0, value != -1 {
                // Past 2^53 Foundation's decoder checks a fraction or exponent through a Double,
                // which rounds T.max up out of range; T.min survives that, but then its decimal
                // check overflows. Rapport reads the exact T.min and, as Foundation, refuses T.max.
                #expect((try? rapport.get()) == (value == T.min ? value : nil), "\(T.self) \(text)")
                #expect((try? foundation.get()) == nil, "\(T.self) \(text)")
                continue
            }
            #expect((try? rapport.get()) == value, "\(T.self) \(text)")
            #expect((try? foundation.get()) == value, "\(T.self) \(text)")
        }
    }

    @Test("reads every integer type to its bounds and refuses one past them, as Foundation does")
    func integerTypes() {
        checkBounds(Int.self)
        checkBounds(Int8.self)
        checkBounds(Int16.self)
        checkBounds(Int32.self)
        checkBounds(Int64.self)
        checkBounds(UInt.self)
        checkBounds(UInt8.self)
        checkBounds(UInt16.self)
        checkBounds(UInt32.self)
        checkBounds(UInt64.self)
    }

    /// A Double holds every whole number only below 2^53: past it a fraction or exponent must
    /// not round the number onto a neighbour, nor a number past Int64's ends onto them.
    @Test("reads whole numbers past 2^53 written with a fraction or exponent exactly", arguments: [
        ("9007199254740993.0", Int64(9_007_199_254_740_993) as Int64?), ("9007199254740993e0", 9_007_199_254_740_993),
        ("900719925474099.3e1", 9_007_199_254_740_993), ("4.611686018427388e+18", 4_611_686_018_427_388_000),
        ("9223372036854775807", .max), ("-9223372036854775809", nil), ("-9223372036854775810", nil),
        ("-9223372036854776000", nil), ("9223372036854775808", nil), ("1e18", 1_000_000_000_000_000_000), ("1e19", nil),
    ])
    func wholeNumbersPast2To53(text: String, expected: Int64?) {
        #expect((try? JSONDocumentDecoder().decode(Int64.self, from: text)) == expected)
        #expect((try? JSONDecoder().decode(Int64.self, from: Data(text.utf8))) == expected)
    }

    /// Foundation turns a number of 2^53 or more into an integer by dropping its fraction;
    /// Rapport refuses a number that is not whole.
    @Test("refuses a number past 2^53 that is not whole, which Foundation truncates")
    func fractionPast2To53() {
        #expect((try? JSONDocumentDecoder().decode(Int64.self, from: "9007199254740993.5")) == nil)
        #expect((try? JSONDecoder().decode(Int64.self, from: Data("9007199254740993.5".utf8))) == 9_007_199_254_740_993)
    }

    @Test("reads floating-point numbers as Foundation does, refusing those out of range", arguments: [
        "0", "-0", "0.0", "0e-999", "-0.000e5", "1", "0.1", "1e-7", "1e16", "1e21", "1.7976931348623157e308", "1.7976931348623159e308",
        "1e309", "-1e400", "5e-324", "3e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "2e-324", "1e-400", "-1e-400",
        "123456789012345678901234567890", "0.30000000000000004", "3.4028235e38", "3.4028236e38", "1e39", "1.4e-45", "7.1e-46", "7e-46",
        "1e-46", "1e-50", "16777217", "1.00000000000000000000000000001",
    ])
    func floatingPoint(text: String) {
        let document = Array(text.utf8)
        let rapport = Result { try JSONDocumentDecoder().decode(Double.self, from: document) }
        let foundation = Result { try JSONDecoder().decode(Double.self, from: Data(document)) }
        #expect((try? rapport.get())?.bitPattern == (try? foundation.get())?.bitPattern)
        let rapportFloat = Result { try JSONDocumentDecoder().decode(Float.self, from: document) }
        let foundationFloat = Result { try JSONDecoder().decode(Float.self, from: Data(document)) }
        #expect((try? rapportFloat.get())?.bitPattern == (try? foundationFloat.get())?.bitPattern)
    }

    /// Foundation's decoder refuses a Double that rounds to zero unless its digits are all zero,
    /// but in a short number it looks at the exponent's last digit before the `e`, so it takes
    /// `0e7` (not `0E+7`) for a number too small to read. Rapport reads it as zero.
    @Test("reads zero with an exponent as zero, which Foundation sometimes refuses", arguments: ["0e7", "0E5", "0e1", "0.00E3"])
    func zeroWithExponent(text: String) throws {
        #expect(try JSONDocumentDecoder().decode(Double.self, from: text) == 0)
        #expect((try? JSONDecoder().decode(Double.self, from: Data(text.utf8))) == nil)
        #expect(try JSONDecoder().decode(Double.self, from: Data("0E+7".utf8)) == 0)
    }

    @Test("writes doubles and floats as Foundation does")
    func floatingPointWritten() async throws {
        var doubles: [Double] = [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 0x1p53, 0x1p53 + 2, 0x1p63, 0x1p64]
        for exponent in -325...308 {
            let power = Double("1e\(exponent)") ?? 0
            doubles += [power, power.nextUp, power.nextDown, 1.5 * power, -power]
        }
        let floats = doubles.map { Float($0) }.filter(\.isFinite) + [.leastNonzeroMagnitude, .greatestFiniteMagnitude, 16_777_216, 0.1]
        #expect(try SortedJSONEncoder().encode(doubles) == Array(try Self.foundationEncoder.encode(doubles)))
        #expect(try SortedJSONEncoder().encode(floats) == Array(try Self.foundationEncoder.encode(floats)))
        let bits = Gen<UInt32>.value(in: 0...UInt32.max).array(of: 50)
        await propertyCheck(count: 20, input: bits, bits) { high, low in
            let doubles = zip(high, low).map { Double(bitPattern: UInt64($0) << 32 | UInt64($1)) }.filter(\.isFinite)
            let floats = high.map { Float(bitPattern: $0) }.filter(\.isFinite)
            #expect(try SortedJSONEncoder().encode(doubles) == Array(try Self.foundationEncoder.encode(doubles)))
            #expect(try SortedJSONEncoder().encode(floats) == Array(try Self.foundationEncoder.encode(floats)))
            let written = try SortedJSONEncoder().encode(doubles)
            #expect(try JSONDocumentDecoder().decode([Double].self, from: written).map(\.bitPattern) == doubles.map(\.bitPattern))
            let floatsWritten = try SortedJSONEncoder().encode(floats)
            #expect(try JSONDocumentDecoder().decode([Float].self, from: floatsWritten).map(\.bitPattern) == floats.map(\.bitPattern))
        }
    }

    // MARK: Foundation's own types

    struct Typed: Codable, Equatable {
        var decimal: Decimal?
        var data: Data?
        var url: URL?
        var date: Date?
    }

    @Test("reads Decimal, Data, URL and Date members as Foundation does", arguments: [
        #"{"decimal":1e3}"#, #"{"decimal":0.1}"#, #"{"decimal":-0}"#, #"{"decimal":1e127}"#, #"{"decimal":1e128}"#, #"{"decimal":1e-128}"#,
        #"{"decimal":1e-200}"#, #"{"decimal":12345678901234567890123456789012345678901}"#, #"{"decimal":-1.5e-3}"#,
        #"{"decimal":"1"}"#, #"{"decimal":null}"#, #"{"decimal":18446744073709551616}"#,
        #"{"data":""}"#, #"{"data":"AA=="}"#, #"{"data":"AAE="}"#, #"{"data":"AAEC"}"#, #"{"data":"AAE"}"#, #"{"data":"A"}"#,
        #"{"data":"AAE=\n"}"#, #"{"data":" AAE="}"#, #"{"data":"AA\/B"}"#, #"{"data":"YW Jj"}"#, #"{"data":1}"#,
        #"{"url":"https://shop.example/a?b=1&c=%20"}"#, #"{"url":""}"#, #"{"url":"a b"}"#, #"{"url":"relative/path"}"#,
        #"{"url":"http://[::1]:80/"}"#, #"{"url":"mailto:a@b.example"}"#, #"{"url":"%zz"}"#, #"{"url":"http://ü.example/ä"}"#,
        #"{"url":"https:\/\/a.example\/x"}"#, #"{"url":3}"#,
        #"{"date":0}"#, #"{"date":-1.5}"#, #"{"date":1e9}"#, #"{"date":123456.789}"#, #"{"date":"2024-01-01T00:00:00Z"}"#,
    ])
    func foundationTypesRead(document: String) {
        let rapport = try? JSONDocumentDecoder().decode(Typed.self, from: document)
        let foundation = try? JSONDecoder().decode(Typed.self, from: Data(document.utf8))
        #expect(rapport == foundation)
    }

    @Test("writes Decimal, Data, URL and Date members as Foundation does")
    func foundationTypesWritten() throws {
        let base = URL(string: "https://b.example/dir/")
        let values = [
            Typed(decimal: Decimal(string: "19.90"), data: Data(), url: URL(string: "https://a.example/x y?q=ü"), date: Date(timeIntervalSinceReferenceDate: 0)),
            Typed(decimal: Decimal(string: "-0.000001"), data: Data([0]), url: URL(string: "rel/x", relativeTo: base), date: Date(timeIntervalSinceReferenceDate: -1e10)),
            Typed(decimal: Decimal(string: "12345678901234567890123456789012345678"), data: Data([0, 1]), url: URL(string: "a/b/c"), date: Date(timeIntervalSinceReferenceDate: 123_456.789)),
            Typed(decimal: Decimal(string: "1e100"), data: Data([0, 1, 2, 250, 255]), url: URL(string: "http://[::1]/"), date: Date(timeIntervalSinceReferenceDate: 1e-7)),
            Typed(decimal: Decimal(0), data: Data(repeating: 0xFF, count: 7), url: nil, date: nil),
        ]
        for value in values {
            let written = try SortedJSONEncoder().encode(value)
            #expect(written == Array(try Self.foundationEncoder.encode(value)))
            #expect(try JSONDocumentDecoder().decode(Typed.self, from: written) == (try JSONDecoder().decode(Typed.self, from: Data(written))))
        }
    }

    // MARK: Meant differences

    /// Strict RFC 8259: no trailing commas, UTF-8 without a byte order mark, nothing after the value.
    @Test("refuses what Foundation's decoder forgives", arguments: [
        Array("[1,]".utf8), Array(#"{"a":1,}"#.utf8), [0xEF, 0xBB, 0xBF] + Array("[1]".utf8), Array("1\u{0}".utf8),
        Array("[1]".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
    ])
    func forgivenByFoundation(document: [UInt8]) {
        #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode(JSONValue.self, from: document) }
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(document))) != nil)
    }

    /// Every string is checked when the document is scanned, so a lone surrogate escape is refused
    /// wherever it is; Foundation checks only the strings it reads, and skips a repeated name's value.
    @Test("refuses a lone surrogate escape even in a value Foundation skips")
    func loneSurrogateSkippedByFoundation() throws {
        let document = Array(#"{"a":1,"a":"\ud83d"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDocumentDecoder().decode([String: Int].self, from: document) }
        #expect(try JSONDecoder().decode([String: Int].self, from: Data(document)) == ["a": 1])
    }

    /// A value that encodes nothing is `{}`, at the top as inside; Foundation refuses it at the top.
    @Test("writes a value that encodes nothing as an empty object, at the top too")
    func nothingEncoded() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(try SortedJSONEncoder().encodeText(Nothing()) == "{}")
        #expect(try SortedJSONEncoder().encodeText([Nothing()]) == "[{}]")
        #expect(throws: EncodingError.self) { try Self.foundationEncoder.encode(Nothing()) }
    }

    // MARK: Helpers

    /// A name and value list written as one object in the order given.
    struct Members: Encodable {
        var members: [(String, Int)]
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONValue.Key.self)
            for (name, value) in members { try container.encode(value, forKey: JSONValue.Key(name)) }
        }
    }

    static func foundationRead(_ document: [UInt8]) -> Result<JSONValue, any Error> {
        Result { try JSONDecoder().decode(JSONValue.self, from: Data(document)) }
    }

    static func rapportRead(_ document: [UInt8]) -> Result<JSONValue, any Error> {
        Result { try JSONDocumentDecoder().decode(JSONValue.self, from: document) }
    }

    /// Both refused, or both read the same value.
    static func agree(_ one: Result<JSONValue, any Error>, _ other: Result<JSONValue, any Error>) -> Bool {
        disagreement(one, other) == nil
    }

    /// How Foundation's reading and Rapport's differ, nil when they agree.
    /// `forgivingFoundationBugs`: two bugs of Foundation's decoder that damaged documents run
    /// into are no difference. It reads an Int64 from a number past 2^53 that is not whole
    /// (`fractionPast2To53`), and refuses a Double from some zeros with an exponent (`zeroWithExponent`).
    static func disagreement(
        _ foundation: Result<JSONValue, any Error>, _ rapport: Result<JSONValue, any Error>, forgivingFoundationBugs: Bool = false
    ) -> String? {
        switch (foundation, rapport) {
        case (.failure, .failure): nil
        case (.success(let one), .success(let other)):
            one.difference(from: other, forgivingFoundationBugs: forgivingFoundationBugs).map { "Foundation and Rapport differ at \($0)" }
        case (.success, .failure(let error)): "only Foundation reads it; Rapport: \(error)"
        case (.failure(let error), .success): "only Rapport reads it; Foundation: \(error)"
        }
    }

    static func show(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self).debugDescription
        return text.count > 600 ? String(text.prefix(600)) + "…" : text
    }
}

/// Any JSON value, read and written only through the `Decoder` and `Encoder` protocols, so the
/// same value can go through Rapport's coders and Foundation's.
enum JSONValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number as each numeric reading sees it: as Int64 where that reads it, as Double where
    /// that does. Both must agree for two values to be equal.
    case number(Int64?, Double?)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    struct Key: CodingKey, Hashable {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.init(stringValue) }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: JSONValue] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let bool = try? single.decode(Bool.self) {
                self = .bool(bool)
            } else if let string = try? single.decode(String.self) {
                self = .string(string)
            } else {
                let integer = try? single.decode(Int64.self)
                let double = try? single.decode(Double.self)
                if integer == nil, double == nil { _ = try single.decode(Double.self) }
                self = .number(integer, double)
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let bool):
            var single = encoder.singleValueContainer()
            try single.encode(bool)
        case .number(let integer, let double):
            var single = encoder.singleValueContainer()
            if let integer { try single.encode(integer) } else { try single.encode(double ?? 0) }
        case .string(let string):
            var single = encoder.singleValueContainer()
            try single.encode(string)
        case .array(let elements):
            var array = encoder.unkeyedContainer()
            for element in elements { try array.encode(element) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for (name, value) in members { try object.encode(value, forKey: Key(name)) }
        }
    }

    /// Strings are compared by their UTF-8 bytes, numbers by their bits: a decoder must not
    /// normalise or round what another keeps.
    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a, let x), .number(let b, let y)): a == b && x?.bitPattern == y?.bitPattern
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    /// Where this (Foundation's reading) and `other` (Rapport's) first differ, nil when they are
    /// equal. `forgivingFoundationBugs`: see `JSONDifferentialTests.disagreement`.
    func difference(from other: JSONValue, at path: String = "$", forgivingFoundationBugs: Bool = false) -> String? {
        switch (self, other) {
        case (.number(_?, let double?), .number(nil, let rapportDouble?)) where forgivingFoundationBugs:
            return double.bitPattern == rapportDouble.bitPattern && double.magnitude >= 0x1p53 ? nil : "\(path): \(self) against \(other)"
        case (.number(let integer, nil), .number(let rapportInteger, let rapportDouble?)) where forgivingFoundationBugs:
            return integer == rapportInteger && rapportDouble == 0 ? nil : "\(path): \(self) against \(other)"
        case (.array(let elements), .array(let others)):
            guard elements.count == others.count else { return "\(path): \(elements.count) elements against \(others.count)" }
            for (index, (element, other)) in zip(elements, others).enumerated() {
                if let difference = element.difference(from: other, at: "\(path)[\(index)]", forgivingFoundationBugs: forgivingFoundationBugs) {
                    return difference
                }
            }
            return nil
        case (.object(let members), .object(let others)):
            for name in Set(members.keys).union(others.keys).sorted() {
                guard let member = members[name], let other = others[name] else { return "\(path): \(name.debugDescription) is not in both" }
                if let difference = member.difference(from: other, at: "\(path)[\(name.debugDescription)]", forgivingFoundationBugs: forgivingFoundationBugs) {
                    return difference
                }
            }
            return nil
        default:
            return self == other ? nil : "\(path): \(self) against \(other)"
        }
    }

    /// True when this, read from what `original` was written as, stands for `original`: an
    /// integer reads back as itself, a Double as itself, whether or not it also reads as an integer.
    func isReading(of original: JSONValue) -> Bool {
        switch (self, original) {
        case (.number(let integer, let double), .number(let originalInteger?, _)):
            integer == originalInteger && double == Double(originalInteger)
        case (.number(_, let double), .number(nil, let originalDouble?)):
            double == originalDouble
        case (.array(let elements), .array(let originals)):
            elements.count == originals.count && zip(elements, originals).allSatisfy { $0.isReading(of: $1) }
        case (.object(let members), .object(let originals)):
            members.count == originals.count
                && originals.allSatisfy { name, original in members[name].map { $0.isReading(of: original) } ?? false }
        default:
            self == original
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let bool): "\(bool)"
        case .number(let integer, let double): "number(\(integer.map(String.init) ?? "-"), \(double.map { "\($0)" } ?? "-"))"
        case .string(let string): string.debugDescription
        case .array(let elements): "[\(elements.map(\.description).joined(separator: ", "))]"
        case .object(let members): "{\(members.map { "\($0.debugDescription): \($1)" }.joined(separator: ", "))}"
        }
    }
}

/// Random JSON text as bytes: mostly valid, with the corners hand-written documents rarely
/// reach: every escape, surrogate pairs, raw UTF-8, numbers at the ends of the integer and
/// floating-point ranges, white space between tokens, and now and then something invalid.
enum RandomJSONText {
    static func roll(_ count: Int, _ rng: inout some RandomNumberGenerator) -> Int { Int.random(in: 0..<count, using: &rng) }

    static func pick<T>(_ items: [T], _ rng: inout some RandomNumberGenerator) -> T { items[roll(items.count, &rng)] }

    static func document(_ rng: inout some RandomNumberGenerator) -> [UInt8] {
        var out: [UInt8] = []
        space(&out, &rng)
        value(&out, &rng, depth: 1)
        space(&out, &rng)
        return out
    }

    static func space(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        out += pick(["", "", "", "", " ", "\n", "\t", "\r\n", "  \t "], &rng).utf8
    }

    static func value(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator, depth: Int) {
        switch roll(depth < 5 ? 11 : 6, &rng) {
        case 0: out += "null".utf8
        case 1: out += pick(["true", "false"], &rng).utf8
        case 2, 3: number(&out, &rng)
        case 4, 5: string(&out, &rng)
        case 6, 7: array(&out, &rng, depth: depth)
        default: object(&out, &rng, depth: depth)
        }
    }

    static func array(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator, depth: Int) {
        out.append(UInt8(ascii: "["))
        let count = roll(5, &rng)
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            space(&out, &rng)
            value(&out, &rng, depth: depth + 1)
            space(&out, &rng)
        }
        if count == 0 { space(&out, &rng) }
        out.append(UInt8(ascii: "]"))
    }

    /// Objects near the top are wide enough to be looked up through the hash table; names come
    /// from a small alphabet, so they often repeat.
    static func object(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator, depth: Int) {
        out.append(UInt8(ascii: "{"))
        let count = roll(depth <= 2 ? 15 : 5, &rng)
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            space(&out, &rng)
            name(&out, &rng)
            space(&out, &rng)
            out.append(UInt8(ascii: ":"))
            space(&out, &rng)
            value(&out, &rng, depth: depth + 1)
            space(&out, &rng)
        }
        if count == 0 { space(&out, &rng) }
        out.append(UInt8(ascii: "}"))
    }

    /// Name characters, each with the ways a document may spell it. None is canonically
    /// equivalent to another spelling, so names compare alike in both decoders.
    static let nameCharacters: [[String]] = [
        ["a", #"\u0061"#], ["b", #"\u0062"#], ["k", #"\u006B"#, #"\u006b"#], ["é", #"\u00e9"#, #"\u00E9"#], ["中", #"\u4e2d"#],
        ["😀", #"\ud83d\ude00"#, #"\uD83D\uDE00"#], [#"\""#, #"\u0022"#], [#"\\"#, #"\u005c"#], ["/", #"\/"#, #"\u002F"#],
        [#"\n"#, #"\u000a"#], [" ", #"\u0020"#],
    ]

    static func name(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        out.append(UInt8(ascii: "\""))
        for _ in 0..<roll(4, &rng) { out += pick(pick(nameCharacters, &rng), &rng).utf8 }
        out.append(UInt8(ascii: "\""))
    }

    static func string(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        out.append(UInt8(ascii: "\""))
        for _ in 0..<roll(8, &rng) { piece(&out, &rng) }
        out.append(UInt8(ascii: "\""))
    }

    static let plain: [UInt8] = Array(0x20...0x7F).filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }

    static let raw = ["é", "ß", "中", "😀", "e\u{301}", "\u{301}", "\u{FEFF}", "\u{2028}", "\u{80}", "\u{FFFF}", "\u{10FFFF}", "\u{212B}", "ﬃ"]

    /// Text that is not JSON inside a string: lone surrogates, control characters, unknown
    /// escapes and invalid UTF-8.
    static let invalid: [[UInt8]] = [
        Array(#"\ud83d"#.utf8), Array(#"\ude00"#.utf8), Array(#"\ud83d\u0041"#.utf8), [0x01], [0x09], [0x1F], Array(#"\x"#.utf8),
        Array(#"\u12g4"#.utf8), Array(#"\U0041"#.utf8), [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80],
    ]

    static func hex(_ unit: UInt32, _ rng: inout some RandomNumberGenerator) -> String {
        let digits = String(unit, radix: 16, uppercase: roll(2, &rng) == 0)
        return #"\u"# + String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func piece(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        if roll(250, &rng) == 0 {
            out += pick(invalid, &rng)
            return
        }
        switch roll(20, &rng) {
        case 0..<8:
            for _ in 0...roll(12, &rng) { out.append(pick(plain, &rng)) }
        case 8..<11:
            out += pick([#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#], &rng).utf8
        case 11..<13:
            let range = pick([0...0x1F, 0x20...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF] as [ClosedRange<UInt32>], &rng)
            out += hex(UInt32.random(in: range, using: &rng), &rng).utf8
        case 13:
            let scalar = UInt32.random(in: 0x10000...0x10FFFF, using: &rng) - 0x10000
            out += (hex(0xD800 + scalar >> 10, &rng) + hex(0xDC00 + scalar & 0x3FF, &rng)).utf8
        default:
            out += pick(raw, &rng).utf8
        }
    }

    static func digits(_ count: Int, _ rng: inout some RandomNumberGenerator) -> String {
        String((0..<count).map { _ in pick(Array("0123456789"), &rng) })
    }

    /// An integer part: 0 or digits without a leading zero.
    static func integerPart(_ count: Int, _ rng: inout some RandomNumberGenerator) -> String {
        count == 0 ? "0" : String(pick(Array("123456789"), &rng)) + digits(count - 1, &rng)
    }

    static func number(_ out: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        let sign = pick(["", "", "-"], &rng)
        let text: String
        switch roll(9, &rng) {
        case 0:
            text = String(Int.random(in: -1000...1000, using: &rng))
        case 1:
            // Near the ends of the 32 and 64-bit integers and of the whole numbers a Double holds,
            // plain or with a fraction or exponent that keeps them whole.
            let ends: [Int128] = [Int128(Int64.max), Int128(Int64.min), Int128(UInt64.max), 1 << 53, -(1 << 53), Int128(Int32.max), Int128(Int32.min)]
            let number = pick(ends, &rng) + Int128(Int.random(in: -2...2, using: &rng))
            // Int64.min with a fraction or exponent is a meant difference: see `integerTypes`.
            let forms = number == Int128(Int64.min) ? [""] : ["", ".0", "e0", ".000", "0e-1", "00E-2"]
            text = String(number) + pick(forms, &rng)
        case 2:
            text = sign + integerPart(roll(7, &rng), &rng) + "." + digits(1 + roll(12, &rng), &rng)
        case 3:
            let fraction = roll(2, &rng) == 0 ? "" : "." + digits(1 + roll(6, &rng), &rng)
            let exponent = roll(4, &rng) == 0 ? Int.random(in: 280...400, using: &rng) : roll(31, &rng)
            // Not zero: Foundation refuses some zeros with an exponent, see `zeroWithExponent`.
            text = sign + integerPart(1 + roll(3, &rng), &rng) + fraction + pick(["e", "E"], &rng) + pick(["", "+", "-"], &rng) + String(exponent)
        case 4:
            text = pick(["0", "-0", "0.0", "-0.0", "0e0", "0E+5", "-0e-400", "0.000e999", "0e-0"], &rng)
        case 5:
            let whole = Int.random(in: -10_000_000...10_000_000, using: &rng)
            text = pick(["\(whole)00e-2", "\(whole).0", "\(whole)e0", "\(whole)0E-1", "\(whole)5e-1", "\(whole).25"], &rng)
        case 6:
            var double = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
            if !double.isFinite { double = 0.5 }
            text = "\(double)"
        case 7:
            text = pick([
                "1e400", "-1e400", "1e-400", "-1e-400", "2e-324", "3e-324", "4.9e-324", "2.4703282292062327e-324",
                "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
                "0.0000000000000000000000000000001e-300", "100e-2", "1E2", "-0.0e-0", "1.00000000000000000001",
            ], &rng)
        default:
            text = sign + integerPart(1 + roll(25, &rng), &rng)
        }
        out += text.utf8
    }

    /// Breaks a document here and there: a byte dropped, added or changed, a comma before a
    /// closing bracket, or the end cut off.
    static func damage(_ document: inout [UInt8], _ rng: inout some RandomNumberGenerator) {
        let bytes = Array(#",:[]{}"\ 0-.eE+tnu"#.utf8) + [0x80, 0xC3, 0x01]
        for _ in 0...roll(2, &rng) {
            guard !document.isEmpty else { return }
            let position = roll(document.count, &rng)
            switch roll(5, &rng) {
            case 0: document.remove(at: position)
            case 1: document.insert(pick(bytes, &rng), at: position)
            case 2: document[position] = pick(bytes, &rng)
            case 3:
                let closing = document.indices.filter { document[$0] == UInt8(ascii: "]") || document[$0] == UInt8(ascii: "}") }
                if !closing.isEmpty { document.insert(UInt8(ascii: ","), at: pick(closing, &rng)) }
            default: document.removeSubrange(position...)
            }
        }
    }

    /// The document with every comma that is followed, past white space, by `]` or `}` removed
    /// (outside strings).
    static func removingTrailingCommas(_ document: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        for (index, byte) in document.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ","),
                let next = document[(index + 1)...].first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }),
                next == UInt8(ascii: "]") || next == UInt8(ascii: "}")
            {
                continue
            }
            out.append(byte)
        }
        return out
    }
}

/// Random values for the encoder: numbers across the whole Double range and around the
/// points where their text changes form, and strings and names of any Unicode, control
/// characters and combining marks included.
enum RandomJSONValue {
    static func roll(_ count: Int, _ rng: inout some RandomNumberGenerator) -> Int { Int.random(in: 0..<count, using: &rng) }

    static func value(_ rng: inout some RandomNumberGenerator, depth: Int) -> JSONValue {
        switch roll(depth < 5 ? 10 : 6, &rng) {
        case 0: return .null
        case 1: return .bool(roll(2, &rng) == 0)
        case 2: return .number(integer(&rng), nil)
        case 3: return .number(nil, double(&rng))
        case 4, 5: return .string(string(&rng))
        case 6, 7: return .array((0..<roll(5, &rng)).map { _ in value(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<roll(depth <= 2 ? 14 : 5, &rng) { members[string(&rng)] = value(&rng, depth: depth + 1) }
            return .object(members)
        }
    }

    static func integer(_ rng: inout some RandomNumberGenerator) -> Int64 {
        switch roll(3, &rng) {
        case 0: Int64.random(in: -1000...1000, using: &rng)
        case 1: Int64.random(in: .min ... .max, using: &rng)
        default:
            Int64(clamping: [Int128(Int64.min), Int128(Int64.max), 1 << 53, -(1 << 53)][roll(4, &rng)] + Int128(Int.random(in: -2...2, using: &rng)))
        }
    }

    static func double(_ rng: inout some RandomNumberGenerator) -> Double {
        switch roll(5, &rng) {
        case 0:
            let double = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
            return double.isFinite ? double : 0
        case 1:
            return Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / [1, 10, 100, 1000, 1e7][roll(5, &rng)]
        case 2:
            let power = Double("1e\(Int.random(in: -325...308, using: &rng))") ?? 1
            return [power, power.nextUp, power.nextDown, -power, 3 * power][roll(5, &rng)]
        case 3:
            return Double(Int64.random(in: -(1 << 60)...(1 << 60), using: &rng)) * [1, 0.5, 0.25][roll(3, &rng)]
        default:
            return [0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 0x1p53, 0x1p63, 1e16, 1e-5][roll(9, &rng)]
        }
    }

    static let ranges: [ClosedRange<UInt32>] = [0...0x1F, 0x20...0x7F, 0x20...0x7F, 0x20...0x7F, 0x80...0x7FF, 0x300...0x36F, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]

    static func string(_ rng: inout some RandomNumberGenerator) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<roll(8, &rng) {
            if let scalar = Unicode.Scalar(UInt32.random(in: ranges[roll(ranges.count, &rng)], using: &rng)) { text.append(scalar) }
        }
        return String(text)
    }
}
