/// A JSON document checked in one pass and laid out as a flat list of nodes, the way
/// `JSONDocumentDecoder` reads it.
///
/// Every value is one node, in document order; a container's members follow it, and its `next`
/// is the index just past its last member, so skipping a value is one step whatever its size.
/// Nothing is converted while scanning: strings and numbers stay byte ranges of the input until
/// a decoder asks for them, which is why reading a few fields of a large payload is cheap.
struct JSONTape {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Node {
        var kind: Kind
        /// For strings: the text holds a backslash escape. For numbers: a fraction or exponent.
        var flag: Bool
        /// Strings: the text between the quotes. Numbers: the number's text. Containers: the
        /// brackets. Literals: the word.
        var start: Int32
        var end: Int32
        /// The index of the node after this value and all of its members.
        var next: Int32
    }

    /// Containers nested deeper than this are refused, so a hostile body cannot exhaust the stack.
    static let maximumDepth = 512

    private(set) var nodes: [Node] = []

    /// Scans `bytes` (UTF-8) as one JSON value with optional surrounding white space.
    init(scanning bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        guard bytes.count < Int(Int32.max) else { throw JSONSyntaxError("the document is too large") }
        var scanner = Scanner(bytes: bytes)
        nodes.reserveCapacity(max(16, bytes.count / 12))
        try scanner.value(into: &nodes, depth: 0)
        scanner.skipWhiteSpace()
        guard scanner.position == bytes.count else {
            throw JSONSyntaxError("unexpected text after the value at byte \(scanner.position)")
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhiteSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
                default: return
                }
            }
        }

        func failure(_ what: String) -> JSONSyntaxError {
            JSONSyntaxError("\(what) at byte \(position)")
        }

        mutating func value(into nodes: inout [Node], depth: Int) throws(JSONSyntaxError) {
            skipWhiteSpace()
            guard let byte = current else { throw failure("unexpected end of the document") }
            switch byte {
            case UInt8(ascii: "{"): try object(into: &nodes, depth: depth + 1)
            case UInt8(ascii: "["): try array(into: &nodes, depth: depth + 1)
            case UInt8(ascii: "\""): try string(into: &nodes)
            case UInt8(ascii: "t"): try literal("true", .true, into: &nodes)
            case UInt8(ascii: "f"): try literal("false", .false, into: &nodes)
            case UInt8(ascii: "n"): try literal("null", .null, into: &nodes)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(into: &nodes)
            default: throw failure("unexpected character")
            }
        }

        private mutating func open(_ kind: Kind, into nodes: inout [Node], depth: Int) throws(JSONSyntaxError) -> Int {
            guard depth <= JSONTape.maximumDepth else { throw failure("containers nested too deeply") }
            let index = nodes.count
            nodes.append(Node(kind: kind, flag: false, start: Int32(position), end: 0, next: 0))
            position += 1
            return index
        }

        private mutating func close(_ index: Int, into nodes: inout [Node]) {
            position += 1
            nodes[index].end = Int32(position)
            nodes[index].next = Int32(nodes.count)
        }

        private mutating func object(into nodes: inout [Node], depth: Int) throws(JSONSyntaxError) {
            let index = try open(.object, into: &nodes, depth: depth)
            skipWhiteSpace()
            if current == UInt8(ascii: "}") { return close(index, into: &nodes) }
            while true {
                skipWhiteSpace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
                try string(into: &nodes)
                skipWhiteSpace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
                position += 1
                try value(into: &nodes, depth: depth)
                skipWhiteSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): return close(index, into: &nodes)
                default: throw failure("expected ',' or '}' in an object")
                }
            }
        }

        private mutating func array(into nodes: inout [Node], depth: Int) throws(JSONSyntaxError) {
            let index = try open(.array, into: &nodes, depth: depth)
            skipWhiteSpace()
            if current == UInt8(ascii: "]") { return close(index, into: &nodes) }
            while true {
                try value(into: &nodes, depth: depth)
                skipWhiteSpace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): return close(index, into: &nodes)
                default: throw failure("expected ',' or ']' in an array")
                }
            }
        }

        private mutating func literal(_ word: StaticString, _ kind: Kind, into nodes: inout [Node]) throws(JSONSyntaxError) {
            let length = word.utf8CodeUnitCount
            guard position + length <= bytes.count else { throw failure("unexpected end of the document") }
            for offset in 0..<length where bytes[position + offset] != word.utf8Start[offset] {
                throw failure("unexpected character")
            }
            nodes.append(Node(
                kind: kind, flag: false, start: Int32(position), end: Int32(position + length),
                next: Int32(nodes.count + 1)))
            position += length
        }

        private mutating func string(into nodes: inout [Node]) throws(JSONSyntaxError) {
            position += 1
            let start = position
            var escaped = false
            var multibyte = false
            let base = UnsafeRawPointer(bytes.baseAddress!)
            while true {
                // Plain ASCII, eight bytes at a time.
                while position &+ 8 <= bytes.count,
                    !JSONText.needsAttention(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
                {
                    position &+= 8
                }
                guard position < bytes.count else { throw failure("unterminated string") }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    try escape()
                    continue
                }
                guard byte >= 0x20 else { throw failure("control character in a string") }
                if byte >= 0x80 { multibyte = true }
                position += 1
            }
            if multibyte, !UTF8Check.isValid(UnsafeBufferPointer(rebasing: bytes[start..<position])) {
                throw failure("invalid UTF-8 in a string")
            }
            nodes.append(Node(
                kind: .string, flag: escaped, start: Int32(start), end: Int32(position), next: Int32(nodes.count + 1)))
            position += 1
        }

        /// Checks one escape sequence at `position` (the backslash) and steps over it.
        private mutating func escape() throws(JSONSyntaxError) {
            guard position + 1 < bytes.count else { throw failure("unterminated string") }
            switch bytes[position + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                position += 2
            case UInt8(ascii: "u"):
                let unit = try utf16Escape()
                if (0xDC00..<0xE000).contains(unit) { throw failure("unpaired surrogate in a \\u escape") }
                if (0xD800..<0xDC00).contains(unit) {
                    // A high surrogate must be followed by an escaped low one: together one character.
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                        (0xDC00..<0xE000).contains(try utf16Escape())
                    else { throw failure("unpaired surrogate in a \\u escape") }
                }
            default:
                throw failure("invalid escape")
            }
        }

        /// Reads `\\uXXXX` at `position` and steps over it.
        private mutating func utf16Escape() throws(JSONSyntaxError) -> UInt32 {
            guard position + 6 <= bytes.count else { throw failure("unterminated string") }
            var unit: UInt32 = 0
            for offset in 2..<6 {
                guard let digit = JSONText.hexValue(bytes[position + offset]) else { throw failure("invalid \\u escape") }
                unit = unit << 4 | UInt32(digit)
            }
            position += 6
            return unit
        }

        private mutating func number(into nodes: inout [Node]) throws(JSONSyntaxError) {
            let start = position
            var fractional = false
            if current == UInt8(ascii: "-") { position += 1 }
            switch current ?? 0 {
            case UInt8(ascii: "0"): position += 1
            case UInt8(ascii: "1")...UInt8(ascii: "9"): skipDigits()
            default: throw failure("invalid number")
            }
            if current == UInt8(ascii: ".") {
                fractional = true
                position += 1
                guard skipDigits() else { throw failure("invalid number") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                fractional = true
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard skipDigits() else { throw failure("invalid number") }
            }
            nodes.append(Node(
                kind: .number, flag: fractional, start: Int32(start), end: Int32(position), next: Int32(nodes.count + 1)))
        }

        /// Steps over decimal digits; false when there was none.
        @discardableResult
        private mutating func skipDigits() -> Bool {
            let start = position
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            return position > start
        }
    }
}

/// Why a document is not JSON: where, never what (documents carry personal data).
struct JSONSyntaxError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Text rules shared by reading and writing JSON.
enum JSONText {
    /// FNV-1a, to find member names quickly; equal hashes are confirmed by comparing the names.
    @inline(__always)
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// True when one of the eight bytes of `word` is a quote, a backslash, a control character
    /// or not ASCII: the bytes a string scan must look at one by one. May also be true for a
    /// plain byte next to such a byte, never false for one.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value }
        let quote = hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
        let backslash = hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
        let control = (word &- ones &* 0x20) & ~word
        return (quote | backslash | control | word) & highs != 0
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The string a JSON string's text (between the quotes, already checked by the scanner)
    /// stands for, with its escapes resolved.
    static func unescape(_ text: UnsafeBufferPointer<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = 0
        func hex4(at offset: Int) -> UInt32 {
            (offset..<offset + 4).reduce(0) { value, position in value << 4 | UInt32(hexValue(text[position]) ?? 0) }
        }
        while index < text.count {
            let byte = text[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            let code = text[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: index)
                index += 4
                // The scanner let surrogates through only in pairs, which are one character.
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= text.count, text[index] == UInt8(ascii: "\\"),
                    text[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(at: index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                bytes.append(contentsOf: character.utf8)
            default: bytes.append(code)  // `"`, `\` and `/` stand for themselves
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// UTF-8 validation for string bytes of a document: Foundation's decoder refuses invalid UTF-8,
/// and so does this one.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F  // no surrogates
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { return false }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
