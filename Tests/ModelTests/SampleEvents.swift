import Model

/// An order payment shaped like intake's; version 2 added the optional sales channel.
struct FixturePayment: DomainEvent, Equatable {
    static let eventType = "fixture.payment"
    static let schemaVersion = 2

    var orderID: String
    var total: Money
    var paidAt: Timestamp
    var channel: String?
}

/// Points granted for a payment, the kind of event loyalty derives.
struct FixturePoints: DomainEvent, Equatable {
    static let eventType = "fixture.points"
    static let schemaVersion = 1

    var points: Int64
}

enum Samples {
    static let customer = "shopify:snowdevil.myshopify.com:706405506930370084"
    static let paidAt = Timestamp(unixMilliseconds: 1_700_000_000_000)

    static func payment() throws -> FixturePayment {
        FixturePayment(
            orderID: "1001",
            total: Money(minorUnits: 19900, currency: try CurrencyCode("CNY")),
            paidAt: paidAt,
            channel: "web"
        )
    }

    static func paymentEnvelope() throws -> Envelope {
        try Envelope.make(
            try payment(),
            id: "shopify:evt-1",
            customer: customer,
            occurred: paidAt,
            recorded: paidAt + .seconds(2),
            source: "shopify",
            correlation: "shopify:evt-1",
            cause: nil
        )
    }
}
