/// A typed event carried as JSON in an ``Envelope``'s `data`.
///
/// The type name is the stable contract between services, not the Swift type's name, so
/// types can be renamed and moved freely. A new schema version may only add optional fields:
/// consumers decode every older version with the same `Codable` conformance.
/// Instants are ``Timestamp`` and amounts ``Money``, never `Date` or `Double`.
public protocol DomainEvent: Codable, Sendable {
    /// The wire name, such as `order.paid`.
    static var eventType: String { get }
    /// The version this code writes and the newest it can read.
    static var schemaVersion: Int { get }
}
