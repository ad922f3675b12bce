import Model

/// An order on a platform, named the way refunds and deletions name it.
struct OrderReference: Sendable, Hashable, CustomStringConvertible {
    var source: String
    var store: String
    var orderID: String

    /// `shopify:snowdevil.myshopify.com:820982911946154508`
    var description: String { "\(source):\(store):\(orderID)" }
}

/// One event a delivery becomes, before its personal fields are sealed and it is stored.
struct IntakeEvent: Sendable {
    /// Which partition (and customer) the event goes to.
    enum Destination: Sendable, Hashable {
        case customer(CustomerID)
        /// The payload names only the order (a Shopify refund, a WooCommerce deletion): the
        /// customer is the one the order was stored with. Such events carry no personal data.
        case orderOwner(OrderReference)
        /// Shop-wide (`shop/redact`): appended to every partition with an empty customer.
        case everyPartition
    }

    /// The envelope id: deterministic from what the delivery says, so a redelivery, a replay or
    /// two topics reporting the same change produce the same id and consumers apply it once.
    var id: String
    var destination: Destination
    /// When it happened by the platform's clock.
    var occurred: Timestamp
    var source: String
    var event: any DomainEvent
    /// The order this event ties to its customer in the order index.
    var indexesOrder: OrderReference?

    init(
        id: String, destination: Destination, occurred: Timestamp, source: String, event: any DomainEvent,
        indexesOrder: OrderReference? = nil
    ) {
        self.id = id
        self.destination = destination
        self.occurred = occurred
        self.source = source
        self.event = event
        self.indexesOrder = indexesOrder
    }
}

/// What a verified delivery becomes.
enum Normalised: Sendable {
    case event(IntakeEvent)
    /// Several events in one delivery (a paid WooCommerce order that also lists refunds),
    /// stored in this order.
    case events([IntakeEvent])
    /// A topic intake does not handle: accepted and counted, never failed.
    case unknownTopic(String)
    /// A known topic that carries nothing for Rapport (a refund that moved no money, an order
    /// status Rapport has no event for); accepted so the platform does not retry it.
    case ignored(reason: String)
}

/// An event whose `personal` map holds personal fields, sealed under the customer's data key
/// before the event is stored.
protocol CarriesPersonalData: DomainEvent {
    var personal: [String: String] { get set }
}

extension CustomerUpserted: CarriesPersonalData {}
extension ComplaintSubmitted: CarriesPersonalData {}
