/// One entry of a customer's audit trail: what changed, why, when and who.
///
/// Only field names are recorded, never values: the trail outlives erasure and must not
/// keep the personal data that erasure removed. Field names must not contain `,`, the
/// separator they are joined with in the stream.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var customer: String
    /// Names of the fields that changed, such as `email` or `tier`.
    public var fields: [String]
    /// What happened: `profile.updated`, `erased`.
    public var action: String
    /// The event id or API call that caused the change.
    public var cause: String
    /// The service or token name that made the change.
    public var actor: String
    /// The service whose data changed.
    public var service: String
    public var at: Timestamp

    public init(
        customer: String, fields: [String], action: String, cause: String, actor: String, service: String, at: Timestamp
    ) {
        self.customer = customer
        self.fields = fields
        self.action = action
        self.cause = cause
        self.actor = actor
        self.service = service
        self.at = at
    }
}
