/// One line of an order.
public struct OrderLine: Sendable, Hashable, Codable {
    /// The platform's line item id; refunds name lines by it.
    public var lineID: String
    public var productID: String?
    public var sku: String?
    public var quantity: Int
    /// Price of one unit, before order-level discounts.
    public var unitPrice: Money
    /// What the customer paid for the whole line after discounts, excluding tax.
    public var total: Money

    public init(lineID: String, productID: String? = nil, sku: String? = nil, quantity: Int, unitPrice: Money, total: Money) {
        self.lineID = lineID
        self.productID = productID
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
    }
}

/// What every order event says about the order: ids, amounts, lines, the platform's times.
///
/// `total` is what the customer paid; `subtotal` is goods after discounts, excluding shipping
/// and tax, which is the base for points.
public struct OrderSummary: Sendable, Hashable, Codable {
    /// The platform's order id.
    public var orderID: String
    /// The number shown to the customer (`#1001`).
    public var orderNumber: String?
    public var currency: CurrencyCode
    public var total: Money
    public var subtotal: Money
    public var shipping: Money
    public var tax: Money
    public var lines: [OrderLine]
    /// When the customer placed the order, by the platform's clock.
    public var placedAt: Timestamp
    /// When the platform last changed the order.
    public var updatedAt: Timestamp
    /// Discount or referral codes used, for referral bonuses.
    public var discountCodes: [String]
    /// True when the order has no platform customer and the id is derived from the e-mail hash.
    public var guest: Bool

    public init(
        orderID: String, orderNumber: String? = nil, currency: CurrencyCode, total: Money, subtotal: Money,
        shipping: Money, tax: Money, lines: [OrderLine] = [], placedAt: Timestamp, updatedAt: Timestamp,
        discountCodes: [String] = [], guest: Bool = false
    ) {
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.currency = currency
        self.total = total
        self.subtotal = subtotal
        self.shipping = shipping
        self.tax = tax
        self.lines = lines
        self.placedAt = placedAt
        self.updatedAt = updatedAt
        self.discountCodes = discountCodes
        self.guest = guest
    }
}

/// An order was placed but is not paid yet (`order.placed`).
public struct OrderPlaced: DomainEvent, Hashable {
    public static let eventType = "order.placed"
    public static let schemaVersion = 1
    public var order: OrderSummary
    public init(order: OrderSummary) { self.order = order }
}

/// An order was paid (`order.paid`): the event that counts as a purchase and earns points.
public struct OrderPaid: DomainEvent, Hashable {
    public static let eventType = "order.paid"
    public static let schemaVersion = 1
    public var order: OrderSummary
    public var paidAt: Timestamp
    public init(order: OrderSummary, paidAt: Timestamp) {
        self.order = order
        self.paidAt = paidAt
    }
}

/// One refunded line of a refund.
public struct RefundLine: Sendable, Hashable, Codable {
    public var lineID: String
    public var quantity: Int
    /// The goods amount refunded for this line, excluding tax.
    public var amount: Money
    public init(lineID: String, quantity: Int, amount: Money) {
        self.lineID = lineID
        self.quantity = quantity
        self.amount = amount
    }
}

/// Money went back to the customer (`order.refunded`), fully or partly. Each refund has its own
/// id, so a redelivered refund is recognised and never taken back twice.
public struct OrderRefunded: DomainEvent, Hashable {
    public static let eventType = "order.refunded"
    public static let schemaVersion = 1
    public var refundID: String
    public var orderID: String
    /// Everything returned to the customer by this refund.
    public var amount: Money
    /// The goods part of `amount` (excluding shipping and tax), the base for taking points back.
    public var goodsAmount: Money
    public var lines: [RefundLine]
    public var refundedAt: Timestamp
    public var reason: String?

    public init(
        refundID: String, orderID: String, amount: Money, goodsAmount: Money,
        lines: [RefundLine] = [], refundedAt: Timestamp, reason: String? = nil
    ) {
        self.refundID = refundID
        self.orderID = orderID
        self.amount = amount
        self.goodsAmount = goodsAmount
        self.lines = lines
        self.refundedAt = refundedAt
        self.reason = reason
    }
}

/// An order was cancelled (`order.cancelled`). A cancelled order never counts as spend; one
/// cancelled after payment is also refunded, which arrives as its own `order.refunded`.
public struct OrderCancelled: DomainEvent, Hashable {
    public static let eventType = "order.cancelled"
    public static let schemaVersion = 1
    public var orderID: String
    public var cancelledAt: Timestamp
    public var wasPaid: Bool
    public var reason: String?

    public init(orderID: String, cancelledAt: Timestamp, wasPaid: Bool, reason: String? = nil) {
        self.orderID = orderID
        self.cancelledAt = cancelledAt
        self.wasPaid = wasPaid
        self.reason = reason
    }
}
