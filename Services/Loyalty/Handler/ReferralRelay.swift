import Logging
import Model
import ServiceLifecycle
import Streams

/// Carries referral credits from the referred customer's partition to the referrer's.
///
/// A commit touches one partition, but a referrer may live in another. So the handler
/// writes the credit to its own partition's outbox in the same commit as the referral bonus,
/// and this relay moves it onto the referrer's partition's loyalty timer stream (loyalty's
/// own input) with an append-once keyed by the credit's id, then deletes it from the outbox.
/// A relay that crashes between the two steps appends again and the key drops the duplicate;
/// replicas racing on the same outbox do the same.
final class ReferralRelay: Service {
    static let dedupeRetention: Duration = .seconds(7 * 86_400)

    private let redis: RedisClient
    private let producer: StreamProducer
    private let partitioning: Partitioning
    private let interval: Duration
    private let logger: Logger

    init(redis: RedisClient, partitioning: Partitioning, interval: Duration = .milliseconds(250), logger: Logger) {
        self.redis = redis
        self.producer = StreamProducer(redis: redis)
        self.partitioning = partitioning
        self.interval = interval
        self.logger = logger
    }

    /// Relays what waits in `partition`'s outbox; returns how many credits it moved.
    @discardableResult
    func relay(from partition: Partition) async throws -> Int {
        let outbox = LedgerStore.outboxKey(partition)
        let reply = try await redis.send(["XRANGE", outbox, "-", "+", "COUNT", "100"])
        var moved = 0
        for item in reply.array ?? [] {
            guard let pair = item.array, pair.count == 2, let entryID = pair[0].string else { continue }
            do {
                let envelope = try Envelope(fields: pair[1].fieldMap)
                let target = partitioning.partition(ofCustomer: envelope.customer)
                _ = try await producer.appendOnce(
                    envelope, to: Keyspace.timerStream(service: "loyalty", target),
                    dedupeKey: Keyspace.state(service: "loyalty", target, "relayed", envelope.id),
                    retention: Self.dedupeRetention)
                moved += 1
            } catch let error as EnvelopeError {
                logger.error("dropping an unreadable referral credit from the outbox", metadata: [
                    "partition": "\(partition.index)", "entry": "\(entryID)", "error": "\(error)",
                ])
            }
            _ = try await redis.send(["XDEL", outbox, entryID])
        }
        return moved
    }

    /// A pause that ends when a graceful shutdown begins, so the relay never delays a stop.
    private static func pause(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }

    func run() async throws {
        var backoff = Backoff(base: .milliseconds(100), cap: .seconds(2))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for partition in partitioning.all { try await relay(from: partition) }
                backoff.reset()
                await Self.pause(interval)
            } catch {
                logger.warning("referral relay failed; retrying", metadata: ["error": "\(error)"])
                await Self.pause(backoff.next())
            }
        }
    }
}
