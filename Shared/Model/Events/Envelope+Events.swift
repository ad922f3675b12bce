import Foundation

extension Envelope {
    /// Wraps a typed event, writing its current schema version.
    public static func make<E: DomainEvent>(
        _ event: E,
        id: String,
        customer: String,
        occurred: Timestamp,
        recorded: Timestamp,
        source: String,
        correlation: String,
        cause: String?
    ) throws -> Envelope {
        guard !id.isEmpty else { throw EnvelopeError.emptyID(type: E.eventType) }
        return Envelope(
            id: id,
            type: E.eventType,
            version: E.schemaVersion,
            customer: customer,
            occurred: occurred,
            recorded: recorded,
            source: source,
            correlation: correlation,
            cause: cause,
            data: try EventJSON.encode(event)
        )
    }

    /// Throws if type differs, or if version > E.schemaVersion (a newer producer: unsupported),
    /// or JSON doesn't decode. Older versions decode with the same Codable (new fields must be optional).
    public func decode<E: DomainEvent>(_ type: E.Type) throws -> E {
        guard self.type == E.eventType else {
            throw EnvelopeError.typeMismatch(expected: E.eventType, found: self.type, entry: id)
        }
        guard version <= E.schemaVersion else {
            throw EnvelopeError.unsupportedVersion(
                type: self.type, version: version, newestKnown: E.schemaVersion, entry: id)
        }
        return try EventJSON.decode(E.self, from: data, entry: id, version: version)
    }

    /// Derives an event caused by this one: same correlation, `cause` = this id, and
    /// id = "\(self.id)/\(suffix)". Deterministic, so handling a redelivered entry derives the
    /// same ids and the duplicates are recognised downstream.
    public func derive<E: DomainEvent>(
        _ event: E,
        suffix: String,
        customer: String? = nil,
        occurred: Timestamp? = nil,
        recorded: Timestamp,
        source: String
    ) throws -> Envelope {
        guard !suffix.isEmpty else { throw EnvelopeError.emptySuffix(type: E.eventType, parent: id) }
        return try Envelope.make(
            event,
            id: "\(id)/\(suffix)",
            customer: customer ?? self.customer,
            occurred: occurred ?? self.occurred,
            recorded: recorded,
            source: source,
            correlation: correlation,
            cause: id
        )
    }
}

/// The one JSON form of event data. Sorted keys make the same event give the same bytes,
/// so re-deriving an event after a redelivery writes an identical entry.
enum EventJSON {
    static func encode<E: DomainEvent>(_ event: E) throws -> String {
        do {
            return try SortedJSONEncoder().encodeText(event)
        } catch {
            throw EnvelopeError.unencodableEvent(type: E.eventType, detail: "\(error)")
        }
    }

    static func decode<E: DomainEvent>(_ type: E.Type, from text: String, entry: String, version: Int) throws -> E {
        do {
            return try JSONDocumentDecoder().decode(E.self, from: text)
        } catch let error as DecodingError {
            throw EnvelopeError.undecodableData(
                type: E.eventType, version: version, detail: error.summary, entry: entry)
        } catch {
            throw EnvelopeError.undecodableData(type: E.eventType, version: version, detail: "\(error)", entry: entry)
        }
    }
}

extension DecodingError {
    /// Where and what, without the values: event data and platform payloads may carry personal
    /// data, so messages built from this never repeat them.
    public var summary: String {
        func path(_ context: Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "top level" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing key \"\(key.stringValue)\"" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .valueNotFound(_, let context):
            return "null at \(path(context)): \(context.debugDescription)"
        case .typeMismatch(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
