import Model
import Testing

@Suite("Envelope stream fields")
struct EnvelopeFieldsTests {
    static let entry: [String: String] = [
        "id": "shopify:evt-1",
        "type": "order.paid",
        "v": "2",
        "customer": "shopify:snowdevil.myshopify.com:706405506930370084",
        "occurred": "1700000000000",
        "recorded": "1700000002000",
        "source": "shopify",
        "correlation": "shopify:evt-1",
        "cause": "",
        "data": #"{"orderID":"1001"}"#,
    ]

    @Test("writes every field in a fixed order with timestamps as Unix milliseconds")
    func fields() throws {
        let envelope = try Envelope(fields: Self.entry)
        #expect(
            envelope.fields.map(\.0) == [
                "id", "type", "v", "customer", "occurred", "recorded", "source", "correlation", "cause", "data",
            ])
        #expect(envelope.fields.map(\.0) == Envelope.fieldNames)
        #expect(Dictionary(uniqueKeysWithValues: envelope.fields) == Self.entry)
        #expect(envelope.version == 2)
        #expect(envelope.occurred == Timestamp(unixMilliseconds: 1_700_000_000_000))
        #expect(envelope.cause == nil)
    }

    @Test("an empty cause is no cause, both ways")
    func cause() throws {
        var entry = Self.entry
        entry["cause"] = "shopify:evt-0"
        #expect(try Envelope(fields: entry).cause == "shopify:evt-0")
        let envelope = Envelope(
            id: "a", type: "t", version: 1, customer: "", occurred: Timestamp(unixMilliseconds: 0),
            recorded: Timestamp(unixMilliseconds: 0), source: "s", correlation: "a", cause: "", data: "{}")
        #expect(envelope.cause == nil)
    }

    @Test("ignores fields it does not know, so producers can add some first")
    func extraFields() throws {
        var entry = Self.entry
        entry["trace"] = "abc"
        #expect(try Envelope(fields: entry) == Envelope(fields: Self.entry))
    }

    @Test("a missing field is named in the error", arguments: Envelope.fieldNames)
    func missing(field: String) {
        var entry = Self.entry
        entry[field] = nil
        let error = #expect(throws: EnvelopeError.self) { try Envelope(fields: entry) }
        #expect(error?.field == field)
        #expect(error?.description.contains("has no field \"\(field)\"") == true)
    }

    @Test(
        "an invalid field is named in the error with what was expected",
        arguments: [
            ("id", "", "a non-empty string"),
            ("type", "", "a non-empty string"),
            ("v", "two", "a schema version"),
            ("v", "0", "a schema version"),
            ("v", "-1", "a schema version"),
            ("occurred", "2023-11-14T22:13:20Z", "Unix milliseconds"),
            ("recorded", "1.5", "Unix milliseconds"),
            ("recorded", "", "Unix milliseconds"),
        ])
    func invalid(field: String, value: String, expected: String) {
        var entry = Self.entry
        entry[field] = value
        let error = #expect(throws: EnvelopeError.self) { try Envelope(fields: entry) }
        #expect(error?.field == field)
        let description = error.map(String.init(describing:)) ?? ""
        #expect(
            description.contains("field \"\(field)\" is \(value.debugDescription); expected \(expected)"),
            "\(description)")
    }

    @Test("names the entry in the error so a dead letter can be found")
    func namesEntry() {
        var entry = Self.entry
        entry["occurred"] = nil
        let error = #expect(throws: EnvelopeError.self) { try Envelope(fields: entry) }
        #expect(error?.description.hasPrefix("stream entry \"shopify:evt-1\" has no field \"occurred\"") == true)
    }
}
