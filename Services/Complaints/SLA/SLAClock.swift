import Model

/// One deadline of a case: a working-time target, how much of it is used, and whether it runs.
///
/// The clock measures working time (see ``BusinessCalendar``) and stops counting while paused,
/// so the due instant moves later by exactly the working time spent waiting for the customer.
/// `cycle` counts restarts (each new update period, a reopening), so a timer set for an older
/// period is recognised when it fires and does nothing.
struct SLAClock: Sendable, Hashable, Codable {
    var target: Int64
    /// Working time used before `runningSince`.
    var consumed: Int64 = 0
    /// When the clock last started or resumed; nil while paused or stopped.
    var runningSince: Timestamp?
    /// When the clock stopped for good (the deadline was met or no longer applies).
    var stoppedAt: Timestamp?
    var cycle: Int
    /// The instant the warning share was reached, once the warning fired.
    var warnedAt: Timestamp?
    /// The instant the target was reached, once the breach fired.
    var breachedAt: Timestamp?

    /// A clock started at `start` for a fresh period.
    static func started(target: Int64, at start: Timestamp, cycle: Int) -> SLAClock {
        SLAClock(target: target, runningSince: start, cycle: cycle)
    }

    var isRunning: Bool { runningSince != nil }
    var isPaused: Bool { runningSince == nil && stoppedAt == nil }

    /// Working time used up to `now`.
    func elapsed(at now: Timestamp, calendar: BusinessCalendar) -> Int64 {
        guard let runningSince else { return consumed }
        return consumed + calendar.workingTime(from: runningSince, to: now)
    }

    /// The instant at which `amount` of working time will have been used; nil unless running.
    func instant(whenElapsed amount: Int64, calendar: BusinessCalendar) -> Timestamp? {
        guard let runningSince else { return nil }
        return calendar.instant(after: amount - consumed, from: runningSince)
    }

    /// When the target is or was reached, for display; nil while paused or stopped.
    func due(calendar: BusinessCalendar) -> Timestamp? {
        instant(whenElapsed: target, calendar: calendar)
    }

    mutating func pause(at now: Timestamp, calendar: BusinessCalendar) {
        guard runningSince != nil else { return }
        consumed = elapsed(at: now, calendar: calendar)
        runningSince = nil
    }

    mutating func resume(at now: Timestamp) {
        guard isPaused else { return }
        runningSince = now
    }

    mutating func stop(at now: Timestamp, calendar: BusinessCalendar) {
        guard stoppedAt == nil else { return }
        consumed = elapsed(at: now, calendar: calendar)
        runningSince = nil
        stoppedAt = now
    }
}
