import Foundation
import Model

/// A service's schedule of future events (SLA deadlines, expiries, birthdays). A timer is an
/// envelope waiting in `rapport:{p}:timers:<service>` until its due time, when ``TimerRelease``
/// moves it onto the service's own timer stream, where it is consumed exactly once like any
/// other entry. Scheduling the same timer id again moves it; cancelling removes it.
public struct TimerSchedule: Sendable {
    public let service: String

    public init(service: String) { self.service = service }

    /// The logical stream name due timers are released into, to list among a consumer's inputs.
    public var streamName: String { "timers:\(service)" }

    /// Queues the timer in `transaction`, so it is scheduled only if the decision commits.
    public func schedule(
        _ envelope: Envelope, timerID: String, at due: Timestamp,
        partition: Partition, in transaction: StateTransaction
    ) throws {
        transaction.queue(["ZADD", Keyspace.timers(service: service, partition), String(due.unixMilliseconds), timerID])
        transaction.queue(["HSET", Keyspace.timerPayloads(service: service, partition), timerID, try Self.encode(envelope)])
    }

    public func cancel(timerID: String, partition: Partition, in transaction: StateTransaction) {
        transaction.queue(["ZREM", Keyspace.timers(service: service, partition), timerID])
        transaction.queue(["HDEL", Keyspace.timerPayloads(service: service, partition), timerID])
    }

    /// The payload is the envelope's field list as a JSON array, which the release script
    /// passes to `XADD` as it is.
    static func encode(_ envelope: Envelope) throws -> String {
        let flat = envelope.fields.flatMap { [$0.0, $0.1] }
        return String(decoding: try JSONSerialization.data(withJSONObject: flat), as: UTF8.self)
    }
}
