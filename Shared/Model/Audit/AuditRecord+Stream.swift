extension AuditRecord {
    /// The stream field names, in the order they are written to `rapport:{p}:audit`.
    public static let streamFieldNames = ["customer", "action", "fields", "cause", "actor", "service", "at"]

    /// The field/value pairs for XADD to `rapport:{p}:audit`; `fields` joined by ",",
    /// `at` as decimal Unix ms.
    public var streamFields: [(String, String)] {
        [
            ("customer", customer),
            ("action", action),
            ("fields", fields.joined(separator: ",")),
            ("cause", cause),
            ("actor", actor),
            ("service", service),
            ("at", at.decimalMilliseconds),
        ]
    }

    /// Reads an audit entry back; a missing field or a bad `at` throws ``AuditRecordError`` naming it.
    public init(streamFields: [String: String]) throws {
        func required(_ name: String) throws -> String {
            guard let value = streamFields[name] else { throw AuditRecordError.missingField(name) }
            return value
        }
        let customer = try required("customer")
        let action = try required("action")
        let fieldList = try required("fields")
        let cause = try required("cause")
        let actor = try required("actor")
        let service = try required("service")
        let atText = try required("at")
        guard let at = Timestamp(decimalMilliseconds: atText) else {
            throw AuditRecordError.invalidTimestamp(atText)
        }
        // An empty list joins to "", which must read back as no fields, not one empty name.
        let fields =
            fieldList.isEmpty ? [] : fieldList.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        self.init(
            customer: customer, fields: fields, action: action, cause: cause, actor: actor, service: service, at: at)
    }
}
