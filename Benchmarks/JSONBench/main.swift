import Foundation
import Model

// Model's JSON coders against Foundation's, in the same process and run, on the two kinds of
// document Rapport codes most: a platform order payload read for a few of its fields, and the
// event data every consumer reads and every producer writes.
// Usage: json-bench <shopify-order.json> [iterations=20000]

/// The fields of a Shopify order that an order event needs, most of the payload skipped.
struct OrderFields: Decodable {
    struct Line: Decodable {
        var id: Int64
        var quantity: Int
        var price: String
        var sku: String?
    }
    struct Customer: Decodable { var id: Int64? }
    var id: Int64
    var currency: String
    var totalPrice: String
    var subtotalPrice: String
    var updatedAt: String
    var customer: Customer?
    var lineItems: [Line]

    enum CodingKeys: String, CodingKey {
        case id, currency, customer
        case totalPrice = "total_price"
        case subtotalPrice = "subtotal_price"
        case updatedAt = "updated_at"
        case lineItems = "line_items"
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("json-bench: \(message)\n".utf8))
    exit(2)
}

/// Runs `body` `iterations` times and returns microseconds per run.
func time(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<iterations { try body() }
    let elapsed = clock.now - start
    let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
    return micros / Double(iterations)
}

func report(_ name: String, foundation: Double, rapport: Double) {
    let line = String(
        format: "%-34@ foundation %8.2f µs   rapport %8.2f µs   %5.2fx", name as NSString, foundation, rapport, foundation / rapport)
    print(line)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let payload = FileManager.default.contents(atPath: arguments[1]) else {
    fail("usage: json-bench <shopify-order.json> [iterations=20000]")
}
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000

do {
    let currency = try CurrencyCode("EUR")
    let lines = (1...3).map { index in
        OrderLine(
            lineID: "466157049\(index)", productID: "632910392", sku: "IPOD2008GREEN", quantity: index,
            unitPrice: Money(minorUnits: 19_900, currency: currency), total: Money(minorUnits: 19_900 * Int64(index), currency: currency))
    }
    let event = OrderPlaced(order: OrderSummary(
        orderID: "820982911946154508", orderNumber: "#9999", currency: currency,
        total: Money(minorUnits: 119_400, currency: currency), subtotal: Money(minorUnits: 119_400, currency: currency),
        shipping: Money(minorUnits: 1_000, currency: currency), tax: Money(minorUnits: 0, currency: currency), lines: lines,
        placedAt: Timestamp(unixMilliseconds: 1_700_000_000_000), updatedAt: Timestamp(unixMilliseconds: 1_700_000_100_000),
        discountCodes: ["TENOFF"]))

    let sorted = JSONEncoder()
    sorted.outputFormatting = [.sortedKeys]
    let eventData = try SortedJSONEncoder().encode(event)
    guard try JSONDocumentDecoder().decode(OrderPlaced.self, from: eventData) == event,
        try JSONDocumentDecoder().decode(OrderFields.self, from: payload).lineItems.count
            == (try JSONDecoder().decode(OrderFields.self, from: payload)).lineItems.count
    else { fail("the two implementations disagree") }

    print("payload \(payload.count) bytes, event data \(eventData.count) bytes, \(iterations) iterations each")
    report(
        "decode order payload (few fields)",
        foundation: try time(iterations) { _ = try JSONDecoder().decode(OrderFields.self, from: payload) },
        rapport: try time(iterations) { _ = try JSONDocumentDecoder().decode(OrderFields.self, from: payload) })
    let eventBytes = Data(eventData)
    report(
        "decode order.placed event data",
        foundation: try time(iterations) { _ = try JSONDecoder().decode(OrderPlaced.self, from: eventBytes) },
        rapport: try time(iterations) { _ = try JSONDocumentDecoder().decode(OrderPlaced.self, from: eventBytes) })
    report(
        "encode order.placed, sorted keys",
        foundation: try time(iterations) { _ = try sorted.encode(event) },
        rapport: try time(iterations) { _ = try SortedJSONEncoder().encode(event) })
} catch {
    fail("\(error)")
}
