import Model

/// Where a verified delivery came from, which every normaliser needs for ids and times.
struct DeliveryContext: Sendable {
    /// `shopify`, `woocommerce`, or a Standard Webhooks sender's name: the source of customer ids.
    var source: String
    /// The store part of customer ids.
    var store: String
    /// The platform's id of this delivery, for ids of events that are requests (a redaction).
    var deliveryID: String
    /// When the platform sent it, for payloads that carry no time of their own.
    var platformTime: Timestamp?
    /// Arrival by the injected clock: the time of last resort, when the platform states none.
    var now: Timestamp

    /// `shopify:snowdevil.myshopify.com:order:820982911946154508:paid`
    func eventID(_ parts: String...) -> String {
        ([source, store] + parts).joined(separator: ":")
    }

    func customer(_ externalID: String) -> CustomerID {
        CustomerID(source: source, store: store, externalID: externalID)
    }

    func order(_ orderID: String) -> OrderReference {
        OrderReference(source: source, store: store, orderID: orderID)
    }

    // The id rules of the events every platform produces, in one place.

    /// A change of a customer, named by the platform's update time: a redelivery of one change
    /// dedupes downstream while each real change is its own event.
    func upserted(_ customer: CustomerUpserted) -> Normalised {
        .event(IntakeEvent(
            id: eventID("customer", customer.externalID, String(customer.updatedAt.unixMilliseconds)),
            destination: .customer(self.customer(customer.externalID)),
            occurred: customer.updatedAt, source: source, event: customer))
    }

    /// The platform deleted the customer record; a customer is deleted once.
    func deleted(customer externalID: String, at deletedAt: Timestamp) -> Normalised {
        .event(IntakeEvent(
            id: eventID("customer", externalID, "deleted"), destination: .customer(customer(externalID)),
            occurred: deletedAt, source: source, event: CustomerDeleted(externalID: externalID, deletedAt: deletedAt)))
    }

    /// An order reaching `state` (`placed`, `paid`, `refunded`, `cancelled`), named by order and
    /// state so every delivery reporting that state gives one id; it records the order's owner
    /// in the order index.
    func order(
        _ orderID: String, reached state: String, by owner: CustomerID, at occurred: Timestamp, _ event: any DomainEvent
    ) -> Normalised {
        .event(IntakeEvent(
            id: eventID("order", orderID, state), destination: .customer(owner), occurred: occurred, source: source,
            event: event, indexesOrder: order(orderID)))
    }
}

/// Store names (`snowdevil.myshopify.com`, `shop.example-8443`): host-name characters only,
/// since a store becomes part of customer ids (which split on `:`) and of Redis keys.
enum StoreName {
    static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            }
    }
}
