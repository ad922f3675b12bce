import Model

/// What caused a change to a ledger: a consumed event or an API call. Output events and
/// timers are derived from it with deterministic ids (`<cause id>/<suffix>`), so deciding the
/// same cause again derives the same ids and consumers downstream recognise the duplicate.
struct Origin: Sendable {
    /// The event id, or `api:<call>:<customer>:<key>` for an API call.
    var id: String
    var correlation: String
    var customer: String
    /// What the audit trail calls it: the event type or the API call.
    var action: String
    /// Who: `loyalty` for events, the token name for API calls.
    var actor: String
    private var parent: Envelope?

    init(_ envelope: Envelope) {
        id = envelope.id
        correlation = envelope.correlation
        customer = envelope.customer
        action = envelope.type
        actor = "loyalty"
        parent = envelope
    }

    init(apiCall call: String, key: String, customer: String, actor: String) {
        id = "api:\(call):\(customer):\(key)"
        correlation = id
        self.customer = customer
        action = "api.\(call)"
        self.actor = actor
        parent = nil
    }

    /// An output event caused by this origin, occurring `now`.
    func envelope<E: DomainEvent>(_ event: E, suffix: String, customer: String? = nil, now: Timestamp) throws -> Envelope {
        if let parent {
            return try parent.derive(event, suffix: suffix, customer: customer, occurred: now, recorded: now, source: "loyalty")
        }
        return try Envelope.make(
            event, id: "\(id)/\(suffix)", customer: customer ?? self.customer, occurred: now, recorded: now,
            source: "loyalty", correlation: correlation, cause: id)
    }
}
