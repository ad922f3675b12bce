/// A customer's identity across Rapport: `<source>:<store>:<external id>`,
/// for example `shopify:snowdevil.myshopify.com:706405506930370084`.
///
/// The source and store come first so ids from different platforms and shops never collide;
/// the external id is the platform's own and may contain `:`, so text splits on the first two
/// colons only. The memberwise initialiser trusts its caller; text from outside goes through
/// ``parse(_:)`` or ``init(_:)``. Encodes as its text form.
public struct CustomerID: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public var source: String
    public var store: String
    public var externalID: String

    public init(source: String, store: String, externalID: String) {
        self.source = source
        self.store = store
        self.externalID = externalID
    }

    public init?(_ description: String) {
        guard let id = try? Self.parse(description) else { return nil }
        self = id
    }

    public static func parse(_ text: String) throws -> CustomerID {
        guard !text.isEmpty else { throw CustomerIDError.empty }
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw CustomerIDError.missingSeparator(in: text) }
        let (source, store, externalID) = (String(parts[0]), String(parts[1]), String(parts[2]))
        guard !source.isEmpty else { throw CustomerIDError.emptyPart("source", in: text) }
        guard source.utf8.allSatisfy(Self.isSourceByte) else {
            throw CustomerIDError.invalidSource(source)
        }
        guard !store.isEmpty else { throw CustomerIDError.emptyPart("store", in: text) }
        guard !externalID.isEmpty else { throw CustomerIDError.emptyPart("external id", in: text) }
        return CustomerID(source: source, store: store, externalID: externalID)
    }

    /// A customer who checked out without an account, keyed by a hash of the email so the
    /// id carries no personal data yet the same guest maps to the same customer.
    public static func guest(source: String, store: String, emailHash: String) -> CustomerID {
        CustomerID(source: source, store: store, externalID: "guest-\(emailHash)")
    }

    public var description: String {
        "\(source):\(store):\(externalID)"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isSourceByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
