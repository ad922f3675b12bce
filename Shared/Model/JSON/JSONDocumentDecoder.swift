import Foundation

/// Decodes JSON into `Decodable` values as Foundation's `JSONDecoder` does with its default
/// strategies (dates through `Date`'s own coding, data as base64, URLs and decimals from text),
/// at a fraction of the cost.
///
/// The document is checked and laid out once (`JSONTape`); each keyed container then finds a
/// member by comparing names in place, and only the values asked for become Swift values. Platform
/// payloads carry many fields Rapport never reads, and event data is read on every hop, so this is
/// what every service decodes with. Errors are `DecodingError`s with the coding path, and never
/// repeat a value; a document that is not JSON is `dataCorrupted` at the top level.
public struct JSONDocumentDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try data.withUnsafeBytes { raw in try decode(type, bytes: raw.assumingMemoryBound(to: UInt8.self)) }
    }

    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        if let decoded = try text.utf8.withContiguousStorageIfAvailable({ try decode(type, bytes: $0) }) {
            return decoded
        }
        return try decode(type, from: Data(text.utf8))
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try decode(type, bytes: $0) }
    }

    private func decode<T: Decodable>(_ type: T.Type, bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        let tape: JSONTape
        do {
            tape = try JSONTape(scanning: bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid JSON: \(error)"))
        }
        return try JSONDocument(copying: bytes, tape: tape).decodeValue(type, at: 0, path: .root)
    }
}

/// A decoder or encoder of one value, which knows its place in the document.
protocol JSONCodingNode: AnyObject {
    var codingPath: [any CodingKey] { get }
}

/// Where a value sits: one step from the coder of its parent. The coding path is built only when
/// an error or a caller asks for it, so descending into a value allocates nothing for it.
struct JSONPath {
    enum Step {
        case root
        case key(any CodingKey)
        case index(Int)
    }

    let parent: (any JSONCodingNode)?
    let step: Step

    init(_ parent: any JSONCodingNode, _ step: Step) {
        self.parent = parent
        self.step = step
    }

    private init() {
        parent = nil
        step = .root
    }

    static var root: JSONPath { JSONPath() }

    var codingPath: [any CodingKey] {
        let above = parent?.codingPath ?? []
        switch step {
        case .root: return above
        case .key(let key): return above + [key]
        case .index(let index): return above + [JSONIndexKey(index)]
        }
    }
}

/// The coding key of an array element.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// A scanned document and its bytes, shared by every container reading it.
final class JSONDocument {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    let nodes: [JSONTape.Node]

    init(copying source: UnsafeBufferPointer<UInt8>, tape: JSONTape) {
        bytes = .allocate(capacity: max(1, source.count))
        _ = bytes.initialize(fromContentsOf: source)
        nodes = tape.nodes
    }

    deinit { bytes.deallocate() }

    private func text(_ node: JSONTape.Node) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
    }

    func string(of node: JSONTape.Node) -> String {
        node.flag ? JSONText.unescape(text(node)) : String(decoding: text(node), as: UTF8.self)
    }

    /// True when the member name at `index` is `name`, compared without making a String.
    func name(at index: Int, is name: String) -> Bool {
        let node = nodes[index]
        // By code points, as an unescaped name is and as the hash table finds it: `String`'s `==`
        // would also match a canonically equivalent spelling, but only in small objects.
        if node.flag { return string(of: node).utf8.elementsEqual(name.utf8) }
        let text = text(node)
        return name.utf8.withContiguousStorageIfAvailable { name in
            name.count == text.count && (name.count == 0 || memcmp(name.baseAddress!, text.baseAddress!, name.count) == 0)
        } ?? name.utf8.elementsEqual(text)
    }

    func nameHash(at index: Int) -> UInt64 {
        let node = nodes[index]
        return node.flag ? JSONText.hash(string(of: node).utf8) : JSONText.hash(text(node))
    }

    // MARK: Values

    func mismatch(_ type: Any.Type, at index: Int, path: JSONPath) -> DecodingError {
        let kind = nodes[index].kind
        let context = DecodingError.Context(codingPath: path.codingPath, debugDescription: "expected \(type), found \(kind.name)")
        return kind == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    func require(_ kind: JSONTape.Kind, _ type: Any.Type, at index: Int, path: @autoclosure () -> JSONPath) throws {
        guard nodes[index].kind == kind else { throw mismatch(type, at: index, path: path()) }
    }

    func decodeString(at index: Int, path: @autoclosure () -> JSONPath) throws -> String {
        try require(.string, String.self, at: index, path: path())
        return string(of: nodes[index])
    }

    func decodeBool(at index: Int, path: @autoclosure () -> JSONPath) throws -> Bool {
        switch nodes[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: index, path: path())
        }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at index: Int, path: @autoclosure () -> JSONPath) throws -> T {
        try require(.number, T.self, at: index, path: path())
        let node = nodes[index]
        if !node.flag, let value = integer(T.self, text(node)) { return value }
        // A fraction or exponent (`2.0`, `1e3`) is accepted when it is exactly a whole number in range.
        let number = String(decoding: text(node), as: UTF8.self)
        if let double = Double(number), let value = T(exactly: double) {
            if double.magnitude < 0x1p53 { return value }
            // From 2^53 on a Double skips whole numbers, so `9007199254740993.0` or an overflowing
            // `-9223372036854775809` would land on a neighbour in range: the decimal decides, as in
            // Foundation. `Decimal` writes a whole number as plain digits and any other with a point.
            if let decimal = Decimal(string: number), let exact = T(decimal.description) { return exact }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: path().codingPath, debugDescription: "the number does not fit in \(T.self)"))
    }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ digits: UnsafeBufferPointer<UInt8>) -> T? {
        var position = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { position = 1 }
        var value: T = 0
        while position < digits.count {
            let digit = T(digits[position] &- UInt8(ascii: "0"))
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, carry) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = next
            position += 1
        }
        return value
    }

    func decodeFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: T.Type, at index: Int, path: @autoclosure () -> JSONPath
    ) throws -> T {
        try require(.number, T.self, at: index, path: path())
        let number = text(nodes[index])
        // Too small a number rounds to zero as too large a one rounds to infinity: both are refused, as Foundation does.
        guard let value = T(String(decoding: number, as: UTF8.self)), value.isFinite, value != 0 || Self.isZero(number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path().codingPath, debugDescription: "the number does not fit in \(T.self)"))
        }
        return value
    }

    /// True when a number's digits before any exponent are all zero: `0`, `-0.00`, `0e7`.
    private static func isZero(_ number: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in number {
            switch byte {
            case UInt8(ascii: "1")...UInt8(ascii: "9"): return false
            case UInt8(ascii: "e"), UInt8(ascii: "E"): return true
            default: continue
            }
        }
        return true
    }

    /// Any `Decodable`, with the types Foundation's decoder reads from text handled the same way.
    func decodeValue<T: Decodable>(_ type: T.Type, at index: Int, path: JSONPath) throws -> T {
        if T.self == String.self { return try decodeString(at: index, path: path) as! T }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try decodeString(at: index, path: path)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path.codingPath, debugDescription: "not base64 data"))
            }
            return data as! T
        }
        if T.self == URL.self {
            guard let url = URL(string: try decodeString(at: index, path: path)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path.codingPath, debugDescription: "not a URL"))
            }
            return url as! T
        }
        if T.self == Decimal.self {
            try require(.number, Decimal.self, at: index, path: path)
            guard let decimal = Decimal(string: String(decoding: text(nodes[index]), as: UTF8.self)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path.codingPath, debugDescription: "not a decimal number"))
            }
            return decimal as! T
        }
        return try T(from: JSONNodeDecoder(document: self, index: index, path: path))
    }
}

extension JSONTape.Kind {
    var name: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        }
    }
}

/// The `Decoder` over one value of a document.
final class JSONNodeDecoder: Decoder, JSONCodingNode {
    let document: JSONDocument
    let index: Int
    let path: JSONPath

    init(document: JSONDocument, index: Int, path: JSONPath) {
        self.document = document
        self.index = index
        self.path = path
    }

    var codingPath: [any CodingKey] { path.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// An object's member names by hash, built on its first lookup when it has more than a few:
    /// payloads have dozens of members and a decoder asks for each of its keys, so comparing
    /// every name every time would cost names times keys. Small objects are searched in place.
    private lazy var members: [(hash: UInt64, value: Int32)]? = {
        var count = 0
        forEachMember { _ in
            count += 1
            return count > Self.membersSearchedInPlace
        }
        guard count > Self.membersSearchedInPlace else { return nil }
        var members: [(hash: UInt64, value: Int32)] = []
        forEachMember { name in
            members.append((document.nameHash(at: name), Int32(name + 1)))
            return false
        }
        return members
    }()

    private static let membersSearchedInPlace = 8

    /// Calls `body` with the node index of each member's name (its value is the next node) of
    /// the object this decoder holds, in document order, until `body` returns true.
    func forEachMember(_ body: (Int) -> Bool) {
        let nodes = document.nodes
        let end = Int(nodes[index].next)
        var name = index + 1
        while name < end {
            if body(name) { return }
            name = Int(nodes[name + 1].next)
        }
    }

    /// The value of the first member named `wanted`, if the object has one.
    func member(named wanted: String) -> Int? {
        guard let members else {
            var found: Int?
            forEachMember { name in
                guard document.name(at: name, is: wanted) else { return false }
                found = name + 1
                return true
            }
            return found
        }
        let hash = JSONText.hash(wanted.utf8)
        for member in members where member.hash == hash {
            let value = Int(member.value)
            if document.name(at: value - 1, is: wanted) { return value }
        }
        return nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try document.require(.object, [String: Any].self, at: index, path: path)
        return KeyedDecodingContainer(JSONKeyedNodes<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try document.require(.array, [Any].self, at: index, path: path)
        return JSONUnkeyedNodes(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { JSONSingleNode(decoder: self) }
}

/// An object's members, found by name (the first of repeated names wins).
struct JSONKeyedNodes<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONNodeDecoder
    private var document: JSONDocument { decoder.document }

    init(decoder: JSONNodeDecoder) { self.decoder = decoder }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var keys: [Key] = []
        decoder.forEachMember { name in
            if let key = Key(stringValue: document.string(of: document.nodes[name])) { keys.append(key) }
            return false
        }
        return keys
    }

    private func valueIndex(_ key: Key) -> Int? { decoder.member(named: key.stringValue) }

    private func require(_ key: Key) throws -> Int {
        guard let index = valueIndex(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for the key"))
        }
        return index
    }

    private func path(_ key: Key) -> JSONPath { JSONPath(decoder, .key(key)) }

    /// nil when the key is absent or its value is null.
    private func optional<T>(_ key: Key, _ read: (Int) throws -> T) rethrows -> T? {
        guard let index = valueIndex(key), document.nodes[index].kind != .null else { return nil }
        return try read(index)
    }

    func contains(_ key: Key) -> Bool { valueIndex(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { document.nodes[try require(key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try document.decodeBool(at: require(key), path: path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try document.decodeString(at: require(key), path: path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try document.decodeFloat(type, at: require(key), path: path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try document.decodeFloat(type, at: require(key), path: path(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.decodeInteger(type, at: require(key), path: path(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try document.decodeValue(type, at: require(key), path: path(key))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key) { try document.decodeBool(at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key) { try document.decodeString(at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key) { try document.decodeFloat(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(key) { try document.decodeFloat(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(key) { try document.decodeInteger(type, at: $0, path: path(key)) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try optional(key) { try document.decodeValue(type, at: $0, path: path(key)) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONNodeDecoder(document: document, index: require(key), path: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONNodeDecoder(document: document, index: require(key), path: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONSuperKey()
        guard let index = decoder.member(named: key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for the key"))
        }
        return JSONNodeDecoder(document: document, index: index, path: JSONPath(decoder, .key(key)))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONNodeDecoder(document: document, index: try require(key), path: path(key))
    }
}

/// The key `superDecoder()` and `superEncoder()` use, as Foundation's coders do.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

/// An array's elements in order.
struct JSONUnkeyedNodes: UnkeyedDecodingContainer {
    private let decoder: JSONNodeDecoder
    private var position: Int
    private let end: Int
    let count: Int?
    private(set) var currentIndex = 0

    init(decoder: JSONNodeDecoder) {
        self.decoder = decoder
        let nodes = decoder.document.nodes
        position = decoder.index + 1
        end = Int(nodes[decoder.index].next)
        var elements = 0
        var element = position
        while element < end {
            elements += 1
            element = Int(nodes[element].next)
        }
        count = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { position >= end }
    private var document: JSONDocument { decoder.document }

    /// The next element's node and path, moving past it.
    private mutating func next(_ type: Any.Type) throws -> (index: Int, path: JSONPath) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(
                codingPath: decoder.path.codingPath + [JSONIndexKey(currentIndex)], debugDescription: "the array has no more elements"))
        }
        let element = (position, JSONPath(decoder, .index(currentIndex)))
        position = Int(document.nodes[position].next)
        currentIndex += 1
        return element
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, document.nodes[position].kind == .null else { return false }
        _ = try next(Never.self)
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let e = try next(type); return try document.decodeBool(at: e.index, path: e.path) }
    mutating func decode(_ type: String.Type) throws -> String { let e = try next(type); return try document.decodeString(at: e.index, path: e.path) }
    mutating func decode(_ type: Double.Type) throws -> Double { let e = try next(type); return try document.decodeFloat(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Float.Type) throws -> Float { let e = try next(type); return try document.decodeFloat(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Int.Type) throws -> Int { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let e = try next(type); return try document.decodeInteger(type, at: e.index, path: e.path) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { let e = try next(type); return try document.decodeValue(type, at: e.index, path: e.path) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let element = try next([String: Any].self)
        return try JSONNodeDecoder(document: document, index: element.index, path: element.path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let element = try next([Any].self)
        return try JSONNodeDecoder(document: document, index: element.index, path: element.path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let element = try next(Any.self)
        return JSONNodeDecoder(document: document, index: element.index, path: element.path)
    }
}

/// The value of a decoder that holds one value.
struct JSONSingleNode: SingleValueDecodingContainer {
    let decoder: JSONNodeDecoder
    private var document: JSONDocument { decoder.document }
    private var index: Int { decoder.index }
    private var path: JSONPath { decoder.path }

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { document.nodes[index].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try document.decodeBool(at: index, path: path) }
    func decode(_ type: String.Type) throws -> String { try document.decodeString(at: index, path: path) }
    func decode(_ type: Double.Type) throws -> Double { try document.decodeFloat(type, at: index, path: path) }
    func decode(_ type: Float.Type) throws -> Float { try document.decodeFloat(type, at: index, path: path) }
    func decode(_ type: Int.Type) throws -> Int { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: UInt.Type) throws -> UInt { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.decodeInteger(type, at: index, path: path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.decodeInteger(type, at: index, path: path) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decodeValue(type, at: index, path: path) }
}
