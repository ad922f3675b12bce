import Testing
@testable import Complaints

@Suite("Case lifecycle: status transitions")
struct CaseStatusTests {
    /// The lifecycle as the help desk works it; every pair not listed is refused.
    static let allowed: Set<String> = [
        "open>acknowledged", "open>mediation",
        "acknowledged>investigating", "acknowledged>awaiting_customer", "acknowledged>resolved", "acknowledged>mediation",
        "investigating>awaiting_customer", "investigating>resolved", "investigating>mediation",
        "awaiting_customer>investigating", "awaiting_customer>resolved", "awaiting_customer>mediation",
        "mediation>investigating", "mediation>resolved", "mediation>closed",
        "resolved>closed", "resolved>reopened",
        "closed>reopened",
        "reopened>acknowledged", "reopened>investigating", "reopened>awaiting_customer", "reopened>resolved", "reopened>mediation",
    ]

    static let pairs: [(CaseStatus, CaseStatus)] = CaseStatus.allCases.flatMap { from in CaseStatus.allCases.map { (from, $0) } }

    @Test("every one of the 64 moves is allowed or refused as the lifecycle says", arguments: pairs)
    func transition(from: CaseStatus, to: CaseStatus) {
        let key = "\(from.rawValue)>\(to.rawValue)"
        if Self.allowed.contains(key) {
            #expect((try? from.transition(to: to)) == to)
        } else {
            #expect(throws: TransitionError(from: from, to: to)) { try from.transition(to: to) }
        }
    }

    @Test("a refused move says why and lists the moves that are possible")
    func refusalMessage() {
        let error = TransitionError(from: .closed, to: .investigating)
        #expect(error.description == "a case that is closed cannot become investigating; from closed it may become: reopened")
        #expect(TransitionError(from: .resolved, to: .resolved).description.hasPrefix("the case is already resolved"))
    }

    @Test("only resolved and closed cases are inactive")
    func activity() {
        #expect(CaseStatus.allCases.filter { !$0.isActive } == [.resolved, .closed])
    }
}
