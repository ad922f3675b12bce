import Crypto
import Foundation
import Model
import ServiceSupport

/// One message to one customer on one channel, decided by the handler and sent by the
/// ``DeliveryWorker``. It carries ids and template variables only, never personal data: the
/// worker opens the contact details when it renders.
struct DeliveryJob: Codable, Sendable, Hashable {
    /// `<partition>-<hex>`, deterministic for (customer, purpose, period, channel).
    var id: String
    var customer: String
    var purpose: String
    var category: MessageCategory
    var channel: ChannelKind
    var period: String
    var urgent: Bool
    var variables: [String: String]
    var decidedAt: Timestamp

    static func makeID(partition: Partition, customer: String, purpose: String, period: String, channel: ChannelKind) -> String {
        let digest = SHA256.hash(data: Data("\(customer)\n\(purpose)\n\(period)\n\(channel.rawValue)".utf8))
        return "\(partition.index)-" + SHA256Hex.hex(digest.prefix(16))
    }

    /// The partition a delivery id names, so the API finds its record.
    static func partition(ofDeliveryID id: String, count: Int) -> Partition? {
        guard let dash = id.firstIndex(of: "-"), let index = Int(id[..<dash]), (0..<count).contains(index),
              id[id.index(after: dash)...].allSatisfy(\.isHexDigit), id.count > dash.utf16Offset(in: id) + 1
        else { return nil }
        return Partition(index)
    }
}

/// Where a delivery stands; `GET /v1/deliveries?status=failed` lists the dead letters.
enum DeliveryStatus: String, Codable, Sendable, CaseIterable {
    case queued, deferred, retrying, sent, failed
    /// Not sent because consent was withdrawn or the customer erased before sending.
    case suppressed
}

/// The record of one delivery: attempts, status and the last error, with the job to resend.
struct DeliveryRecord: Codable, Sendable, Hashable {
    var id: String
    var customer: String
    var purpose: String
    var channel: ChannelKind
    var status: DeliveryStatus
    var attempts: Int
    var lastError: String?
    var updatedAt: Timestamp
    var nextAttemptAt: Timestamp?
    var job: DeliveryJob
}

/// A care timer coming back from the schedule (`notifications.care_due`).
struct CareDue: DomainEvent, Hashable {
    static let eventType = "notifications.care_due"
    static let schemaVersion = 1

    enum Kind: String, Codable, Sendable {
        case birthday, holiday, revisit
    }

    var kind: Kind
    /// The year for a birthday, the date for a holiday, the due instant for a revisit.
    var period: String
    var holiday: String?
    var purpose: String?
}

/// A delivery job waiting in the schedule: deferred by quiet hours, or a retry after a failure
/// (`notifications.delivery_due`). When due the handler puts it back on the outbox.
struct DeliveryDue: DomainEvent, Hashable {
    static let eventType = "notifications.delivery_due"
    static let schemaVersion = 1
    var deliveryID: String
}

/// A delivery result on the `notifications` stream (`notification.sent`, `notification.failed`).
struct NotificationOutcome: Hashable, Codable, Sendable {
    var deliveryID: String
    var purpose: String
    var channel: ChannelKind
    var attempts: Int
    var error: String?
}

struct NotificationSent: DomainEvent, Hashable {
    static let eventType = "notification.sent"
    static let schemaVersion = 1
    var outcome: NotificationOutcome
}

struct NotificationFailed: DomainEvent, Hashable {
    static let eventType = "notification.failed"
    static let schemaVersion = 1
    var outcome: NotificationOutcome
}

/// A task for the account manager (`GET /v1/tasks`).
struct CareTask: Codable, Sendable, Hashable {
    enum Kind: String, Codable, Sendable {
        case revisit
        case churnAlert = "churn_alert"
    }

    var id: String
    var customer: String
    var kind: Kind
    var due: Timestamp
    var tier: String?
    var detail: String?
}
