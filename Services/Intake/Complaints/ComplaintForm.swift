import Foundation
import Model
import ServiceSupport

/// The body of `POST /v1/complaints`, from a shop front end, a call centre or a mailbox
/// integration. `text`, `demand` and `contact` are personal and are sealed before storage.
///
/// ```json
/// {"complaint_id": "web-20250301-0007", "customer": "shopify:snowdevil.myshopify.com:706405506930370084",
///  "channel": "web", "category": "delivery", "text": "The parcel arrived damaged.",
///  "demand": "replacement", "contact": "+86 138 0000 0000", "order_id": "820982911946154508",
///  "urgent": false, "submitted_at": "2025-03-01T08:00:00Z"}
/// ```
struct ComplaintForm: Decodable {
    /// The submitter's own id: a resent form with the same id is recognised and adds nothing.
    var complaintId: String
    /// The customer id, `<source>:<store>:<external id>`.
    var customer: String
    var channel: String?
    var category: String
    var text: String
    var demand: String
    var contact: String?
    var orderId: String?
    var urgent: Bool?
    var submittedAt: String?

    /// The event, with personal fields still in clear; 400 naming the first field that is wrong.
    func complaint(now: Timestamp) throws -> (CustomerID, ComplaintSubmitted) {
        guard (1...100).contains(complaintId.count), complaintId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._:-".contains($0)) })
        else {
            throw Problem.badRequest("complaint_id must be 1 to 100 of letters, digits, '.', '_', ':', '-'")
        }
        guard let customer = CustomerID(customer) else {
            throw Problem.badRequest("customer must be a customer id: <source>:<store>:<external id>")
        }
        let channel: ComplaintChannel
        if let named = self.channel {
            guard let known = ComplaintChannel(rawValue: named) else {
                throw Problem.badRequest(
                    "channel must be one of " + ComplaintChannel.allCases.map(\.rawValue).joined(separator: ", "))
            }
            channel = known
        } else {
            channel = .web
        }
        let category = category.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(category.count) else { throw Problem.badRequest("category must be 1 to 64 characters") }
        try Self.require(text, "text", upTo: 10_000)
        try Self.require(demand, "demand", upTo: 2_000)
        if let contact { try Self.require(contact, "contact", upTo: 200) }
        if let orderId { try Self.require(orderId, "order_id", upTo: 100) }
        let submittedAt = try PlatformJSON.optionalTime(submittedAt, field: "submitted_at") ?? now
        var personal = PersonalFields()
        personal.set("text", text)
        personal.set("demand", demand)
        personal.set("contact", contact)
        return (customer, ComplaintSubmitted(
            complaintID: complaintId, channel: channel, category: category, personal: personal.values,
            orderID: orderId.nonBlank, urgent: urgent ?? false, submittedAt: submittedAt))
    }

    private static func require(_ value: String, _ field: String, upTo limit: Int) throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= limit else {
            throw Problem.badRequest("\(field) must be 1 to \(limit) characters")
        }
    }

    enum CodingKeys: String, CodingKey {
        case complaintId = "complaint_id"
        case customer
        case channel
        case category
        case text
        case demand
        case contact
        case orderId = "order_id"
        case urgent
        case submittedAt = "submitted_at"
    }
}
