import Model

/// One audit record as the customer-rights routes show it: what was done, to which fields, why
/// and by whom; never the values.
public struct AuditRecordDocument: Encodable, Sendable {
    public var entry: String
    public var action: String
    public var fields: [String]
    public var cause: String
    public var actor: String
    public var at: String

    /// `entry` is the record's id in the audit stream, the cursor for the next page.
    public init(_ record: AuditRecord, entry: String) {
        self.entry = entry
        action = record.action
        fields = record.fields
        cause = record.cause
        actor = record.actor
        at = record.at.description
    }
}

/// A customer's audit records, as `GET /v1/customers/{id}/audit` answers them.
public struct AuditPageDocument: Encodable, Sendable {
    public var customer: String
    public var records: [AuditRecordDocument]

    public init(customer: String, records: [AuditRecordDocument]) {
        self.customer = customer
        self.records = records
    }
}
