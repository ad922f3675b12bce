import Foundation
import Model
import Testing

@testable import Intake

@Suite("Standard Webhooks payloads in Rapport's contract become typed events")
struct StandardNormalisationTests {
    let now = Timestamp(unixMilliseconds: 1_800_000_000_000)

    func normalise(_ fixture: String) throws -> Normalised {
        let context = DeliveryContext(
            source: "erp", store: StandardWebhooksNormaliser.defaultStore, deliveryID: "msg_1", platformTime: nil, now: now)
        return try StandardWebhooksNormaliser.normalise(body: try Fixture.data("standard/\(fixture)"), context: context)
    }

    @Test("customer.upserted keeps kind, language, time zone and consent; personal fields apart")
    func customer() throws {
        let event = try normalise("customer-upserted.json").event()
        #expect(event.destination == .customer(CustomerID(source: "erp", store: "erp-east", externalID: "C-1001")))
        let customer = try event.typed(CustomerUpserted.self)
        #expect(customer.kind == .enterprise)
        #expect(customer.language == "zh-CN")
        #expect(customer.timeZone == "Asia/Shanghai")
        #expect(customer.personal["birthday"] == "1990-05-17")
        #expect(customer.consent == ChannelConsent(emailMarketing: true, smsMarketing: false))
        #expect(customer.updatedAt == at("2025-03-01T08:00:00Z"))
    }

    @Test("order.paid with a line total left out computes it from unit price and quantity")
    func orderPaid() throws {
        let event = try normalise("order-paid.json").event()
        #expect(event.id == "erp:erp-east:order:SO-5001:paid")
        let paid = try event.typed(OrderPaid.self)
        #expect(paid.order.subtotal == cny(120_000))
        #expect(paid.order.total == cny(123_450))
        #expect(paid.order.lines.map(\.total) == [cny(90000), cny(30000)])
        #expect(paid.paidAt == at("2025-03-01T08:04:59Z"))
    }

    @Test("a refund naming no customer goes to the order's owner")
    func refund() throws {
        let event = try normalise("order-refunded.json").event()
        #expect(event.destination == .orderOwner(OrderReference(source: "erp", store: "erp-east", orderID: "SO-5001")))
        let refund = try event.typed(OrderRefunded.self)
        #expect(refund.amount == cny(12000))
        #expect(refund.goodsAmount == cny(10000))
        #expect(refund.reason == "damaged")
    }

    @Test("order.cancelled and unknown types")
    func cancelledAndUnknown() throws {
        let event = try normalise("order-cancelled.json").event()
        #expect(try event.typed(OrderCancelled.self) == OrderCancelled(orderID: "SO-5002", cancelledAt: at("2025-03-02T01:00:00Z"), wasPaid: false, reason: "customer"))
        guard case .unknownTopic("invoice.issued") = try normalise("invoice-issued.json") else {
            Issue.record("expected unknownTopic")
            return
        }
    }
}
