/// The parts of WooCommerce's REST (v3) webhook payloads that Rapport reads. Times are the
/// `*_gmt` fields, which are UTC without a zone suffix.
enum WooCommercePayload {
    struct Address: Decodable {
        var firstName: String?
        var lastName: String?
        var company: String?
        var address1: String?
        var address2: String?
        var city: String?
        var state: String?
        var postcode: String?
        var country: String?
        var email: String?
        var phone: String?

        var parts: [String: String?] {
            ["address1": address1, "address2": address2, "city": city, "province": state,
             "country_code": country, "zip": postcode, "company": company]
        }

        enum CodingKeys: String, CodingKey {
            case firstName = "first_name"
            case lastName = "last_name"
            case company
            case address1 = "address_1"
            case address2 = "address_2"
            case city
            case state
            case postcode
            case country
            case email
            case phone
        }
    }

    struct Customer: Decodable {
        var id: PlatformID
        var dateCreatedGmt: String?
        var dateModifiedGmt: String?
        var email: String?
        var firstName: String?
        var lastName: String?
        var role: String?
        var billing: Address?

        enum CodingKeys: String, CodingKey {
            case id
            case dateCreatedGmt = "date_created_gmt"
            case dateModifiedGmt = "date_modified_gmt"
            case email
            case firstName = "first_name"
            case lastName = "last_name"
            case role
            case billing
        }
    }

    struct LineItem: Decodable {
        var id: PlatformID
        var productId: PlatformID?
        var sku: String?
        var quantity: Int
        /// Before discounts, without tax.
        var subtotal: String?
        /// After discounts, without tax.
        var total: String?

        enum CodingKeys: String, CodingKey {
            case id
            case productId = "product_id"
            case sku
            case quantity
            case subtotal
            case total
        }
    }

    struct Refund: Decodable {
        var id: PlatformID
        /// Negative, as WooCommerce writes it: `"-10.00"`.
        var total: String?
    }

    struct CouponLine: Decodable {
        var code: String?
    }

    struct Order: Decodable {
        var id: PlatformID
        var number: String?
        var status: String?
        var currency: String?
        var dateCreatedGmt: String?
        var dateModifiedGmt: String?
        var datePaidGmt: String?
        var total: String?
        var totalTax: String?
        var shippingTotal: String?
        var customerId: PlatformID?
        var billing: Address?
        var lineItems: [LineItem]?
        var couponLines: [CouponLine]?
        var refunds: [Refund]?

        enum CodingKeys: String, CodingKey {
            case id
            case number
            case status
            case currency
            case dateCreatedGmt = "date_created_gmt"
            case dateModifiedGmt = "date_modified_gmt"
            case datePaidGmt = "date_paid_gmt"
            case total
            case totalTax = "total_tax"
            case shippingTotal = "shipping_total"
            case customerId = "customer_id"
            case billing
            case lineItems = "line_items"
            case couponLines = "coupon_lines"
            case refunds
        }
    }

    /// What every resource payload has: its id and, except after a deletion, when it changed.
    struct Resource: Decodable {
        var id: PlatformID
        var dateModifiedGmt: String?

        enum CodingKeys: String, CodingKey {
            case id
            case dateModifiedGmt = "date_modified_gmt"
        }
    }
}
