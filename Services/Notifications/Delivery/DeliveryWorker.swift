import Foundation
import Logging
import Model
import ServiceLifecycle
import ServiceSupport
import Streams

/// Sends what the handler queued. One consumer group ("notifications-delivery") reads each
/// partition's outbox; for each job the worker opens the contact details, renders, sends, and
/// records the outcome. Sending happens outside any transaction, so a rejected commit can never
/// send twice; a job is marked sent (`...:delivery:<id>:sent`) before it is acknowledged, and a
/// job whose mark exists is not sent again.
///
/// At-least-once at the channel boundary: if the process dies after the provider accepted a
/// message and before the mark commits, the job is claimed later and sent again. The delivery id
/// travels as the provider's `Idempotency-Key` and the webhook's `webhook-id`, so receivers that
/// dedupe drop the copy; plain SMTP has no such key (the `Message-ID` is the same).
final class DeliveryWorker: Service {
    static let group = "notifications-delivery"

    struct Dependencies: Sendable {
        var redis: RedisClient
        var partitioning: Partitioning
        var clock: any TimeSource
        var settings: NotificationSettings
        var customerKeys: CustomerKeys
        var templates: TemplateBook
        var links: UnsubscribeLinks
        var channels: [ChannelKind: any DeliveryChannel]
        var consumer: String
        var shopName: String
        var logger: Logger
    }

    let dependencies: Dependencies
    let batch = 32
    let block: Duration = .seconds(1)
    /// Jobs left unacknowledged this long by a replica that died are taken over.
    let claimIdle: Duration = .seconds(60)
    private let timers = TimerSchedule(service: NotificationKeys.service)

    init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
    }

    private var redis: RedisClient { dependencies.redis }
    private var logger: Logger { dependencies.logger }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for partition in dependencies.partitioning.all {
                group.addTask { await self.runLoop(partition) }
            }
        }
    }

    func createGroup(in partition: Partition) async throws {
        do {
            _ = try await redis.send(["XGROUP", "CREATE", NotificationKeys(partition).outbox, Self.group, "0", "MKSTREAM"])
        } catch let error as RedisError where error.serverMessage?.hasPrefix("BUSYGROUP") == true {
            // The group exists already: another replica or an earlier start made it.
        }
    }

    private func runLoop(_ partition: Partition) async {
        let session = redis.makeSession(readTimeout: block + redis.options.commandTimeout)
        var ready = false
        var failures = 0
        var lastClaim = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if !ready {
                    try await createGroup(in: partition)
                    ready = true
                }
                if ContinuousClock.now - lastClaim > .seconds(5) {
                    lastClaim = ContinuousClock.now
                    try await claimStale(in: partition)
                }
                let command = readCommand(partition, block: block)
                let entries = Self.entries(try await session.run { try $0.send(command) })
                try await process(entries, in: partition)
                failures = 0
            } catch {
                failures += 1
                logger.warning("delivery loop failed; retrying", metadata: ["partition": "\(partition.index)", "error": "\(error)"])
                let wait = Duration.milliseconds(min(2000, 100 << min(failures, 5)))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            }
        }
        await session.close()
    }

    /// Reads and sends what is waiting in `partition` without blocking; returns how many jobs
    /// it handled. Tests and the benchmark drive the worker with it.
    @discardableResult
    func pass(in partition: Partition) async throws -> Int {
        try await createGroup(in: partition)
        let entries = Self.entries(try await redis.send(readCommand(partition, block: nil)))
        try await process(entries, in: partition)
        return entries.count
    }

    private func readCommand(_ partition: Partition, block: Duration?) -> [String] {
        var command = ["XREADGROUP", "GROUP", Self.group, dependencies.consumer, "COUNT", String(batch)]
        if let block { command += ["BLOCK", String(block.milliseconds)] }
        return command + ["STREAMS", NotificationKeys(partition).outbox, ">"]
    }

    private func claimStale(in partition: Partition) async throws {
        let reply = try await redis.send(
            ["XAUTOCLAIM", NotificationKeys(partition).outbox, Self.group, dependencies.consumer,
             String(claimIdle.milliseconds), "0-0", "COUNT", String(batch)])
        guard let parts = reply.array, parts.count >= 2 else { return }
        try await process(Self.parse(parts[1]), in: partition)
    }

    private func process(_ entries: [(id: String, job: DeliveryJob?)], in partition: Partition) async throws {
        await withTaskGroup(of: Void.self) { group in
            for entry in entries {
                group.addTask {
                    guard let job = entry.job else { return }
                    do {
                        try await self.deliver(job, partition: partition)
                    } catch {
                        // Left pending: the claim takes it up again after claimIdle.
                        self.logger.warning("delivery not recorded; it will be claimed again", metadata: [
                            "delivery": "\(job.id)", "error": "\(error)",
                        ])
                    }
                }
            }
        }
        let done = entries.map(\.id)
        guard !done.isEmpty else { return }
        let outbox = NotificationKeys(partition).outbox
        // Only this group reads the outbox, so an acknowledged job can go at once.
        _ = try await redis.pipeline([["XACK", outbox, Self.group] + done, ["XDEL", outbox] + done])
    }

    private enum Prepared: Sendable {
        case skip
        case send(DeliveryJob, recipient: String?, firstName: String, language: String)
    }

    /// Opens, renders, sends and records one job.
    func deliver(_ job: DeliveryJob, partition: Partition) async throws {
        let keys = dependencies.customerKeys
        let prepared = try await redis.commit(clock: dependencies.clock) { transaction -> Prepared in
            let book = ContactBook(partition: partition, transaction: transaction)
            guard var record = try book.delivery(job.id), record.status == .queued,
                  try transaction.get(book.keys.deliverySent(job.id)) == nil
            else { return .skip }
            guard let contact = try book.contact(job.customer), contact.allows(job.category, on: job.channel),
                  let personal = try keys.open(contact.personal, customer: job.customer, in: transaction)
            else {
                record.status = .suppressed
                record.updatedAt = transaction.now
                try book.saveDelivery(record, newForCustomer: false)
                return .skip
            }
            let recipient: String? = switch job.channel {
            case .email: personal["email"]
            case .sms: personal["phone"]
            case .webhook: nil
            }
            return .send(job, recipient: recipient, firstName: personal["first_name"] ?? "", language: contact.templateLanguage())
        }
        guard case .send(let job, let recipient, let firstName, let language) = prepared else { return }

        let now = dependencies.clock.now()
        var failure: DeliveryError?
        do {
            let message = try render(job, recipient: recipient, firstName: firstName, language: language, now: now)
            guard let channel = dependencies.channels[job.channel] else {
                throw DeliveryError.permanent("the \(job.channel.rawValue) channel is not configured")
            }
            _ = try await channel.send(message)
        } catch let error as DeliveryError {
            failure = error
        } catch let error as TemplateError {
            failure = .permanent("\(error)")
        } catch {
            failure = .retryable("\(error)")
        }
        try await record(job, failure: failure, partition: partition)
    }

    func render(_ job: DeliveryJob, recipient: String?, firstName: String, language: String, now: Timestamp) throws -> RenderedMessage {
        var variables = job.variables
        variables["first_name"] = firstName
        variables["shop_name"] = dependencies.shopName
        var unsubscribe: String?
        if job.category == .marketing, job.channel == .email {
            unsubscribe = dependencies.links.url(
                customer: job.customer, channel: job.channel, expires: now + dependencies.settings.unsubscribeLinkLifetime)
            variables["unsubscribe_url"] = unsubscribe
        }
        let rendered = try dependencies.templates.render(purpose: job.purpose, language: language, variables: variables)
        return RenderedMessage(
            deliveryID: job.id, customer: job.customer, purpose: job.purpose, language: rendered.language,
            channel: job.channel, recipient: recipient, subject: rendered.subject, text: rendered.text,
            html: rendered.html, sms: rendered.sms, unsubscribeURL: unsubscribe, sentAt: now)
    }

    private func record(_ job: DeliveryJob, failure: DeliveryError?, partition: Partition) async throws {
        let policy = dependencies.settings.retry
        let timers = self.timers
        let logger = self.logger
        try await redis.commit(clock: dependencies.clock) { transaction in
            let book = ContactBook(partition: partition, transaction: transaction)
            let sentKey = book.keys.deliverySent(job.id)
            guard var record = try book.delivery(job.id), try transaction.get(sentKey) == nil else { return }
            let now = transaction.now
            record.attempts += 1
            record.updatedAt = now
            record.nextAttemptAt = nil
            let outcome = NotificationOutcome(
                deliveryID: job.id, purpose: job.purpose, channel: job.channel, attempts: record.attempts,
                error: failure.map { "\($0)" })
            guard let failure else {
                transaction.set(sentKey, String(now.unixMilliseconds), expiresAfter: .seconds(30 * 86400))
                record.status = .sent
                record.lastError = nil
                try book.saveDelivery(record, newForCustomer: false)
                try Self.emit(NotificationSent(outcome: outcome), job: job, suffix: "sent", book: book)
                return
            }
            record.lastError = "\(failure)"
            if failure.isRetryable && record.attempts < policy.maxAttempts {
                let due = now + policy.delay(afterAttempt: record.attempts)
                record.status = .retrying
                record.nextAttemptAt = due
                try book.saveDelivery(record, newForCustomer: false)
                let envelope = try Envelope.make(
                    DeliveryDue(deliveryID: job.id), id: "notifications:\(job.id):retry:\(record.attempts)",
                    customer: job.customer, occurred: due, recorded: now, source: NotificationKeys.service,
                    correlation: job.id, cause: nil)
                try timers.schedule(envelope, timerID: "delivery:\(job.id)", at: due, partition: partition, in: transaction)
            } else {
                record.status = .failed
                try book.saveDelivery(record, newForCustomer: false)
                try Self.emit(NotificationFailed(outcome: outcome), job: job, suffix: "failed:\(record.attempts)", book: book)
                logger.warning("delivery failed for good", metadata: ["delivery": "\(job.id)", "attempts": "\(record.attempts)"])
            }
        }
    }

    private static func emit<E: DomainEvent>(_ event: E, job: DeliveryJob, suffix: String, book: ContactBook) throws {
        let now = book.transaction.now
        let envelope = try Envelope.make(
            event, id: "notifications:\(job.id):\(suffix)", customer: job.customer, occurred: now, recorded: now,
            source: NotificationKeys.service, correlation: job.id, cause: nil)
        book.transaction.emit(envelope, to: book.keys.results)
    }

    // MARK: stream replies

    static func entries(_ reply: RedisValue) -> [(id: String, job: DeliveryJob?)] {
        guard let streams = reply.array else { return [] }
        return streams.flatMap { stream -> [(id: String, job: DeliveryJob?)] in
            guard let parts = stream.array, parts.count == 2 else { return [] }
            return parse(parts[1])
        }
    }

    static func parse(_ list: RedisValue) -> [(id: String, job: DeliveryJob?)] {
        (list.array ?? []).compactMap { item in
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { return nil }
            let fields = pair[1].array?.compactMap(\.string) ?? []
            var job: DeliveryJob?
            var index = 0
            while index + 1 < fields.count {
                if fields[index] == "job" { job = try? JSONText.decode(DeliveryJob.self, fields[index + 1]) }
                index += 2
            }
            return (id, job)
        }
    }
}

