import Foundation

/// Encodes `Encodable` values as compact JSON with every object's member names in sorted order,
/// so the same value always gives the same bytes.
///
/// Equivalent to Foundation's `JSONEncoder` with `.sortedKeys` and default strategies (data as
/// base64, URLs as their text, decimals as numbers, non-finite floats refused), except that `/`
/// is not escaped and that nesting is refused only past the 512 containers the decoder reads
/// (Foundation's encoder refuses 512 already). Scalars are written once into one buffer as they
/// are encoded; only objects and arrays are kept as nodes until the end, when members are sorted
/// and everything is copied out.
public struct SortedJSONEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let output = JSONOutput()
        let fragment = try output.fragment(for: value, path: .root)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(output.scratch.count + 64)
        do {
            try output.write(fragment, to: &bytes, depth: 0)
        } catch {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: error.description))
        }
        return bytes
    }

    public func encodeText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

/// One encoded value: scalar text in the output's buffer, or a container still being filled.
enum JSONFragment {
    case scalar(start: Int32, end: Int32)
    case object(JSONObjectNode)
    case array(JSONArrayNode)
    /// A `superEncoder()` whose value is known only when the whole value has been encoded.
    case deferred(JSONValueEncoder)
}

final class JSONObjectNode {
    var members: [(name: String, value: JSONFragment)]

    init() {
        members = []
        members.reserveCapacity(8)
    }
}

final class JSONArrayNode {
    var elements: [JSONFragment] = []
}

/// The buffer every scalar of one encoding is written to, and the final serialisation.
final class JSONOutput {
    private(set) var scratch: [UInt8] = Array("nulltruefalse".utf8)

    static var null: JSONFragment { .scalar(start: 0, end: 4) }
    static var `true`: JSONFragment { .scalar(start: 4, end: 8) }
    static var `false`: JSONFragment { .scalar(start: 8, end: 13) }

    private func scalar(_ write: (inout [UInt8]) -> Void) -> JSONFragment {
        let start = scratch.count
        write(&scratch)
        return .scalar(start: Int32(start), end: Int32(scratch.count))
    }

    func bool(_ value: Bool) -> JSONFragment { value ? Self.true : Self.false }

    func string(_ value: String) -> JSONFragment { scalar { JSONText.appendQuoted(value, to: &$0) } }

    func integer<T: FixedWidthInteger>(_ value: T) -> JSONFragment { scalar { $0.append(contentsOf: String(value).utf8) } }

    func float<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T, path: @autoclosure () -> JSONPath) throws -> JSONFragment {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path().codingPath, debugDescription: "\(T.self) is not finite"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return scalar { $0.append(contentsOf: text.utf8) }
    }

    /// Any `Encodable`, with the types Foundation's encoder writes as text handled the same way.
    /// A value that encodes nothing becomes `{}`.
    func fragment<T: Encodable>(for value: T, path: JSONPath) throws -> JSONFragment {
        if T.self == String.self { return string(value as! String) }
        if T.self == Data.self { return string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return string((value as! URL).absoluteString) }
        if T.self == Decimal.self {
            let decimal = value as! Decimal
            // `NaN` is not JSON: written, it could never be read back.
            guard !decimal.isNaN else {
                throw EncodingError.invalidValue(value, .init(codingPath: path.codingPath, debugDescription: "Decimal is not a number"))
            }
            return scalar { $0.append(contentsOf: decimal.description.utf8) }
        }
        let encoder = JSONValueEncoder(output: self, path: path)
        try value.encode(to: encoder)
        return encoder.value ?? .object(JSONObjectNode())
    }

    /// Writes `fragment`, which sits inside `depth` containers. Containers nested deeper than
    /// the decoder reads are refused: what is written here must read back.
    func write(_ fragment: JSONFragment, to out: inout [UInt8], depth: Int) throws(JSONSyntaxError) {
        switch fragment {
        case .scalar(let start, let end):
            out.append(contentsOf: scratch[Int(start)..<Int(end)])
        case .array(let array):
            guard depth < JSONTape.maximumDepth else { throw Self.tooDeep }
            out.append(UInt8(ascii: "["))
            for (position, element) in array.elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, to: &out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            guard depth < JSONTape.maximumDepth else { throw Self.tooDeep }
            try write(object, to: &out, depth: depth + 1)
        case .deferred(let encoder):
            try write(encoder.value ?? .object(JSONObjectNode()), to: &out, depth: depth)
        }
    }

    private static var tooDeep: JSONSyntaxError { JSONSyntaxError("containers nested more than \(JSONTape.maximumDepth) deep") }

    /// Members by name; a name encoded twice keeps the value encoded last.
    private func write(_ object: JSONObjectNode, to out: inout [UInt8], depth: Int) throws(JSONSyntaxError) {
        let members = object.members
        out.append(UInt8(ascii: "{"))
        if zip(members, members.dropFirst()).allSatisfy({ Self.precedes($0.name, $1.name) }) {
            for (position, member) in members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                try write(member, to: &out, depth: depth)
            }
        } else {
            let order = members.indices.sorted {
                Self.precedes(members[$0].name, members[$1].name) || (Self.same(members[$0].name, members[$1].name) && $0 < $1)
            }
            var first = true
            for (position, index) in order.enumerated() {
                if position + 1 < order.count, Self.same(members[order[position + 1]].name, members[index].name) { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try write(members[index], to: &out, depth: depth)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Names are ordered and told apart by their UTF-8 bytes, as Foundation's encoder orders them:
    /// `String`'s `<` and `==` compare canonical forms, which puts `e` + U+0301 after `é` and would
    /// take the two for one name.
    private static func precedes(_ name: String, _ other: String) -> Bool { name.utf8.lexicographicallyPrecedes(other.utf8) }
    private static func same(_ name: String, _ other: String) -> Bool { name.utf8.elementsEqual(other.utf8) }

    private func write(_ member: (name: String, value: JSONFragment), to out: inout [UInt8], depth: Int) throws(JSONSyntaxError) {
        JSONText.appendQuoted(member.name, to: &out)
        out.append(UInt8(ascii: ":"))
        try write(member.value, to: &out, depth: depth)
    }
}

extension JSONText {
    /// Appends `string` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else as its UTF-8 bytes.
    static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var run = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                run = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` of one value.
final class JSONValueEncoder: Encoder, JSONCodingNode {
    let output: JSONOutput
    let path: JSONPath
    var value: JSONFragment?

    init(output: JSONOutput, path: JSONPath) {
        self.output = output
        self.path = path
    }

    var codingPath: [any CodingKey] { path.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObjectNode
        if case .object(let existing)? = value {
            object = existing
        } else {
            object = JSONObjectNode()
            value = .object(object)
        }
        return KeyedEncodingContainer(JSONKeyedMembers(encoder: self, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArrayNode
        if case .array(let existing)? = value {
            array = existing
        } else {
            array = JSONArrayNode()
            value = .array(array)
        }
        return JSONUnkeyedElements(encoder: self, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValue(encoder: self) }
}

struct JSONKeyedMembers<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    let object: JSONObjectNode

    var codingPath: [any CodingKey] { encoder.codingPath }
    private var output: JSONOutput { encoder.output }

    private func add(_ key: Key, _ value: JSONFragment) { object.members.append((key.stringValue, value)) }
    private func path(_ key: Key) -> JSONPath { JSONPath(encoder, .key(key)) }

    mutating func encodeNil(forKey key: Key) throws { add(key, JSONOutput.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, output.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key, output.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key, try output.float(value, path: path(key))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { add(key, try output.float(value, path: path(key))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { add(key, output.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(key, try output.fragment(for: value, path: path(key))) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectNode()
        add(key, .object(nested))
        return KeyedEncodingContainer(JSONKeyedMembers<NestedKey>(encoder: JSONValueEncoder(output: output, path: path(key)), object: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayNode()
        add(key, .array(nested))
        return JSONUnkeyedElements(encoder: JSONValueEncoder(output: output, path: path(key)), array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONSuperKey()
        let encoder = JSONValueEncoder(output: output, path: JSONPath(self.encoder, .key(key)))
        object.members.append((key.stringValue, .deferred(encoder)))
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = JSONValueEncoder(output: output, path: path(key))
        add(key, .deferred(encoder))
        return encoder
    }
}

struct JSONUnkeyedElements: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoder
    let array: JSONArrayNode

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.elements.count }
    private var output: JSONOutput { encoder.output }
    private var path: JSONPath { JSONPath(encoder, .index(count)) }

    private func add(_ value: JSONFragment) { array.elements.append(value) }

    mutating func encodeNil() throws { add(JSONOutput.null) }
    mutating func encode(_ value: Bool) throws { add(output.bool(value)) }
    mutating func encode(_ value: String) throws { add(output.string(value)) }
    mutating func encode(_ value: Double) throws { add(try output.float(value, path: path)) }
    mutating func encode(_ value: Float) throws { add(try output.float(value, path: path)) }
    mutating func encode(_ value: Int) throws { add(output.integer(value)) }
    mutating func encode(_ value: Int8) throws { add(output.integer(value)) }
    mutating func encode(_ value: Int16) throws { add(output.integer(value)) }
    mutating func encode(_ value: Int32) throws { add(output.integer(value)) }
    mutating func encode(_ value: Int64) throws { add(output.integer(value)) }
    mutating func encode(_ value: UInt) throws { add(output.integer(value)) }
    mutating func encode(_ value: UInt8) throws { add(output.integer(value)) }
    mutating func encode(_ value: UInt16) throws { add(output.integer(value)) }
    mutating func encode(_ value: UInt32) throws { add(output.integer(value)) }
    mutating func encode(_ value: UInt64) throws { add(output.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { add(try output.fragment(for: value, path: path)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectNode()
        let encoder = JSONValueEncoder(output: output, path: path)
        add(.object(nested))
        return KeyedEncodingContainer(JSONKeyedMembers<NestedKey>(encoder: encoder, object: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayNode()
        let encoder = JSONValueEncoder(output: output, path: path)
        add(.array(nested))
        return JSONUnkeyedElements(encoder: encoder, array: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONValueEncoder(output: output, path: path)
        add(.deferred(encoder))
        return encoder
    }
}

struct JSONSingleValue: SingleValueEncodingContainer {
    let encoder: JSONValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    private var output: JSONOutput { encoder.output }

    mutating func encodeNil() throws { encoder.value = JSONOutput.null }
    mutating func encode(_ value: Bool) throws { encoder.value = output.bool(value) }
    mutating func encode(_ value: String) throws { encoder.value = output.string(value) }
    mutating func encode(_ value: Double) throws { encoder.value = try output.float(value, path: encoder.path) }
    mutating func encode(_ value: Float) throws { encoder.value = try output.float(value, path: encoder.path) }
    mutating func encode(_ value: Int) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: Int8) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: Int16) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: Int32) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: Int64) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: UInt) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: UInt8) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: UInt16) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: UInt32) throws { encoder.value = output.integer(value) }
    mutating func encode(_ value: UInt64) throws { encoder.value = output.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.value = try output.fragment(for: value, path: encoder.path) }
}
