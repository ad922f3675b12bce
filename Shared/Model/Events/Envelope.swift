/// One stream entry: the routing and tracing fields every service reads, plus the typed event
/// as JSON text in `data`.
///
/// `correlation` is carried unchanged from the webhook through every derived event, and `cause`
/// names the event that led to this one, so a chain of effects can be traced back to the
/// delivery that started it. An empty cause means none, as on the wire.
public struct Envelope: Sendable, Hashable {
    /// Globally unique; deterministic for events derived from a platform delivery, so a
    /// redelivered webhook or a replayed entry produces the same ids and dedupes.
    public var id: String
    /// The event's wire name, such as `order.paid`.
    public var type: String
    /// The schema version of `data`, written as `v`.
    public var version: Int
    /// The customer id text; partitions are derived from it.
    public var customer: String
    /// When it happened, as the platform or the deciding service stated it.
    public var occurred: Timestamp
    /// When Rapport wrote it.
    public var recorded: Timestamp
    /// Who wrote it: a platform source or a service name.
    public var source: String
    public var correlation: String
    public var cause: String?
    /// The event as JSON text.
    public var data: String

    public init(
        id: String,
        type: String,
        version: Int,
        customer: String,
        occurred: Timestamp,
        recorded: Timestamp,
        source: String,
        correlation: String,
        cause: String?,
        data: String
    ) {
        self.id = id
        self.type = type
        self.version = version
        self.customer = customer
        self.occurred = occurred
        self.recorded = recorded
        self.source = source
        self.correlation = correlation
        self.cause = cause?.isEmpty == true ? nil : cause
        self.data = data
    }
}
