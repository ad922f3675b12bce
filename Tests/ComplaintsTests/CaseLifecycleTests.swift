import Model
import Testing
@testable import Complaints

@Suite("Case lifecycle: actions, clocks and timers")
struct CaseLifecycleTests {
    let policy = CasePolicy.standard
    var lifecycle: CaseLifecycle { CaseLifecycle(policy: policy) }

    func opened(_ priority: ComplaintPriority = .normal, at now: Timestamp = monday) -> ComplaintCase {
        lifecycle.open(newCase(), decision: decision(priority), tier: nil, now: now).0
    }

    @Test("a normal case opens with the first-reply and resolution deadlines running from the complaint")
    func openNormal() {
        let (record, outputs) = lifecycle.open(newCase(submittedAt: monday - hours(2)), decision: decision(), tier: "Gold", now: monday)
        #expect(names(outputs) == ["opened"])
        #expect(record.id == "web:c1")
        #expect(record.status == .open && record.level == 0 && record.tier == "Gold")
        #expect(record.clocks.firstReply == SLAClock(target: ms(hours: 24), runningSince: monday - hours(2), cycle: 1))
        #expect(record.clocks.resolution?.target == ms(hours: 120))
        #expect(record.clocks.update == nil)
        #expect(record.clocks.firstReply?.due(calendar: policy.sla.calendar) == monday + hours(22))
    }

    @Test("an urgent case runs on the urgent deadlines and escalates one level at once")
    func openUrgent() {
        let (record, outputs) = lifecycle.open(newCase(category: "safety"), decision: decision(.urgent), tier: nil, now: monday)
        #expect(names(outputs) == ["opened", "escalated:team_lead"])
        #expect(record.level == 1)
        #expect(record.clocks.firstReply?.target == ms(hours: 8))
        #expect(record.clocks.resolution?.target == ms(hours: 48))
        var single = policy
        single.escalationLevels = ["agent"]
        let (alone, lone) = CaseLifecycle(policy: single).open(newCase(), decision: decision(.urgent), tier: nil, now: monday)
        #expect(names(lone) == ["opened"] && alone.level == 0)
    }

    @Test("the first reply acknowledges, stops the first-reply deadline and starts the update period")
    func firstReply() throws {
        var record = opened()
        let outputs = try lifecycle.reply(&record, by: "desk", sealedMessage: ["message": "s1:x"], awaitingCustomer: false, now: monday + hours(3))
        #expect(names(outputs) == ["acknowledged"])
        #expect(record.status == .acknowledged && record.firstReplyAt == monday + hours(3))
        #expect(record.clocks.firstReply?.stoppedAt == monday + hours(3))
        #expect(record.clocks.update == SLAClock(target: ms(hours: 48), runningSince: monday + hours(3), cycle: 1))
        #expect(record.timeline.map(\.action) == ["opened", "status", "replied"])
        #expect(record.timeline[1].actor == "desk" && record.timeline[1].from == .open && record.timeline[1].to == .acknowledged)
        let again = try lifecycle.reply(&record, by: "desk", sealedMessage: nil, awaitingCustomer: false, now: monday + hours(5))
        #expect(again.isEmpty)
        #expect(record.clocks.update?.cycle == 2 && record.clocks.update?.runningSince == monday + hours(5))
        #expect(record.revision == 3)
    }

    @Test("waiting for the customer pauses every running deadline; the answer resumes them")
    func pauseAndResume() throws {
        let calendar = policy.sla.calendar
        var record = opened()
        _ = try lifecycle.reply(&record, by: "desk", sealedMessage: nil, awaitingCustomer: true, now: monday + hours(1))
        #expect(record.status == .awaitingCustomer)
        #expect(record.clocks.resolution?.isPaused == true && record.clocks.resolution?.consumed == ms(hours: 1))
        #expect(record.clocks.update?.isPaused == true && record.clocks.update?.consumed == 0)
        #expect(record.clocks.firstReply?.stoppedAt != nil)
        #expect(CaseTimers.wanted(.warning(.resolution), in: record, policy: policy) == nil)
        _ = try lifecycle.changeStatus(&record, to: .investigating, by: "desk", now: monday + hours(11))
        #expect(record.clocks.resolution?.due(calendar: calendar) == monday + hours(130))
        #expect(record.clocks.update?.due(calendar: calendar) == monday + hours(11 + 48))
    }

    @Test("an action the status does not allow is refused with the reason")
    func refusals() throws {
        var record = opened()
        #expect(throws: CaseError.transition(TransitionError(from: .open, to: .investigating))) {
            try lifecycle.changeStatus(&record, to: .investigating, by: "desk", now: monday)
        }
        _ = try lifecycle.resolve(&record, rootCause: "courier", compensation: .none, sealedNote: [:], by: "desk", now: monday + hours(1))
        #expect(throws: CaseError.inactive("reply to", .resolved)) {
            try lifecycle.reply(&record, by: "desk", sealedMessage: nil, awaitingCustomer: false, now: monday)
        }
        #expect(throws: CaseError.inactive("escalate", .resolved)) {
            try lifecycle.escalate(&record, toLevel: nil, by: "admin", now: monday)
        }
        #expect(!CaseError.scoreOutOfRange(6).isConflict && CaseError.alreadyRated.isConflict)
    }

    @Test("resolving an unanswered case acknowledges it, stops the clocks and plans the follow-up; points go to loyalty")
    func resolve() throws {
        var record = opened()
        let compensation = Compensation(couponCode: "SORRY10", replacement: false, refund: nil, points: 500)
        let outputs = try lifecycle.resolve(&record, rootCause: "courier", compensation: compensation, sealedNote: [:], by: "desk", now: monday + hours(4))
        #expect(names(outputs) == ["acknowledged", "resolved", "compensated:500"])
        #expect(record.status == .resolved && record.firstReplyAt == monday + hours(4) && record.firstResolvedAt == monday + hours(4))
        #expect(ComplaintDeadline.allCases.allSatisfy { record.clocks[$0].map { !$0.isRunning } ?? true })
        #expect(CaseTimers.wanted(.followUp, in: record, policy: policy) == CaseTimers.Want(due: monday + hours(4 + 72), cycle: 0))
    }

    @Test("escalation by hand climbs the ladder to the top and no further")
    func ladder() throws {
        var record = opened()
        for level in ["team_lead", "manager", "director"] {
            #expect(names(try lifecycle.escalate(&record, toLevel: nil, by: "admin", now: monday)) == ["escalated:\(level)"])
        }
        #expect(throws: CaseError.atTopLevel("director")) { try lifecycle.escalate(&record, toLevel: nil, by: "admin", now: monday) }
        var other = opened()
        #expect(names(try lifecycle.escalate(&other, toLevel: "manager", by: "admin", now: monday)) == ["escalated:manager"])
        #expect(throws: CaseError.levelNotAbove("team_lead", current: "manager")) {
            try lifecycle.escalate(&other, toLevel: "team_lead", by: "admin", now: monday)
        }
        #expect(throws: CaseError.unknownLevel("ceo", known: policy.escalationLevels)) {
            try lifecycle.escalate(&other, toLevel: "ceo", by: "admin", now: monday)
        }
    }

    @Test("a rating of 2 or less reopens the case and restarts its deadlines; a good one closes it")
    func ratings() throws {
        var record = opened()
        _ = try lifecycle.resolve(&record, rootCause: "courier", compensation: .none, sealedNote: [:], by: "desk", now: monday + hours(2))
        let low = try lifecycle.rate(&record, score: 2, by: "desk", now: monday + hours(80))
        #expect(names(low) == ["rated:2", "reopened:low_rating"])
        #expect(record.status == .reopened)
        #expect(record.clocks.firstReply?.cycle == 2 && record.clocks.firstReply?.runningSince == monday + hours(80))
        #expect(record.clocks.resolution?.cycle == 2)
        #expect(throws: CaseError.notResolved("rate", .reopened)) { try lifecycle.rate(&record, score: 4, by: "desk", now: monday) }
        _ = try lifecycle.resolve(&record, rootCause: "courier", compensation: .none, sealedNote: [:], by: "desk", now: monday + hours(90))
        #expect(record.firstResolvedAt == monday + hours(2))
        #expect(names(try lifecycle.rate(&record, score: 4, by: "desk", now: monday + hours(91))) == ["rated:4"])
        #expect(record.status == .closed)
        #expect(throws: CaseError.alreadyRated) { try lifecycle.rate(&record, score: 5, by: "desk", now: monday + hours(92)) }
        #expect(throws: CaseError.scoreOutOfRange(0)) { try lifecycle.rate(&record, score: 0, by: "desk", now: monday) }
    }

    @Test("the schedule follows the state: a reply cancels the first-reply timers and sets the update timers")
    func timerPlans() throws {
        let record = opened()
        let opening = CaseTimers.plans(from: nil, to: record, policy: policy)
        #expect(Set(opening) == [
            .schedule(.warning(.firstReply), .init(due: monday + hours(18), cycle: 1)),
            .schedule(.breach(.firstReply), .init(due: monday + hours(24), cycle: 1)),
            .schedule(.warning(.resolution), .init(due: monday + hours(90), cycle: 1)),
            .schedule(.breach(.resolution), .init(due: monday + hours(120), cycle: 1)),
        ])
        var replied = record
        _ = try lifecycle.reply(&replied, by: "desk", sealedMessage: nil, awaitingCustomer: false, now: monday + hours(2))
        #expect(Set(CaseTimers.plans(from: record, to: replied, policy: policy)) == [
            .cancel(.warning(.firstReply)), .cancel(.breach(.firstReply)),
            .schedule(.warning(.update), .init(due: monday + hours(2 + 36), cycle: 1)),
            .schedule(.breach(.update), .init(due: monday + hours(2 + 48), cycle: 1)),
        ])
    }

    @Test("a due timer fires once; a stale one (old due instant or old period) does nothing")
    func firing() {
        var record = opened()
        let stale = CaseTimer(caseID: record.id, slotName: "first_reply:warning", cycle: 1, due: monday + hours(17))
        #expect(lifecycle.timerFired(&record, stale, now: monday + hours(18)).isEmpty)
        let oldCycle = CaseTimer(caseID: record.id, slotName: "first_reply:warning", cycle: 0, due: monday + hours(18))
        #expect(lifecycle.timerFired(&record, oldCycle, now: monday + hours(18)).isEmpty)
        let warning = CaseTimer(caseID: record.id, slotName: "first_reply:warning", cycle: 1, due: monday + hours(18))
        #expect(lifecycle.timerFired(&record, warning, now: monday + hours(18)) == [.slaWarning(.firstReply, at: monday + hours(18))])
        #expect(lifecycle.timerFired(&record, warning, now: monday + hours(18)).isEmpty)
        let breach = CaseTimer(caseID: record.id, slotName: "first_reply:breach", cycle: 1, due: monday + hours(24))
        #expect(names(lifecycle.timerFired(&record, breach, now: monday + hours(25))) == ["breached:first_reply", "escalated:team_lead"])
        #expect(record.breached && record.level == 1)
        #expect(lifecycle.timerFired(&record, CaseTimer(caseID: record.id, slotName: "nonsense", cycle: 1, due: monday), now: monday).isEmpty)
    }

    @Test("erasure removes every sealed field and keeps the history")
    func erasure() throws {
        var record = opened()
        _ = try lifecycle.reply(&record, by: "desk", sealedMessage: ["message": "s1:m"], awaitingCustomer: false, now: monday + hours(1))
        _ = try lifecycle.resolve(&record, rootCause: "courier", compensation: .none, sealedNote: ["note": "s1:n"], by: "desk", now: monday + hours(2))
        let fields = lifecycle.erase(&record, by: "admin", now: monday + hours(3))
        #expect(fields == ["message", "note", "text"])
        #expect(record.personal.isEmpty && record.timeline.allSatisfy { $0.sealed == nil } && record.resolution?.sealed.isEmpty == true)
        #expect(record.erasedAt == monday + hours(3) && record.timeline.last?.action == "erased")
        #expect(record.firstReplyAt != nil && record.status == .resolved)
    }
}
