import Foundation
import Model
import Streams

/// Notifications' state of one partition as seen through one transaction: contact entries,
/// deliveries and tasks, each one JSON string key, with write-only indexes beside them.
struct ContactBook {
    let partition: Partition
    let transaction: StateTransaction
    var keys: NotificationKeys { NotificationKeys(partition) }

    init(partition: Partition, transaction: StateTransaction) {
        self.partition = partition
        self.transaction = transaction
    }

    func contact(_ customer: String) throws -> ContactEntry? {
        try transaction.get(keys.contact(customer)).map { try JSONText.decode(ContactEntry.self, $0) }
    }

    func save(_ contact: ContactEntry) {
        // Encoding a value of plain fields cannot fail; a failure would be a programming error
        // caught by the tests, so it is not worth a throwing signature at every call.
        guard let text = try? JSONText.encode(contact) else { return }
        transaction.set(keys.contact(contact.customer), text)
        transaction.queue(["SADD", keys.customers, contact.customer])
    }

    func customers() throws -> [String] {
        try transaction.read(["SMEMBERS", keys.customers], watching: [keys.customers]).array?.compactMap(\.string) ?? []
    }

    func delivery(_ id: String) throws -> DeliveryRecord? {
        try transaction.get(keys.delivery(id)).map { try JSONText.decode(DeliveryRecord.self, $0) }
    }

    func saveDelivery(_ record: DeliveryRecord, newForCustomer: Bool) throws {
        transaction.set(keys.delivery(record.id), try JSONText.encode(record))
        if newForCustomer {
            transaction.queue(["LPUSH", keys.history(record.customer), record.id])
            transaction.queue(["LTRIM", keys.history(record.customer), "0", "499"])
        }
        if record.status == .failed {
            transaction.queue(["ZADD", keys.failed, String(record.updatedAt.unixMilliseconds), record.id])
        } else {
            transaction.queue(["ZREM", keys.failed, record.id])
        }
    }

    func enqueue(_ job: DeliveryJob) throws {
        transaction.append(to: keys.outbox, fields: [("job", try JSONText.encode(job))])
    }

    func historyIDs(_ customer: String) throws -> [String] {
        let key = keys.history(customer)
        return try transaction.read(["LRANGE", key, "0", "-1"], watching: [key]).array?.compactMap(\.string) ?? []
    }

    func history(_ customer: String) throws -> [DeliveryRecord] {
        try historyIDs(customer).compactMap { try delivery($0) }
    }

    func addTask(_ task: CareTask) {
        guard let text = try? JSONText.encode(task) else { return }
        transaction.set(keys.task(task.id), text)
        transaction.queue(["ZADD", keys.tasks, String(task.due.unixMilliseconds), task.id])
        transaction.queue(["SADD", keys.customerTasks(task.customer), task.id])
    }

    func tasks(of customer: String) throws -> [CareTask] {
        let key = keys.customerTasks(customer)
        let ids = try transaction.read(["SMEMBERS", key], watching: [key]).array?.compactMap(\.string) ?? []
        return try ids.sorted().compactMap { id in try transaction.get(keys.task(id)).map { try JSONText.decode(CareTask.self, $0) } }
    }

    /// Removes everything notifications holds about `customer`.
    func erase(_ customer: String) throws {
        for id in try historyIDs(customer) {
            transaction.delete(keys.delivery(id))
            transaction.queue(["DEL", keys.deliverySent(id)])
            transaction.queue(["ZREM", keys.failed, id])
        }
        for task in try tasks(of: customer) {
            transaction.delete(keys.task(task.id))
            transaction.queue(["ZREM", keys.tasks, task.id])
        }
        transaction.delete(keys.contact(customer))
        transaction.queue(["DEL", keys.history(customer), keys.customerTasks(customer)])
        transaction.queue(["SREM", keys.customers, customer])
    }
}

/// What notifications exports for a data request.
struct DataExport: Codable, Sendable {
    var contact: ContactEntry
    var deliveries: [DeliveryRecord]
    var tasks: [CareTask]
}

/// The one JSON form of notifications' stored values: sorted keys, so rewriting an unchanged
/// value writes the same bytes.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        try SortedJSONEncoder().encodeText(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDocumentDecoder().decode(T.self, from: text)
    }
}
