/// A permission a bearer token carries, such as `customers:read`.
///
/// Scopes are open strings so a service can name its own; the static members are the ones the
/// Rapport APIs check, and the only ones a rules file may grant (a typo there stops start-up).
public struct Scope: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Read customer profiles, tiers, segments and points without personal data.
    public static let customersRead = Scope(rawValue: "customers:read")
    /// Read decrypted personal data (name, email, phone, address, birthday).
    public static let piiRead = Scope(rawValue: "pii:read")
    /// Redeem or adjust points.
    public static let pointsWrite = Scope(rawValue: "points:write")
    /// Submit complaints from a shop front end or call centre.
    public static let complaintsSubmit = Scope(rawValue: "complaints:submit")
    /// Work complaint cases: reply, escalate, resolve, follow up.
    public static let complaintsAgent = Scope(rawValue: "complaints:agent")
    /// Administer complaints: compensation, reports.
    public static let complaintsAdmin = Scope(rawValue: "complaints:admin")
    /// Administer notifications: templates, deliveries.
    public static let notificationsAdmin = Scope(rawValue: "notifications:admin")
    /// Erase a customer's data.
    public static let customersErase = Scope(rawValue: "customers:erase")
    /// Change how a customer is classified, such as setting a manual tier floor.
    public static let customersWrite = Scope(rawValue: "customers:write")

    /// Every scope the Rapport APIs check; the admin token holds all of them.
    public static let all: Set<Scope> = [
        .customersRead, .piiRead, .pointsWrite, .complaintsSubmit, .complaintsAgent,
        .complaintsAdmin, .notificationsAdmin, .customersErase, .customersWrite,
    ]

    public var description: String { rawValue }
}
