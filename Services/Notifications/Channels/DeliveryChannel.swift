import Model

/// A message ready for a channel: rendered text plus the address opened from the contact book.
/// It lives only in memory for the length of one send, never in Redis or a log.
struct RenderedMessage: Sendable {
    var deliveryID: String
    var customer: String
    var purpose: String
    var language: String
    var channel: ChannelKind
    /// The e-mail address or phone number; nil for the webhook.
    var recipient: String?
    var subject: String
    var text: String
    var html: String?
    var sms: String
    /// The signed unsubscribe link of a marketing message, also sent as `List-Unsubscribe`.
    var unsubscribeURL: String?
    var sentAt: Timestamp
}

/// What a channel reports after the provider accepted a message.
struct DeliveryResult: Sendable, Hashable {
    /// The provider's status line or reply, kept with the delivery record.
    var detail: String
}

/// Sends a rendered message. Errors are ``DeliveryError``s, which say whether trying again
/// could help; anything else thrown is treated as retryable.
protocol DeliveryChannel: Sendable {
    func send(_ message: RenderedMessage) async throws -> DeliveryResult
}

/// A failed send, classified: a timeout or a server-side failure may pass on a later try, a
/// rejected request (a 4xx, an unknown mailbox) will not.
struct DeliveryError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case retryable(String)
        case permanent(String)
    }

    private let kind: Kind

    static func retryable(_ detail: String) -> DeliveryError { DeliveryError(kind: .retryable(detail)) }
    static func permanent(_ detail: String) -> DeliveryError { DeliveryError(kind: .permanent(detail)) }

    var isRetryable: Bool {
        if case .retryable = kind { return true }
        return false
    }

    var description: String {
        switch kind {
        case .retryable(let detail): return "temporary delivery failure (will retry): \(detail)"
        case .permanent(let detail): return "delivery refused (no retry): \(detail)"
        }
    }

    /// The HTTP rule: 5xx, 408 and 429 may pass later; other 4xx will not.
    static func classify(httpStatus status: Int, provider: String) -> DeliveryError {
        let detail = "\(provider) answered HTTP \(status)"
        return status >= 500 || status == 408 || status == 429 ? .retryable(detail) : .permanent(detail)
    }
}
