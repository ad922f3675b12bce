import Model

/// A payment as intake writes it; version 2 added the optional sales channel.
struct OrderPaid: DomainEvent, Equatable {
    static let eventType = "order.paid"
    static let schemaVersion = 2

    var orderID: String
    var total: Money
    var paidAt: Timestamp
    var channel: String?
}

/// Points granted for a payment, derived by loyalty.
struct PointsEarned: DomainEvent, Equatable {
    static let eventType = "points.earned"
    static let schemaVersion = 1

    var points: Int64
}

enum Samples {
    static let customer = "shopify:snowdevil.myshopify.com:706405506930370084"
    static let paidAt = Timestamp(unixMilliseconds: 1_700_000_000_000)

    static func orderPaid() throws -> OrderPaid {
        OrderPaid(
            orderID: "1001",
            total: Money(minorUnits: 19900, currency: try CurrencyCode("CNY")),
            paidAt: paidAt,
            channel: "web"
        )
    }

    static func orderPaidEnvelope() throws -> Envelope {
        try Envelope.make(
            try orderPaid(),
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
