extension Envelope {
    /// The stream field names, in the order they are written.
    public static let fieldNames = [
        "id", "type", "v", "customer", "occurred", "recorded", "source", "correlation", "cause", "data",
    ]

    /// The field/value pairs written with XADD, in a fixed order (timestamps as decimal Unix ms;
    /// cause "" when nil), so the same envelope always writes the same entry.
    public var fields: [(String, String)] {
        [
            ("id", id),
            ("type", type),
            ("v", String(version)),
            ("customer", customer),
            ("occurred", occurred.decimalMilliseconds),
            ("recorded", recorded.decimalMilliseconds),
            ("source", source),
            ("correlation", correlation),
            ("cause", cause ?? ""),
            ("data", data),
        ]
    }

    /// Decodes an entry read from a stream; missing/invalid fields throw ``EnvelopeError``
    /// naming the field. Fields it does not know are ignored, so producers can add some first.
    public init(fields: [String: String]) throws {
        func required(_ name: String) throws -> String {
            guard let value = fields[name] else {
                throw EnvelopeError.missingField(name, entry: fields["id"])
            }
            return value
        }
        func nonEmpty(_ name: String) throws -> String {
            let value = try required(name)
            guard !value.isEmpty else {
                throw EnvelopeError.invalidField(
                    name, value: value, expected: "a non-empty string", entry: fields["id"])
            }
            return value
        }
        func timestamp(_ name: String) throws -> Timestamp {
            let value = try required(name)
            guard let timestamp = Timestamp(decimalMilliseconds: value) else {
                throw EnvelopeError.invalidField(
                    name, value: value, expected: "Unix milliseconds as a decimal integer", entry: fields["id"])
            }
            return timestamp
        }

        let id = try nonEmpty("id")
        let type = try nonEmpty("type")
        let versionText = try required("v")
        guard let version = Int(versionText), version >= 1 else {
            throw EnvelopeError.invalidField(
                "v", value: versionText, expected: "a schema version: a decimal integer from 1", entry: id)
        }
        let customer = try required("customer")
        let occurred = try timestamp("occurred")
        let recorded = try timestamp("recorded")
        let source = try required("source")
        let correlation = try required("correlation")
        let cause = try required("cause")
        let data = try required("data")
        self.init(
            id: id, type: type, version: version, customer: customer, occurred: occurred, recorded: recorded,
            source: source, correlation: correlation, cause: cause, data: data)
    }
}
