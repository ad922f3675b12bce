import Model

/// A deadline loyalty set for itself (`loyalty.timer`), scheduled with the timer store and
/// consumed back from loyalty's own timer stream when due.
struct LoyaltyTimer: DomainEvent, Hashable {
    static let eventType = "loyalty.timer"
    static let schemaVersion = 1

    enum Kind: String, Sendable, Hashable, Codable {
        /// An earned lot's return window ended.
        case available
        /// A lot expires within the warning time.
        case expiryWarning = "expiry_warning"
        /// A lot reached its expiry.
        case expiry
        /// The customer's birthday started in their time zone.
        case birthday
    }

    var kind: Kind
    /// The lot (entry sequence) for lot timers.
    var lot: Int?
    /// The birthday's year for birthday timers.
    var year: Int?
    var due: Timestamp

    /// The timer's id in the partition's timer set: one per customer, kind and lot, so
    /// scheduling it again moves it and erasure can cancel it. A customer has one birthday timer.
    func id(customer: String) -> String {
        switch kind {
        case .birthday: "\(customer)#birthday"
        default: "\(customer)#\(kind.rawValue)#\(lot ?? 0)"
        }
    }
}

/// Credit the referrer (`loyalty.referral_credit`): sent from the referred customer's
/// partition to the referrer's through the referral relay, because one commit touches one
/// partition only. The envelope's customer is the referrer.
struct ReferralCredit: DomainEvent, Hashable {
    static let eventType = "loyalty.referral_credit"
    static let schemaVersion = 1

    var referredCustomer: String
    var orderID: String
    var points: Int64
    var paidAt: Timestamp
}
