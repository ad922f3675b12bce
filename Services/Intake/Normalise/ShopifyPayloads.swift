/// The parts of Shopify's REST webhook payloads that Rapport reads. Everything else in a
/// payload is ignored; amounts stay decimal strings until parsed exactly.
enum ShopifyPayload {
    struct MoneySet: Decodable {
        struct Amount: Decodable {
            var amount: String?
            var currencyCode: String?

            enum CodingKeys: String, CodingKey {
                case amount
                case currencyCode = "currency_code"
            }
        }
        var shopMoney: Amount?
        var presentmentMoney: Amount?

        enum CodingKeys: String, CodingKey {
            case shopMoney = "shop_money"
            case presentmentMoney = "presentment_money"
        }
    }

    struct Address: Decodable {
        var address1: String?
        var address2: String?
        var city: String?
        var province: String?
        var countryCode: String?
        var zip: String?
        var company: String?

        var parts: [String: String?] {
            ["address1": address1, "address2": address2, "city": city, "province": province,
             "country_code": countryCode, "zip": zip, "company": company]
        }

        enum CodingKeys: String, CodingKey {
            case address1
            case address2
            case city
            case province
            case countryCode = "country_code"
            case zip
            case company
        }
    }

    struct Consent: Decodable {
        var state: String?

        /// `subscribed` is consent, `not_subscribed`/`unsubscribed` a refusal; other states
        /// (`pending`, `redacted`, `invalid`) say nothing either way.
        var granted: Bool? {
            switch state {
            case "subscribed": true
            case "not_subscribed", "unsubscribed": false
            default: nil
            }
        }
    }

    struct Customer: Decodable {
        var id: PlatformID
        var email: String?
        var phone: String?
        var firstName: String?
        var lastName: String?
        var createdAt: String?
        var updatedAt: String?
        var tags: String?
        var defaultAddress: Address?
        var emailMarketingConsent: Consent?
        var smsMarketingConsent: Consent?
        var acceptsMarketing: Bool?

        enum CodingKeys: String, CodingKey {
            case id
            case email
            case phone
            case firstName = "first_name"
            case lastName = "last_name"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case tags
            case defaultAddress = "default_address"
            case emailMarketingConsent = "email_marketing_consent"
            case smsMarketingConsent = "sms_marketing_consent"
            case acceptsMarketing = "accepts_marketing"
        }
    }

    /// The customer embedded in an order: only its id matters there.
    struct CustomerReference: Decodable {
        var id: PlatformID?
    }

    struct LineItem: Decodable {
        struct DiscountAllocation: Decodable {
            var amount: String?
        }
        var id: PlatformID
        var productId: PlatformID?
        var sku: String?
        var quantity: Int
        /// In the shop's currency, as every amount Rapport reads from an order.
        var price: String?
        var totalDiscount: String?
        var discountAllocations: [DiscountAllocation]?

        enum CodingKeys: String, CodingKey {
            case id
            case productId = "product_id"
            case sku
            case quantity
            case price
            case totalDiscount = "total_discount"
            case discountAllocations = "discount_allocations"
        }
    }

    /// Older payloads without `total_shipping_price_set`: shipping is the sum of the lines,
    /// decoded only then, since most payloads do not need it.
    struct ShippingLines: Decodable {
        var shippingLines: [ShippingLine]?

        enum CodingKeys: String, CodingKey {
            case shippingLines = "shipping_lines"
        }
    }

    struct ShippingLine: Decodable {
        var price: String?
        var discountedPrice: String?

        enum CodingKeys: String, CodingKey {
            case price
            case discountedPrice = "discounted_price"
        }
    }

    struct DiscountCode: Decodable {
        var code: String?
    }

    struct Order: Decodable {
        var id: PlatformID
        var name: String?
        var email: String?
        var contactEmail: String?
        var createdAt: String?
        var updatedAt: String?
        var processedAt: String?
        var cancelledAt: String?
        var cancelReason: String?
        var currency: String?
        var financialStatus: String?
        var totalPrice: String?
        var currentTotalPrice: String?
        var subtotalPrice: String?
        var currentSubtotalPrice: String?
        var totalTax: String?
        var currentTotalTax: String?
        var totalShippingPriceSet: MoneySet?
        var discountCodes: [DiscountCode]?
        var customer: CustomerReference?
        var lineItems: [LineItem]?

        enum CodingKeys: String, CodingKey {
            case id
            case name
            case email
            case contactEmail = "contact_email"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case processedAt = "processed_at"
            case cancelledAt = "cancelled_at"
            case cancelReason = "cancel_reason"
            case currency
            case financialStatus = "financial_status"
            case totalPrice = "total_price"
            case currentTotalPrice = "current_total_price"
            case subtotalPrice = "subtotal_price"
            case currentSubtotalPrice = "current_subtotal_price"
            case totalTax = "total_tax"
            case currentTotalTax = "current_total_tax"
            case totalShippingPriceSet = "total_shipping_price_set"
            case discountCodes = "discount_codes"
            case customer
            case lineItems = "line_items"
        }
    }

    struct RefundLineItem: Decodable {
        var lineItemId: PlatformID
        var quantity: Int
        var subtotalSet: MoneySet?

        enum CodingKeys: String, CodingKey {
            case lineItemId = "line_item_id"
            case quantity
            case subtotalSet = "subtotal_set"
        }
    }

    struct Transaction: Decodable {
        var kind: String?
        var status: String?
        var amount: String?
        var currency: String?
    }

    struct Refund: Decodable {
        var id: PlatformID
        var orderId: PlatformID
        var createdAt: String?
        var processedAt: String?
        var refundLineItems: [RefundLineItem]?
        var transactions: [Transaction]?

        enum CodingKeys: String, CodingKey {
            case id
            case orderId = "order_id"
            case createdAt = "created_at"
            case processedAt = "processed_at"
            case refundLineItems = "refund_line_items"
            case transactions
        }
    }

    /// `customers/redact`, `customers/data_request` and `shop/redact` bodies.
    struct Compliance: Decodable {
        struct DataRequest: Decodable {
            var id: PlatformID
        }
        var shopDomain: String?
        var customer: CustomerReference?
        var ordersToRedact: [PlatformID]?
        var ordersRequested: [PlatformID]?
        var dataRequest: DataRequest?

        enum CodingKeys: String, CodingKey {
            case shopDomain = "shop_domain"
            case customer
            case ordersToRedact = "orders_to_redact"
            case ordersRequested = "orders_requested"
            case dataRequest = "data_request"
        }
    }

    /// A deleted customer: only the id is left.
    struct DeletedCustomer: Decodable {
        var id: PlatformID
    }
}
