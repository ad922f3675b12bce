import Model

/// The timers a case wants, derived from its state alone: a warning and a breach timer for each
/// running deadline that has not fired yet, and the follow-up once resolved. After every change
/// the handler compares what the case wanted before with what it wants now and schedules or
/// cancels only the difference; a timer that fires checks it is still wanted (``CaseLifecycle/timerFired(_:_:now:)``).
enum CaseTimers {
    /// Which timer of a case.
    enum Slot: Sendable, Hashable {
        case warning(ComplaintDeadline)
        case breach(ComplaintDeadline)
        case followUp

        static let all: [Slot] = ComplaintDeadline.allCases.flatMap { [Slot.warning($0), .breach($0)] } + [.followUp]

        /// `first_reply:warning`, `resolution:breach`, `follow_up`.
        var name: String {
            switch self {
            case .warning(let deadline): "\(deadline.rawValue):warning"
            case .breach(let deadline): "\(deadline.rawValue):breach"
            case .followUp: "follow_up"
            }
        }

        init?(name: String) {
            if name == "follow_up" { self = .followUp; return }
            let parts = name.split(separator: ":")
            guard parts.count == 2, let deadline = ComplaintDeadline(rawValue: String(parts[0])) else { return nil }
            switch parts[1] {
            case "warning": self = .warning(deadline)
            case "breach": self = .breach(deadline)
            default: return nil
            }
        }
    }

    /// When a slot's timer should fire, and for which period of its clock.
    struct Want: Sendable, Hashable {
        var due: Timestamp
        var cycle: Int
    }

    /// A change to the schedule.
    enum Plan: Sendable, Hashable {
        case schedule(Slot, Want)
        case cancel(Slot)
    }

    static func wanted(_ slot: Slot, in record: ComplaintCase, policy: CasePolicy) -> Want? {
        let calendar = policy.sla.calendar
        switch slot {
        case .warning(let deadline):
            guard let clock = record.clocks[deadline], clock.isRunning, clock.warnedAt == nil,
                  let due = clock.instant(whenElapsed: policy.sla.warningThreshold(of: clock.target), calendar: calendar)
            else { return nil }
            return Want(due: due, cycle: clock.cycle)
        case .breach(let deadline):
            guard let clock = record.clocks[deadline], clock.isRunning, clock.breachedAt == nil,
                  let due = clock.instant(whenElapsed: clock.target, calendar: calendar)
            else { return nil }
            return Want(due: due, cycle: clock.cycle)
        case .followUp:
            guard record.status == .resolved || record.status == .closed,
                  let followUp = record.followUp, followUp.announcedAt == nil, followUp.doneAt == nil,
                  let resolvedAt = record.resolvedAt, (record.rating.map { $0.at < resolvedAt } ?? true)
            else { return nil }
            // The due instant alone tells one resolution's revisit from the next.
            return Want(due: followUp.dueAt, cycle: 0)
        }
    }

    /// The schedule changes that take the case from wanting what `old` wanted to what `new` wants.
    static func plans(from old: ComplaintCase?, to new: ComplaintCase, policy: CasePolicy) -> [Plan] {
        var plans: [Plan] = []
        for slot in Slot.all {
            let before = old.flatMap { wanted(slot, in: $0, policy: policy) }
            let after = wanted(slot, in: new, policy: policy)
            guard before != after else { continue }
            if let after { plans.append(.schedule(slot, after)) } else { plans.append(.cancel(slot)) }
        }
        return plans
    }

    /// The timer id in the schedule: one per case and slot, so rescheduling moves it.
    static func timerID(caseID: String, _ slot: Slot) -> String {
        "\(caseID):\(slot.name)"
    }
}

/// The payload of a case timer (`complaints.timer_due`), consumed from `timers:complaints`.
struct CaseTimer: DomainEvent, Hashable {
    static let eventType = "complaints.timer_due"
    static let schemaVersion = 1
    var caseID: String
    var slotName: String
    var cycle: Int
    var due: Timestamp

    /// nil for a slot this version does not know, which then does nothing.
    var slot: CaseTimers.Slot? {
        CaseTimers.Slot(name: slotName)
    }
}
