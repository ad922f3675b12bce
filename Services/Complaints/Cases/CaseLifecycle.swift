import Model

/// The rules of a case's life as pure functions: given a case, an action and the time, the
/// changed case and the events to emit, or a ``CaseError`` saying why the action is refused.
///
/// The SLA clocks follow the status: entering `awaiting_customer` pauses them, leaving it resumes
/// them, resolving or closing stops them, reopening restarts the first-reply and resolution
/// deadlines. Every accepted action bumps `revision` and appends to the timeline.
struct CaseLifecycle: Sendable {
    let policy: CasePolicy

    static let system = "system"

    private var calendar: BusinessCalendar { policy.sla.calendar }

    // MARK: opening

    /// A new case. The deadlines count from when the customer complained (never later than
    /// now); an urgent case goes one level up the ladder at once.
    func open(_ new: NewCase, decision: PriorityRules.Decision, tier: String?, now: Timestamp) -> (ComplaintCase, [CaseOutput]) {
        let start = min(new.submittedAt, now)
        let targets = policy.sla.targets(decision.priority)
        var record = ComplaintCase(
            id: new.caseID, customer: new.customer, source: new.source, complaintID: new.complaintID,
            channel: new.channel, category: new.category, orderID: new.orderID, personal: new.personal,
            submittedAt: new.submittedAt, openedAt: now, openedBy: new.openedBy, correlation: new.correlation,
            priority: decision.priority, priorityReasons: decision.reasons, priorityHandling: decision.priorityHandling,
            tier: tier, status: .open, assignee: nil, level: 0,
            clocks: CaseClocks(
                firstReply: .started(target: targets.firstReply, at: start, cycle: 1),
                update: nil,
                resolution: .started(target: targets.resolution, at: start, cycle: 1)),
            firstReplyAt: nil, lastReplyAt: nil, firstResolvedAt: nil, resolvedAt: nil, closedAt: nil,
            resolution: nil, followUp: nil, ratings: [], breaches: [], erasedAt: nil, revision: 1, timeline: [])
        record.timeline.append(TimelineEntry(
            at: now, action: "opened", actor: new.openedBy, from: nil, to: .open,
            detail: "priority \(decision.priority.rawValue)" + (decision.reasons.isEmpty ? "" : " (\(decision.reasons.joined(separator: ", ")))"),
            sealed: nil))
        var outputs: [CaseOutput] = [.opened(at: now)]
        if decision.priority == .urgent, policy.topLevel > 0 {
            outputs += escalate(&record, to: record.level + 1, reason: "urgent", by: Self.system, now: now)
        }
        return (record, outputs)
    }

    // MARK: agent actions

    /// A reply to the customer. The first one acknowledges the case and stops the first-reply
    /// deadline; every reply starts a new update period. With `awaitingCustomer` the case then
    /// waits for the customer, which pauses the deadlines.
    func reply(_ record: inout ComplaintCase, by agent: String, sealedMessage: [String: String]?, awaitingCustomer: Bool, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        guard record.status.isActive else { throw .inactive("reply to", record.status) }
        var next = record
        var outputs: [CaseOutput] = []
        if next.status.awaitsFirstReply { outputs += try acknowledge(&next, by: agent, now: now) }
        next.lastReplyAt = now
        let cycle = (next.clocks.update?.cycle ?? 0) + 1
        next.clocks.update = .started(target: policy.sla.targets(next.priority).update, at: now, cycle: cycle)
        if next.status == .awaitingCustomer { next.clocks.update?.pause(at: now, calendar: calendar) }
        next.timeline.append(TimelineEntry(at: now, action: "replied", actor: agent, from: nil, to: nil, detail: nil, sealed: sealedMessage))
        if awaitingCustomer, next.status != .awaitingCustomer {
            try move(&next, to: .awaitingCustomer, by: agent, now: now)
        }
        next.revision += 1
        record = next
        return outputs
    }

    /// A status change by an agent: investigating, awaiting customer, closed, reopened or mediation.
    func changeStatus(_ record: inout ComplaintCase, to status: CaseStatus, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        var next = record
        try move(&next, to: status, by: agent, now: now)
        next.revision += 1
        record = next
        return status == .reopened ? [.reopened(reason: "agent", at: now)] : []
    }

    func assign(_ record: inout ComplaintCase, to assignee: String, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        guard record.status != .closed else { throw .inactive("assign", record.status) }
        record.assignee = assignee
        record.timeline.append(TimelineEntry(at: now, action: "assigned", actor: agent, from: nil, to: nil, detail: assignee, sealed: nil))
        record.revision += 1
        return []
    }

    /// An escalation by hand: to the next level, or to the named higher level.
    func escalate(_ record: inout ComplaintCase, toLevel name: String?, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        guard record.status.isActive else { throw .inactive("escalate", record.status) }
        let target: Int
        if let name {
            guard let index = policy.escalationLevels.firstIndex(of: name) else {
                throw .unknownLevel(name, known: policy.escalationLevels)
            }
            guard index > record.level else {
                if record.level >= policy.topLevel { throw .atTopLevel(policy.levelName(record.level)) }
                throw .levelNotAbove(name, current: policy.levelName(record.level))
            }
            target = index
        } else {
            guard record.level < policy.topLevel else { throw .atTopLevel(policy.levelName(record.level)) }
            target = record.level + 1
        }
        let outputs = escalate(&record, to: target, reason: "manual", by: agent, now: now)
        record.revision += 1
        return outputs
    }

    /// Resolves the case with its root cause and compensation; a case that never had a reply is
    /// acknowledged by the resolution itself. Points compensation goes to loyalty.
    func resolve(
        _ record: inout ComplaintCase, rootCause: String, compensation: Compensation, sealedNote: [String: String],
        by agent: String, now: Timestamp
    ) throws(CaseError) -> [CaseOutput] {
        var next = record
        var outputs: [CaseOutput] = []
        if next.status.awaitsFirstReply { outputs += try acknowledge(&next, by: agent, now: now) }
        try move(&next, to: .resolved, by: agent, now: now)
        next.resolution = Resolution(rootCause: rootCause, compensation: compensation, sealed: sealedNote, by: agent, at: now)
        next.timeline[next.timeline.count - 1].detail = "root cause \(rootCause)"
            + (compensation.kinds.isEmpty ? "" : "; compensation \(compensation.kinds.joined(separator: ", "))")
        outputs.append(.resolved(rootCause: rootCause, compensation: compensation.kinds, at: now))
        if let points = compensation.points, points > 0 { outputs.append(.compensated(points: points, at: now)) }
        next.revision += 1
        record = next
        return outputs
    }

    /// Records the revisit after a resolution.
    func recordFollowUp(_ record: inout ComplaintCase, reached: Bool, sealedNote: [String: String]?, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        guard record.status == .resolved || record.status == .closed, var followUp = record.followUp else {
            throw .notResolved("follow up", record.status)
        }
        guard followUp.doneAt == nil else { throw .alreadyFollowedUp }
        followUp.doneAt = now
        followUp.doneBy = agent
        followUp.reached = reached
        followUp.sealed = sealedNote ?? [:]
        record.followUp = followUp
        record.timeline.append(TimelineEntry(
            at: now, action: "followed_up", actor: agent, from: nil, to: nil,
            detail: reached ? "customer reached" : "customer not reached", sealed: sealedNote))
        record.revision += 1
        return []
    }

    /// The customer's satisfaction, 1 to 5. A low score reopens the case; any other closes a
    /// resolved case, since the customer confirmed the outcome.
    func rate(_ record: inout ComplaintCase, score: Int, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        guard (1...5).contains(score) else { throw .scoreOutOfRange(score) }
        guard record.status == .resolved || record.status == .closed, let resolvedAt = record.resolvedAt else {
            throw .notResolved("rate", record.status)
        }
        if let last = record.rating, last.at >= resolvedAt { throw .alreadyRated }
        var next = record
        next.ratings.append(Rating(score: score, at: now, by: agent))
        next.timeline.append(TimelineEntry(at: now, action: "rated", actor: agent, from: nil, to: nil, detail: "score \(score)", sealed: nil))
        var outputs: [CaseOutput] = [.rated(score: score, at: now)]
        if score <= policy.reopenAtOrBelow {
            try move(&next, to: .reopened, by: Self.system, now: now)
            next.timeline[next.timeline.count - 1].detail = "low rating"
            outputs.append(.reopened(reason: "low_rating", at: now))
        } else if next.status == .resolved {
            try move(&next, to: .closed, by: Self.system, now: now)
            next.timeline[next.timeline.count - 1].detail = "satisfied customer"
        }
        next.revision += 1
        record = next
        return outputs
    }

    // MARK: timers

    /// A deadline or follow-up timer came due. It acts only if it is the timer the case wants
    /// now (same slot, cycle and due instant): a timer set before a pause, a reply or a
    /// reopening, or one whose step already happened, does nothing. So each warning and breach
    /// is emitted once, however many replicas race.
    func timerFired(_ record: inout ComplaintCase, _ timer: CaseTimer, now: Timestamp) -> [CaseOutput] {
        guard let slot = timer.slot, let wanted = CaseTimers.wanted(slot, in: record, policy: policy),
              wanted.due == timer.due, wanted.cycle == timer.cycle
        else { return [] }
        var outputs: [CaseOutput] = []
        switch slot {
        case .warning(let deadline):
            record.clocks[deadline]?.warnedAt = timer.due
            record.timeline.append(TimelineEntry(
                at: timer.due, action: "sla_warning", actor: Self.system, from: nil, to: nil, detail: deadline.rawValue, sealed: nil))
            outputs.append(.slaWarning(deadline, at: timer.due))
        case .breach(let deadline):
            record.clocks[deadline]?.breachedAt = timer.due
            record.breaches.append(deadline)
            record.timeline.append(TimelineEntry(
                at: timer.due, action: "sla_breached", actor: Self.system, from: nil, to: nil, detail: deadline.rawValue, sealed: nil))
            outputs.append(.slaBreached(deadline, at: timer.due))
            if record.level < policy.topLevel {
                outputs += escalate(&record, to: record.level + 1, reason: "breach:\(deadline.rawValue)", by: Self.system, now: timer.due)
            }
        case .followUp:
            record.followUp?.announcedAt = timer.due
            record.timeline.append(TimelineEntry(
                at: timer.due, action: "follow_up_due", actor: Self.system, from: nil, to: nil, detail: nil, sealed: nil))
            outputs.append(.followUpDue(at: timer.due))
        }
        record.revision += 1
        return outputs
    }

    // MARK: erasure

    /// Removes every personal field and keeps the history, so reports still count the case.
    func erase(_ record: inout ComplaintCase, by actor: String, now: Timestamp) -> [String] {
        var fields = Set(record.personal.keys)
        record.personal = [:]
        for index in record.timeline.indices {
            if let sealed = record.timeline[index].sealed {
                fields.formUnion(sealed.keys)
                record.timeline[index].sealed = nil
            }
        }
        if let sealed = record.resolution?.sealed, !sealed.isEmpty {
            fields.formUnion(sealed.keys)
            record.resolution?.sealed = [:]
        }
        if let sealed = record.followUp?.sealed, !sealed.isEmpty {
            fields.formUnion(sealed.keys)
            record.followUp?.sealed = [:]
        }
        if record.erasedAt == nil {
            record.erasedAt = now
            record.timeline.append(TimelineEntry(at: now, action: "erased", actor: actor, from: nil, to: nil, detail: nil, sealed: nil))
            record.revision += 1
        }
        return fields.sorted()
    }

    // MARK: steps shared by the actions

    private func acknowledge(_ record: inout ComplaintCase, by agent: String, now: Timestamp) throws(CaseError) -> [CaseOutput] {
        try move(&record, to: .acknowledged, by: agent, now: now)
        record.clocks.firstReply?.stop(at: now, calendar: calendar)
        if record.firstReplyAt == nil { record.firstReplyAt = now }
        return [.acknowledged(at: now)]
    }

    private func escalate(_ record: inout ComplaintCase, to level: Int, reason: String, by actor: String, now: Timestamp) -> [CaseOutput] {
        record.level = level
        let name = policy.levelName(level)
        record.timeline.append(TimelineEntry(at: now, action: "escalated", actor: actor, from: nil, to: nil, detail: "\(name) (\(reason))", sealed: nil))
        return [.escalated(level: name, reason: reason, at: now)]
    }

    /// A validated status change, with what it does to the clocks.
    private func move(_ record: inout ComplaintCase, to status: CaseStatus, by actor: String, now: Timestamp) throws(CaseError) {
        let previous = record.status
        do {
            record.status = try previous.transition(to: status)
        } catch {
            throw .transition(error)
        }
        let action: String
        switch status {
        case .awaitingCustomer:
            for deadline in ComplaintDeadline.allCases { record.clocks[deadline]?.pause(at: now, calendar: calendar) }
            action = "status"
        case .resolved, .closed:
            for deadline in ComplaintDeadline.allCases { record.clocks[deadline]?.stop(at: now, calendar: calendar) }
            if status == .resolved {
                if record.firstResolvedAt == nil { record.firstResolvedAt = now }
                record.resolvedAt = now
                record.closedAt = nil
                record.followUp = FollowUp(dueAt: now + policy.followUpDelay, sealed: [:])
                action = "resolved"
            } else {
                record.closedAt = now
                action = "closed"
            }
        case .reopened:
            let targets = policy.sla.targets(record.priority)
            record.clocks.firstReply = .started(target: targets.firstReply, at: now, cycle: (record.clocks.firstReply?.cycle ?? 0) + 1)
            record.clocks.resolution = .started(target: targets.resolution, at: now, cycle: (record.clocks.resolution?.cycle ?? 0) + 1)
            record.clocks.update?.stop(at: now, calendar: calendar)
            record.closedAt = nil
            action = "reopened"
        default:
            if previous == .awaitingCustomer {
                for deadline in ComplaintDeadline.allCases { record.clocks[deadline]?.resume(at: now) }
            }
            action = "status"
        }
        record.timeline.append(TimelineEntry(at: now, action: action, actor: actor, from: previous, to: status, detail: nil, sealed: nil))
    }
}
