import Model

/// The customer record as the platform last described it (`customer.upserted`).
///
/// The latest version by the platform's `updatedAt` wins whatever the arrival order; two
/// versions with the same time are ordered by event id, so every replica picks the same one.
/// Personal fields (`email`, `phone`, `first_name`, `last_name`, `address`, `birthday`) stay
/// sealed exactly as intake sealed them: classification never stores them in clear.
struct CustomerAttributes: Sendable, Hashable, Codable {
    var kind: CustomerKind
    /// Field name to sealed value.
    var personal: [String: String]
    var language: String?
    var timeZone: String?
    var createdAt: Timestamp?
    var updatedAt: Timestamp
    /// The event this version came from, the tie-breaker between equal `updatedAt`s.
    var sourceEvent: String

    init(_ event: CustomerUpserted, eventID: String) {
        kind = event.kind
        personal = event.personal
        language = event.language
        timeZone = event.timeZone
        createdAt = event.createdAt
        updatedAt = event.updatedAt
        sourceEvent = eventID
    }

    func outranks(_ other: CustomerAttributes) -> Bool {
        (updatedAt, sourceEvent) > (other.updatedAt, other.sourceEvent)
    }

    /// Names of the fields that differ, for the audit trail (names only, never values).
    func changedFields(from old: CustomerAttributes?) -> [String] {
        guard let old else {
            return ["kind", "language", "time_zone", "created_at"].filter { name in
                switch name {
                case "language": language != nil
                case "time_zone": timeZone != nil
                case "created_at": createdAt != nil
                default: true
                }
            } + personal.keys.sorted().map { "personal.\($0)" }
        }
        var fields: [String] = []
        if kind != old.kind { fields.append("kind") }
        if language != old.language { fields.append("language") }
        if timeZone != old.timeZone { fields.append("time_zone") }
        if createdAt != old.createdAt { fields.append("created_at") }
        for name in Set(personal.keys).union(old.personal.keys).sorted() where personal[name] != old.personal[name] {
            fields.append("personal.\(name)")
        }
        return fields
    }
}
