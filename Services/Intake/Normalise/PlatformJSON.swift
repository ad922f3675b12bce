import Foundation
import Model
import ServiceSupport

/// An id a platform may send as a JSON number or a string (`820982911946154508`, `"727"`),
/// kept as its decimal text: ids are names, never computed with.
struct PlatformID: Decodable, Sendable, Hashable, CustomStringConvertible {
    let text: String

    init(_ text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            text = String(number)
        } else if let number = try? container.decode(UInt64.self) {
            text = String(number)
        } else {
            let string = try container.decode(String.self)
            guard !string.isEmpty, string.count <= 200, !string.contains(where: { $0.isWhitespace }) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "an id must be a number or a short string")
            }
            text = string
        }
    }

    var description: String { text }

    /// `0` means "none" in WooCommerce (a guest order's `customer_id`, a line without product).
    var isZero: Bool { text == "0" }
}

/// Decodes a platform payload. A body that is not JSON, or JSON that lacks what the topic needs,
/// is a 400 whose detail names the place (`line_items[0].price`) and never the value, since
/// payloads carry personal data.
enum PlatformJSON {
    static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do {
            return try JSONDocumentDecoder().decode(T.self, from: body)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw Problem.badRequest("the body is not valid JSON")
            }
            throw Problem.badRequest("the payload does not have the expected shape: \(error.summary)")
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
    }

    /// An exact amount from a decimal string; 400 naming `field` when it is not one.
    static func money(_ text: String?, _ currency: CurrencyCode, field: String) throws -> Money {
        guard let text, !text.isEmpty else { throw Problem.badRequest("the payload has no amount at \(field)") }
        do {
            return try Money.parse(text, currency: currency)
        } catch {
            throw Problem.badRequest("the amount at \(field) is not a plain decimal in \(currency)")
        }
    }

    /// An optional amount: absent or empty reads as zero.
    static func money(orZero text: String?, _ currency: CurrencyCode, field: String) throws -> Money {
        guard let text, !text.isEmpty else { return .zero(currency) }
        return try money(text, currency, field: field)
    }

    static func currency(_ code: String?, field: String = "currency") throws -> CurrencyCode {
        guard let code, let currency = try? CurrencyCode(code.uppercased()) else {
            throw Problem.badRequest("the payload has no ISO 4217 currency code at \(field)")
        }
        return currency
    }

    static func time(_ text: String?, field: String) throws -> Timestamp {
        guard let text else { throw Problem.badRequest("the payload has no time at \(field)") }
        guard let time = PlatformTime.parse(text) else {
            throw Problem.badRequest("the time at \(field) is not ISO 8601")
        }
        return time
    }

    static func optionalTime(_ text: String?, field: String) throws -> Timestamp? {
        guard let text, !text.isEmpty else { return nil }
        return try time(text, field: field)
    }
}

/// Money arithmetic for normalisation, where an overflow means a malformed payload (400).
enum Amounts {
    static func sum(_ amounts: [Money], currency: CurrencyCode, field: String) throws -> Money {
        try amounts.reduce(Money.zero(currency)) { total, next in
            do { return try total.adding(next) } catch {
                throw Problem.badRequest("the amounts at \(field) do not add up in one currency")
            }
        }
    }

    static func times(_ unit: Money, _ quantity: Int, field: String) throws -> Money {
        let (product, overflow) = unit.minorUnits.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow else { throw Problem.badRequest("the amount at \(field) is out of range") }
        return Money(minorUnits: product, currency: unit.currency)
    }

    static func minus(_ lhs: Money, _ rhs: Money, field: String) throws -> Money {
        do { return try lhs.subtracting(rhs) } catch {
            throw Problem.badRequest("the amounts at \(field) do not subtract in one currency")
        }
    }

    /// `amount / quantity` rounded half up to the minor unit: WooCommerce sends unit prices as
    /// binary floats, so the exact unit price is the line subtotal shared over the quantity.
    static func share(_ amount: Money, over quantity: Int) -> Money {
        guard quantity > 1 else { return amount }
        let divisor = Int64(quantity)
        let (quotient, remainder) = amount.minorUnits.quotientAndRemainder(dividingBy: divisor)
        let rounded = remainder * 2 >= divisor ? quotient + 1 : (remainder * 2 <= -divisor ? quotient - 1 : quotient)
        return Money(minorUnits: rounded, currency: amount.currency)
    }

    static func minimum(_ lhs: Money, _ rhs: Money) -> Money {
        lhs.minorUnits <= rhs.minorUnits ? lhs : rhs
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (Foundation's `.whitespaces`),
    /// worked out on the Swift string itself: every delivery trims several headers, and
    /// Foundation's trimming goes through NSString.
    func trimmingBlanks() -> String {
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        guard let first = unicodeScalars.firstIndex(where: { !isBlank($0) }),
            let last = unicodeScalars.lastIndex(where: { !isBlank($0) })
        else { return "" }
        if first == startIndex, last == unicodeScalars.index(before: endIndex) { return self }
        return String(unicodeScalars[first...last])
    }
}

extension Optional where Wrapped == String {
    /// The value with surrounding spaces removed, or nil when absent or blank.
    var nonBlank: String? {
        guard let trimmed = self?.trimmingBlanks(), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
