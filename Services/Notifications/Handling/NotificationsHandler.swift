import Foundation
import Model
import ServiceSupport
import Streams

/// Decides what notifications does with each event: keeps the contact book, moves the care
/// calendar, and queues messages on the outbox with their dedupe key. It never sends anything:
/// `apply` may run again when a commit is rejected, so sending is the ``DeliveryWorker``'s job.
struct NotificationsHandler: EntryHandler {
    let settings: NotificationSettings
    let customerKeys: CustomerKeys
    let timers = TimerSchedule(service: NotificationKeys.service)

    var handledTypes: Set<String> {
        Set(EventMessages.rules.keys).union([
            CustomerUpserted.eventType, CustomerRedacted.eventType, CustomerDataRequested.eventType,
            ShopRedacted.eventType, TierChanged.eventType, EventMessages.churnRiskRaised,
            CareDue.eventType, DeliveryDue.eventType,
        ])
    }

    func prefetchKeys(for entry: ConsumedEntry) -> [String] {
        entry.envelope.customer.isEmpty ? [] : [NotificationKeys(entry.partition).contact(entry.envelope.customer)]
    }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {
        let envelope = entry.envelope
        let book = ContactBook(partition: entry.partition, transaction: transaction)
        switch envelope.type {
        case CustomerUpserted.eventType:
            try upsert(try envelope.decode(CustomerUpserted.self), envelope, book)
        case TierChanged.eventType:
            try tierChanged(try envelope.decode(TierChanged.self), envelope, book)
        case CustomerRedacted.eventType:
            try erase(envelope.customer, cause: envelope.id, book)
        case ShopRedacted.eventType:
            let shop = try envelope.decode(ShopRedacted.self)
            let prefix = "\(shop.source):\(shop.store):"
            for customer in try book.customers() where customer.hasPrefix(prefix) {
                try erase(customer, cause: envelope.id, book)
            }
        case CustomerDataRequested.eventType:
            try export(try envelope.decode(CustomerDataRequested.self), envelope, book)
        case CareDue.eventType:
            try careDue(try envelope.decode(CareDue.self), envelope, book)
        case DeliveryDue.eventType:
            try deliveryDue(try envelope.decode(DeliveryDue.self), book)
        case EventMessages.churnRiskRaised:
            try churnRisk(envelope, book)
        default:
            guard let message = EventMessages.message(for: envelope),
                  let contact = try book.contact(envelope.customer) else { return }
            try queue(message, for: contact, cause: envelope, book)
        }
    }

    // MARK: contact book

    private func upsert(_ event: CustomerUpserted, _ envelope: Envelope, _ book: ContactBook) throws {
        let customer = envelope.customer
        let known = try book.contact(customer)
        if let known, let updated = known.updatedAt, updated > event.updatedAt { return }
        var contact = known ?? ContactEntry(customer: customer)
        let before = contact
        for (field, sealed) in event.personal { contact.personal[field] = sealed }
        contact.language = event.language ?? contact.language
        contact.timeZone = event.timeZone ?? contact.timeZone
        contact.consent = event.consent
        contact.createdAt = event.createdAt ?? contact.createdAt ?? event.updatedAt
        contact.updatedAt = event.updatedAt
        let calendar = localCalendar(contact)
        let now = book.transaction.now

        if contact.nextVisit == nil {
            let next = now + settings.cadence.interval(tier: contact.tier, createdAt: contact.createdAt, at: now)
            contact.lastVisit = now
            try scheduleRevisit(&contact, at: next, cause: envelope, book)
        }
        try scheduleBirthday(contact, calendar: calendar, after: now, cause: envelope, book)
        for holiday in settings.holidays {
            guard let date = LocalCalendar.parseDate(holiday.date) else { continue }
            let due = calendar.instant(date, minute: settings.birthdayHour * 60)
            guard due > now else { continue }
            let timer = "holiday:\(holiday.name):\(holiday.date):\(customer)"
            let due_ = CareDue(kind: .holiday, period: holiday.date, holiday: holiday.name, purpose: holiday.purpose)
            try schedule(due_, id: "notifications:\(timer)", timerID: timer, at: due, customer: customer, cause: envelope, book)
        }
        book.save(contact)
        let changed = Self.changedFields(before, contact)
        if !changed.isEmpty {
            book.transaction.audit(
                AuditRecord(customer: customer, fields: changed, action: "contact_book.updated", cause: envelope.id,
                            actor: envelope.source, service: NotificationKeys.service, at: now),
                partition: book.partition)
        }
    }

    private static func changedFields(_ before: ContactEntry, _ after: ContactEntry) -> [String] {
        var fields = Set(after.personal.keys.filter { before.personal[$0] != after.personal[$0] })
        if before.language != after.language { fields.insert("language") }
        if before.timeZone != after.timeZone { fields.insert("time_zone") }
        if before.consent != after.consent { fields.insert("consent") }
        return fields.sorted()
    }

    /// Erasure: the contact entry, history, tasks and timers go, and the customer's data key
    /// with them, so sealed copies left in old stream entries cannot be read.
    func erase(_ customer: String, cause: String, _ book: ContactBook) throws {
        // Deliveries deferred by quiet hours or waiting for a retry each hold a timer too.
        for id in try book.historyIDs(customer) {
            timers.cancel(timerID: "delivery:\(id)", partition: book.partition, in: book.transaction)
        }
        try book.erase(customer)
        timers.cancel(timerID: "birthday:\(customer)", partition: book.partition, in: book.transaction)
        timers.cancel(timerID: "revisit:\(customer)", partition: book.partition, in: book.transaction)
        for holiday in settings.holidays {
            timers.cancel(timerID: "holiday:\(holiday.name):\(holiday.date):\(customer)", partition: book.partition, in: book.transaction)
        }
        customerKeys.erase(customer, in: book.transaction)
        book.transaction.audit(
            AuditRecord(customer: customer, fields: ["contact_book", "history", "tasks"], action: "erased",
                        cause: cause, actor: NotificationKeys.service, service: NotificationKeys.service,
                        at: book.transaction.now),
            partition: book.partition)
    }

    /// The customer's part of a data request: the contact entry (personal fields still sealed
    /// under the customer's key, which the exporter opens) and the delivery history.
    private func export(_ request: CustomerDataRequested, _ envelope: Envelope, _ book: ContactBook) throws {
        guard let contact = try book.contact(envelope.customer) else { return }
        let export = DataExport(contact: contact, deliveries: try book.history(envelope.customer), tasks: try book.tasks(of: envelope.customer))
        book.transaction.set(
            book.keys.export(request.requestID, envelope.customer), try JSONText.encode(export),
            expiresAfter: .seconds(30 * 86400))
    }

    // MARK: care calendar

    private func tierChanged(_ event: TierChanged, _ envelope: Envelope, _ book: ContactBook) throws {
        var contact = try book.contact(envelope.customer) ?? ContactEntry(customer: envelope.customer)
        contact.tier = event.current
        let now = book.transaction.now
        let anchor = contact.lastVisit ?? now
        let next = max(now, anchor + settings.cadence.interval(tier: event.current, createdAt: contact.createdAt, at: anchor))
        try scheduleRevisit(&contact, at: next, cause: envelope, book)
        book.save(contact)
        if let previous = EventMessages.rank(ofTier: event.previous), let current = EventMessages.rank(ofTier: event.current),
           current > previous {
            try queue(PlannedMessage(purpose: "tier_up", category: .service, period: envelope.id,
                                     variables: ["tier": event.current, "previous": event.previous ?? ""]),
                      for: contact, cause: envelope, book)
        }
    }

    private func careDue(_ due: CareDue, _ envelope: Envelope, _ book: ContactBook) throws {
        guard var contact = try book.contact(envelope.customer) else { return }
        let now = book.transaction.now
        switch due.kind {
        case .birthday:
            try queue(PlannedMessage(purpose: "birthday", category: .marketing, period: due.period), for: contact, cause: envelope, book)
            try scheduleBirthday(contact, calendar: localCalendar(contact), after: now + .seconds(3600), cause: envelope, book)
        case .holiday:
            try queue(PlannedMessage(purpose: due.purpose ?? "holiday", category: .marketing, period: due.period,
                                     variables: ["holiday": due.holiday ?? ""]),
                      for: contact, cause: envelope, book)
        case .revisit:
            // A tier change moved the visit after this timer was released: the new one stands.
            guard let scheduled = contact.nextVisit, String(scheduled.unixMilliseconds) == due.period else { return }
            let task = CareTask(
                id: "\(book.partition.index)-revisit-\(scheduled.unixMilliseconds)-\(Self.shortHash(contact.customer))",
                customer: contact.customer, kind: .revisit, due: scheduled, tier: contact.tier, detail: nil)
            book.addTask(task)
            if settings.revisitMessage {
                try queue(PlannedMessage(purpose: "revisit", category: .marketing, period: due.period), for: contact, cause: envelope, book)
            }
            contact.lastVisit = scheduled
            let next = scheduled + settings.cadence.interval(tier: contact.tier, createdAt: contact.createdAt, at: scheduled)
            try scheduleRevisit(&contact, at: max(next, now), cause: envelope, book)
            book.save(contact)
        }
    }

    private func churnRisk(_ envelope: Envelope, _ book: ContactBook) throws {
        guard let contact = try book.contact(envelope.customer) else { return }
        let variables = EventMessages.variables(of: envelope)
        let now = book.transaction.now
        book.addTask(CareTask(
            id: "\(book.partition.index)-churn-\(Self.shortHash(envelope.id))", customer: contact.customer,
            kind: .churnAlert, due: now, tier: contact.tier, detail: variables["risk"] ?? variables["score"]))
        // One retention offer a month at most, however often the risk is raised again.
        let month = String(localCalendar(contact).local(now).date.text.prefix(7))
        try queue(PlannedMessage(purpose: "retention_offer", category: .marketing, period: month, variables: variables),
                  for: contact, cause: envelope, book)
    }

    private func scheduleRevisit(_ contact: inout ContactEntry, at due: Timestamp, cause: Envelope, _ book: ContactBook) throws {
        contact.nextVisit = due
        let period = String(due.unixMilliseconds)
        try schedule(CareDue(kind: .revisit, period: period), id: "notifications:revisit:\(contact.customer):\(period)",
                     timerID: "revisit:\(contact.customer)", at: due, customer: contact.customer, cause: cause, book)
    }

    private func scheduleBirthday(
        _ contact: ContactEntry, calendar: LocalCalendar, after: Timestamp, cause: Envelope, _ book: ContactBook
    ) throws {
        guard let sealed = contact.personal["birthday"],
              let birthday = try customerKeys.open(["birthday": sealed], customer: contact.customer, in: book.transaction)?["birthday"],
              let date = LocalCalendar.parseDate(birthday)
        else { return }
        let (due, year) = calendar.nextAnnual(month: date.month, day: date.day, minute: settings.birthdayHour * 60, after: after)
        try schedule(CareDue(kind: .birthday, period: String(year)), id: "notifications:birthday:\(contact.customer):\(year)",
                     timerID: "birthday:\(contact.customer)", at: due, customer: contact.customer, cause: cause, book)
    }

    private func schedule<E: DomainEvent>(
        _ event: E, id: String, timerID: String, at due: Timestamp, customer: String, cause: Envelope, _ book: ContactBook
    ) throws {
        let envelope = try Envelope.make(
            event, id: id, customer: customer, occurred: due, recorded: book.transaction.now,
            source: NotificationKeys.service, correlation: cause.correlation, cause: cause.id)
        try timers.schedule(envelope, timerID: timerID, at: due, partition: book.partition, in: book.transaction)
    }

    // MARK: messages

    /// Queues `message` once per (customer, purpose, period): the dedupe key is read and set in
    /// this commit, so replicas racing on the same timer or a redelivered event queue it once.
    func queue(_ message: PlannedMessage, for contact: ContactEntry, cause: Envelope, _ book: ContactBook) throws {
        let transaction = book.transaction
        let dedupe = book.keys.sent(contact.customer, message.purpose, message.period)
        guard try transaction.get(dedupe) == nil else { return }
        let now = transaction.now
        transaction.set(dedupe, String(now.unixMilliseconds), expiresAfter: .seconds(400 * 86400))
        let release = message.urgent ? now : settings.quietHours.release(at: now, in: localCalendar(contact))
        for channel in settings.channels
        where contact.reachable(on: channel) && contact.allows(message.category, on: channel) {
            let job = DeliveryJob(
                id: DeliveryJob.makeID(partition: book.partition, customer: contact.customer, purpose: message.purpose,
                                       period: message.period, channel: channel),
                customer: contact.customer, purpose: message.purpose, category: message.category, channel: channel,
                period: message.period, urgent: message.urgent, variables: message.variables, decidedAt: now)
            let deferred = release > now
            let record = DeliveryRecord(
                id: job.id, customer: job.customer, purpose: job.purpose, channel: channel,
                status: deferred ? .deferred : .queued, attempts: 0, lastError: nil, updatedAt: now,
                nextAttemptAt: deferred ? release : nil, job: job)
            try book.saveDelivery(record, newForCustomer: true)
            if deferred {
                try schedule(DeliveryDue(deliveryID: job.id), id: "notifications:\(job.id):deferred",
                             timerID: "delivery:\(job.id)", at: release, customer: contact.customer, cause: cause, book)
            } else {
                try book.enqueue(job)
            }
        }
    }

    private func deliveryDue(_ due: DeliveryDue, _ book: ContactBook) throws {
        guard var record = try book.delivery(due.deliveryID),
              record.status == .deferred || record.status == .retrying else { return }
        record.status = .queued
        record.nextAttemptAt = nil
        record.updatedAt = book.transaction.now
        try book.saveDelivery(record, newForCustomer: false)
        try book.enqueue(record.job)
    }

    private func localCalendar(_ contact: ContactEntry) -> LocalCalendar {
        LocalCalendar(identifier: contact.timeZone, fallback: settings.defaultTimeZone)
    }

    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
