import Foundation
import Model

/// The reads and writes of one batch of entries, committed in one `MULTI ... EXEC`.
///
/// Every key read through ``get(_:)`` or ``read(_:watching:)`` is `WATCH`ed first, so if another
/// replica changes it before `EXEC`, the whole batch is rejected by Redis and decided again from
/// fresh state. Writes are only queued; nothing reaches Redis until the commit. Values written
/// with ``set(_:_:expiresAfter:)`` and ``delete(_:)`` are visible to later ``get(_:)`` calls of the
/// same batch, so two entries for one customer in one batch see each other's effects; writes
/// queued with ``queue(_:)`` are not (use them for indexes and counters the batch does not read).
public final class StateTransaction {
    private enum Pending {
        case value(String)
        case deleted

        var asRead: String? {
            if case .value(let text) = self { return text }
            return nil
        }
    }

    /// The time decisions of this batch are made at, from the service's injected clock.
    public let now: Timestamp
    let connection: RedisConnection
    private var fetched: [String: String?] = [:]
    private var pending: [String: Pending] = [:]
    private(set) var commands: [[String]] = []
    private var undo: [(key: String, previous: Pending?)] = []
    private var entryStart: Int?

    init(connection: RedisConnection, now: Timestamp, prefetched: [String: String?] = [:]) {
        self.connection = connection
        self.now = now
        self.fetched = prefetched
    }

    /// The string value of `key`, as this batch would leave it.
    public func get(_ key: String) throws -> String? {
        if let write = pending[key] { return write.asRead }
        if let known = fetched[key] { return known }
        let replies = try connection.pipeline([["WATCH", key], ["GET", key]])
        if case .error(let message) = replies[1] { throw RedisError.server(message) }
        let value = replies[1].string
        fetched[key] = .some(value)
        return value
    }

    /// A read that is not a plain `GET` (a sorted-set range, a hash), watching `keys` so the
    /// commit is rejected if they change. It does not see this batch's queued writes.
    public func read(_ command: [String], watching keys: [String]) throws -> RedisValue {
        let replies = try connection.pipeline([["WATCH"] + keys, command])
        if case .error(let message) = replies[1] { throw RedisError.server(message) }
        return replies[1]
    }

    /// Writes a string value, optionally expiring.
    public func set(_ key: String, _ value: String, expiresAfter ttl: Duration? = nil) {
        remember(key, .value(value))
        if let ttl {
            commands.append(["SET", key, value, "PX", String(max(1, ttl.milliseconds))])
        } else {
            commands.append(["SET", key, value])
        }
    }

    public func delete(_ key: String) {
        remember(key, .deleted)
        commands.append(["DEL", key])
    }

    /// Queues any write command (`ZADD`, `HINCRBY`, `SADD`, ...) to run inside the commit.
    public func queue(_ command: [String]) {
        commands.append(command)
    }

    /// Queues an `XADD` of `fields` to `stream`.
    public func append(to stream: String, fields: [(String, String)]) {
        var command = ["XADD", stream, "*"]
        command.reserveCapacity(3 + fields.count * 2)
        for (name, value) in fields {
            command.append(name)
            command.append(value)
        }
        commands.append(command)
    }

    /// Queues an output event.
    public func emit(_ envelope: Envelope, to stream: String) {
        append(to: stream, fields: envelope.fields)
    }

    /// Appends to the partition's audit trail in the same commit as the change it records.
    public func audit(_ record: AuditRecord, partition: Partition) {
        append(to: Keyspace.audit(partition), fields: record.streamFields)
    }

    /// Runs the queued commands in one `MULTI ... EXEC`; false when Redis rejected it because a
    /// watched key changed, in which case nothing was written and the caller decides again.
    func execute() throws -> Bool {
        guard !commands.isEmpty else {
            _ = try connection.send(["UNWATCH"])
            return true
        }
        let replies = try connection.pipeline([["MULTI"]] + commands + [["EXEC"]])
        for reply in replies.dropLast() {
            if case .error(let message) = reply { throw RedisError.server(message) }
        }
        switch replies[replies.count - 1] {
        case .null:
            return false
        case .array(let results):
            for case .error(let message) in results { throw RedisError.server(message) }
            return true
        case .error(let message):
            throw RedisError.server(message)
        case let other:
            throw RedisError.unexpectedReply("EXEC", other)
        }
    }

    // MARK: per-entry scope, so a failing entry leaves no trace in the batch

    func beginEntry() {
        entryStart = commands.count
        undo.removeAll(keepingCapacity: true)
    }

    func rollbackEntry() {
        guard let start = entryStart else { return }
        commands.removeSubrange(start...)
        for change in undo.reversed() { pending[change.key] = change.previous }
        undo.removeAll(keepingCapacity: true)
        entryStart = nil
    }

    func endEntry() {
        entryStart = nil
        undo.removeAll(keepingCapacity: true)
    }

    private func remember(_ key: String, _ value: Pending) {
        if entryStart != nil { undo.append((key, pending[key])) }
        pending[key] = value
    }
}
