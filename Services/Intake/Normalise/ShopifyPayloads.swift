/// The parts of Shopify's REST webhook payloads that Rapport reads. Everything else in a
/// payload is ignored; amounts stay decimal strings until parsed exactly.
enum ShopifyPayload {
    struct MoneySet: Decodable {
        struct Amount: Decodable {
            var amount: String?
            var currencyCode: String?
        }
        var shopMoney: Amount?
        var presentmentMoney: Amount?
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
        var price: String?
        var priceSet: MoneySet?
        var totalDiscount: String?
        var discountAllocations: [DiscountAllocation]?
    }

    struct ShippingLine: Decodable {
        var price: String?
        var discountedPrice: String?
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
        var shippingLines: [ShippingLine]?
        var discountCodes: [DiscountCode]?
        var customer: CustomerReference?
        var lineItems: [LineItem]?
    }

    struct RefundLineItem: Decodable {
        var lineItemId: PlatformID
        var quantity: Int
        var subtotalSet: MoneySet?
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
    }

    /// A deleted customer: only the id is left.
    struct DeletedCustomer: Decodable {
        var id: PlatformID
    }
}
