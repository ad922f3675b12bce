/// Rapport's own payload contract for Standard Webhooks senders (an ERP, a marketplace bridge,
/// a custom shop): the envelope the specification recommends, `{"type", "timestamp", "data"}`,
/// with `data` in one of the shapes below. Field names are snake_case; amounts are decimal
/// strings; times ISO 8601. `Services/Intake/openapi.yaml` publishes the same contract.
enum StandardPayload {
    struct Envelope: Decodable {
        var type: String
        var timestamp: String?
    }

    /// Any typed body: `{"type": ..., "data": T}`.
    struct Typed<T: Decodable>: Decodable {
        var data: T
    }

    struct Line: Decodable {
        var id: PlatformID
        var productId: PlatformID?
        var sku: String?
        var quantity: Int
        var unitPrice: String
        /// After discounts, without tax; `unit_price` times `quantity` when absent.
        var total: String?

        enum CodingKeys: String, CodingKey {
            case id
            case productId = "product_id"
            case sku
            case quantity
            case unitPrice = "unit_price"
            case total
        }
    }

    struct RefundLine: Decodable {
        var id: PlatformID
        var quantity: Int
        var amount: String
    }

    struct Customer: Decodable {
        var store: String?
        var id: PlatformID
        var email: String?
        var phone: String?
        var firstName: String?
        var lastName: String?
        var birthday: String?
        var address: String?
        var kind: String?
        var language: String?
        var timeZone: String?
        var emailMarketing: Bool?
        var smsMarketing: Bool?
        var tags: [String]?
        var createdAt: String?
        var updatedAt: String?

        enum CodingKeys: String, CodingKey {
            case store
            case id
            case email
            case phone
            case firstName = "first_name"
            case lastName = "last_name"
            case birthday
            case address
            case kind
            case language
            case timeZone = "time_zone"
            case emailMarketing = "email_marketing"
            case smsMarketing = "sms_marketing"
            case tags
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    struct DeletedCustomer: Decodable {
        var store: String?
        var id: PlatformID
        var deletedAt: String?

        enum CodingKeys: String, CodingKey {
            case store
            case id
            case deletedAt = "deleted_at"
        }
    }

    struct Order: Decodable {
        var store: String?
        var id: PlatformID
        var number: String?
        var customerId: PlatformID?
        /// For guest orders: the guest is known by the hash of it.
        var email: String?
        var currency: String
        var total: String
        var subtotal: String
        var shipping: String?
        var tax: String?
        var lines: [Line]?
        var discountCodes: [String]?
        var placedAt: String
        var updatedAt: String?
        var paidAt: String?

        enum CodingKeys: String, CodingKey {
            case store
            case id
            case number
            case customerId = "customer_id"
            case email
            case currency
            case total
            case subtotal
            case shipping
            case tax
            case lines
            case discountCodes = "discount_codes"
            case placedAt = "placed_at"
            case updatedAt = "updated_at"
            case paidAt = "paid_at"
        }
    }

    struct Refund: Decodable {
        var store: String?
        var id: PlatformID
        var orderId: PlatformID
        var customerId: PlatformID?
        var email: String?
        var currency: String
        var amount: String
        /// Goods part of `amount`, without shipping and tax; `amount` when absent.
        var goodsAmount: String?
        var lines: [RefundLine]?
        var refundedAt: String
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case store
            case id
            case orderId = "order_id"
            case customerId = "customer_id"
            case email
            case currency
            case amount
            case goodsAmount = "goods_amount"
            case lines
            case refundedAt = "refunded_at"
            case reason
        }
    }

    struct Cancellation: Decodable {
        var store: String?
        var orderId: PlatformID
        var customerId: PlatformID?
        var email: String?
        var cancelledAt: String
        var wasPaid: Bool?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case store
            case orderId = "order_id"
            case customerId = "customer_id"
            case email
            case cancelledAt = "cancelled_at"
            case wasPaid = "was_paid"
            case reason
        }
    }
}
