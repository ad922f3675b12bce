import Model
import Testing

@Suite("Envelope events")
struct EnvelopeEventTests {
    @Test("wraps an event as sorted-key JSON at its current version and decodes it back")
    func roundTrip() throws {
        let envelope = try Samples.paymentEnvelope()
        #expect(envelope.type == "fixture.payment")
        #expect(envelope.version == 2)
        #expect(envelope.cause == nil)
        #expect(envelope.correlation == "shopify:evt-1")
        let json = #"{"channel":"web","orderID":"1001","paidAt":1700000000000,"total":{"currency":"CNY","minor":19900}}"#
        #expect(envelope.data == json)
        #expect(try envelope.decode(FixturePayment.self) == Samples.payment())

        let reread = try Envelope(fields: Dictionary(uniqueKeysWithValues: envelope.fields))
        #expect(reread == envelope)
        #expect(try reread.decode(FixturePayment.self) == Samples.payment())
    }

    @Test("the same event always gives the same bytes")
    func deterministic() throws {
        let first = try Samples.paymentEnvelope()
        let second = try Samples.paymentEnvelope()
        #expect(first.data == second.data)
        #expect(first.fields.map(\.1) == second.fields.map(\.1))
    }

    @Test("an older version decodes, its missing optional fields left empty")
    func olderVersion() throws {
        var envelope = try Samples.paymentEnvelope()
        envelope.version = 1
        envelope.data = #"{"orderID":"1001","paidAt":1700000000000,"total":{"currency":"CNY","minor":19900}}"#
        let event = try envelope.decode(FixturePayment.self)
        #expect(event.channel == nil)
        #expect(event.total.decimalString == "199.00")
    }

    @Test("a version newer than this service knows is rejected")
    func newerVersion() throws {
        var envelope = try Samples.paymentEnvelope()
        envelope.version = 3
        let error = #expect(throws: EnvelopeError.self) { try envelope.decode(FixturePayment.self) }
        #expect(error?.field == "v")
        #expect(
            error?.description.contains("fixture.payment version 3, but this service reads up to version 2") == true)
    }

    @Test("decoding as another event type is rejected")
    func unknownType() throws {
        let envelope = try Samples.paymentEnvelope()
        let error = #expect(throws: EnvelopeError.self) { try envelope.decode(FixturePoints.self) }
        #expect(error?.field == "type")
        #expect(error?.description.contains(#"has type "fixture.payment", not "fixture.points""#) == true)
    }

    @Test(
        "data that does not match the event is rejected, naming where",
        arguments: [
            (#"{"orderID":"1001","paidAt":1700000000000}"#, #"missing key "total""#),
            (#"{"orderID":"1001","paidAt":"soon","total":{"currency":"CNY","minor":1}}"#, "wrong type at paidAt"),
            (#"{"orderID":"1001","paidAt":1,"total":{"currency":"cny","minor":1}}"#, "invalid value at total.currency"),
            ("not json", #"field "data" is not a valid fixture.payment version 2"#),
        ])
    func badData(data: String, message: String) throws {
        var envelope = try Samples.paymentEnvelope()
        envelope.data = data
        let error = #expect(throws: EnvelopeError.self) { try envelope.decode(FixturePayment.self) }
        #expect(error?.field == "data")
        let description = error.map(String.init(describing:)) ?? ""
        #expect(description.contains(message), "\(description)")
    }

    @Test("derived events carry the correlation, name their cause and get a deterministic id")
    func derive() throws {
        let parent = try Samples.paymentEnvelope()
        let recorded = Timestamp(unixMilliseconds: 1_700_000_005_000)
        let first = try parent.derive(
            FixturePoints(points: 199), suffix: "points", recorded: recorded, source: "loyalty")
        let again = try parent.derive(
            FixturePoints(points: 199), suffix: "points", recorded: recorded, source: "loyalty")
        #expect(first == again)
        #expect(first.id == "shopify:evt-1/points")
        #expect(first.cause == "shopify:evt-1")
        #expect(first.correlation == parent.correlation)
        #expect(first.customer == parent.customer)
        #expect(first.occurred == parent.occurred)
        #expect(first.recorded == recorded)
        #expect(first.source == "loyalty")
        #expect(first.type == "fixture.points")
        #expect(try first.decode(FixturePoints.self) == FixturePoints(points: 199))

        let grandchild = try first.derive(
            FixturePoints(points: 1), suffix: "bonus", customer: "standard:crm:c-1", occurred: recorded,
            recorded: recorded, source: "loyalty")
        #expect(grandchild.id == "shopify:evt-1/points/bonus")
        #expect(grandchild.cause == first.id)
        #expect(grandchild.correlation == "shopify:evt-1")
        #expect(grandchild.customer == "standard:crm:c-1")
        #expect(grandchild.occurred == recorded)
    }

    @Test("an event needs an id, and a derived one a suffix")
    func emptyIDs() throws {
        let parent = try Samples.paymentEnvelope()
        #expect(throws: EnvelopeError.self) {
            try parent.derive(FixturePoints(points: 1), suffix: "", recorded: Samples.paidAt, source: "loyalty")
        }
        #expect(throws: EnvelopeError.self) {
            try Envelope.make(
                FixturePoints(points: 1), id: "", customer: Samples.customer, occurred: Samples.paidAt,
                recorded: Samples.paidAt, source: "loyalty", correlation: "c", cause: nil)
        }
    }
}
