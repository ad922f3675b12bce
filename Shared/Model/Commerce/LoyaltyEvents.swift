/// What kind of credit a `points.earned` reports.
public enum PointsCreditKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Points for a paid order.
    case earn
    /// Points granted for something other than a purchase; `reason` says what.
    case bonus
}

/// Points were credited to a customer (`points.earned`, on the `loyalty` stream): for a paid
/// order (pending until the return window ends) or as a bonus (available at once).
public struct PointsEarned: DomainEvent, Hashable {
    public static let eventType = "points.earned"
    public static let schemaVersion = 1

    public var kind: PointsCreditKind
    /// `order`, `birthday`, `referral`, `referral_referrer`, `repeat_purchase`, `compensation`.
    public var reason: String
    public var points: Int64
    public var orderID: String?
    /// When the points can be redeemed.
    public var availableAt: Timestamp
    /// When they expire unless spent first.
    public var expiresAt: Timestamp
    /// Part of these points that went straight to settling earlier debt.
    public var debtSettled: Int64
    /// The ledger balance after this credit.
    public var balance: Int64

    public init(
        kind: PointsCreditKind, reason: String, points: Int64, orderID: String? = nil,
        availableAt: Timestamp, expiresAt: Timestamp, debtSettled: Int64 = 0, balance: Int64
    ) {
        self.kind = kind
        self.reason = reason
        self.points = points
        self.orderID = orderID
        self.availableAt = availableAt
        self.expiresAt = expiresAt
        self.debtSettled = debtSettled
        self.balance = balance
    }
}

/// Points earned on an order finished their return window and can be redeemed (`points.available`).
public struct PointsAvailable: DomainEvent, Hashable {
    public static let eventType = "points.available"
    public static let schemaVersion = 1

    /// What is left of the credit after refunds and debt settlement.
    public var points: Int64
    public var orderID: String?
    public var expiresAt: Timestamp

    public init(points: Int64, orderID: String?, expiresAt: Timestamp) {
        self.points = points
        self.orderID = orderID
        self.expiresAt = expiresAt
    }
}

/// Points were taken back because an order was refunded (`points.reversed`).
public struct PointsReversed: DomainEvent, Hashable {
    public static let eventType = "points.reversed"
    public static let schemaVersion = 1

    /// Everything the refund takes back, including any part the customer had already spent.
    public var points: Int64
    /// The part that could not be taken from the customer's points and became debt.
    public var shortfall: Int64
    public var orderID: String
    /// The refund that caused it; nil when a bonus tied to the order was taken back.
    public var refundID: String?
    public var balance: Int64
    public var debt: Int64

    public init(points: Int64, shortfall: Int64, orderID: String, refundID: String?, balance: Int64, debt: Int64) {
        self.points = points
        self.shortfall = shortfall
        self.orderID = orderID
        self.refundID = refundID
        self.balance = balance
        self.debt = debt
    }
}

/// The customer spent points through the redemption API (`points.redeemed`).
public struct PointsRedeemed: DomainEvent, Hashable {
    public static let eventType = "points.redeemed"
    public static let schemaVersion = 1

    /// The caller's `Idempotency-Key`, which names the redemption.
    public var redemptionID: String
    public var points: Int64
    public var balance: Int64

    public init(redemptionID: String, points: Int64, balance: Int64) {
        self.redemptionID = redemptionID
        self.points = points
        self.balance = balance
    }
}

/// Points will expire soon (`points.expiring`), emitted a configured time before, so the
/// customer can be reminded.
public struct PointsExpiring: DomainEvent, Hashable {
    public static let eventType = "points.expiring"
    public static let schemaVersion = 1

    public var points: Int64
    public var expiresAt: Timestamp

    public init(points: Int64, expiresAt: Timestamp) {
        self.points = points
        self.expiresAt = expiresAt
    }
}

/// Unspent points expired (`points.expired`).
public struct PointsExpired: DomainEvent, Hashable {
    public static let eventType = "points.expired"
    public static let schemaVersion = 1

    public var points: Int64
    public var expiredAt: Timestamp
    public var balance: Int64

    public init(points: Int64, expiredAt: Timestamp, balance: Int64) {
        self.points = points
        self.expiredAt = expiredAt
        self.balance = balance
    }
}

/// Staff changed a customer's points by hand (`points.adjusted`). The reason stays in the
/// ledger; the event names only who did it.
public struct PointsAdjusted: DomainEvent, Hashable {
    public static let eventType = "points.adjusted"
    public static let schemaVersion = 1

    /// The caller's `Idempotency-Key`, which names the adjustment.
    public var adjustmentID: String
    /// Positive to credit, negative to take away.
    public var points: Int64
    /// The token name that made the adjustment.
    public var actor: String
    public var balance: Int64

    public init(adjustmentID: String, points: Int64, actor: String, balance: Int64) {
        self.adjustmentID = adjustmentID
        self.points = points
        self.actor = actor
        self.balance = balance
    }
}
