import Model
import PropertyBased
import Testing

@Suite("Envelope properties")
struct EnvelopePropertyTests {
    /// Any Latin-1 text, control characters included: stream values are binary-safe.
    static let text = Gen.latin1.string(of: 0...24)
    static let nonEmptyText = Gen.latin1.string(of: 1...24)
    static let timestamp = Gen.int64().map(Timestamp.init(unixMilliseconds:))

    static let envelope = zip(
        nonEmptyText, nonEmptyText, Gen.int(in: 1...Int.max), text, timestamp, timestamp,
        text, text, nonEmptyText.optional, Gen.character(in: " "..."\u{2FF}").string(of: 0...64)
    ).map { parts in
        Envelope(
            id: parts.0, type: parts.1, version: parts.2, customer: parts.3, occurred: parts.4,
            recorded: parts.5, source: parts.6, correlation: parts.7, cause: parts.8, data: parts.9)
    }

    @Test("any envelope reads back from its stream fields unchanged")
    func fieldsRoundTrip() async {
        await propertyCheck(count: 500, input: Self.envelope) { envelope in
            let entry = Dictionary(uniqueKeysWithValues: envelope.fields)
            let decoded = try Envelope(fields: entry)
            #expect(decoded == envelope)
        }
    }
}
