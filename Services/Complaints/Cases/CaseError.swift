/// An action a case cannot take in its current state (answered 409), or one asked for with
/// values the rules refuse (answered 400). The message says what to do instead.
struct CaseError: Error, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case transition(TransitionError)
        case inactive(action: String, status: CaseStatus)
        case atTopLevel(String)
        case levelNotAbove(requested: String, current: String)
        case unknownLevel(String, known: [String])
        case scoreOutOfRange(Int)
        case alreadyRated
        case notResolved(action: String, status: CaseStatus)
        case alreadyFollowedUp
        case idempotencyKeyReused
    }

    private let kind: Kind

    static func transition(_ error: TransitionError) -> CaseError { CaseError(kind: .transition(error)) }
    static func inactive(_ action: String, _ status: CaseStatus) -> CaseError { CaseError(kind: .inactive(action: action, status: status)) }
    static func atTopLevel(_ level: String) -> CaseError { CaseError(kind: .atTopLevel(level)) }
    static func levelNotAbove(_ requested: String, current: String) -> CaseError {
        CaseError(kind: .levelNotAbove(requested: requested, current: current))
    }
    static func unknownLevel(_ level: String, known: [String]) -> CaseError { CaseError(kind: .unknownLevel(level, known: known)) }
    static func scoreOutOfRange(_ score: Int) -> CaseError { CaseError(kind: .scoreOutOfRange(score)) }
    static let alreadyRated = CaseError(kind: .alreadyRated)
    static func notResolved(_ action: String, _ status: CaseStatus) -> CaseError {
        CaseError(kind: .notResolved(action: action, status: status))
    }
    static let alreadyFollowedUp = CaseError(kind: .alreadyFollowedUp)
    static let idempotencyKeyReused = CaseError(kind: .idempotencyKeyReused)

    /// True when the request was well formed but the case's state forbids it (HTTP 409);
    /// false when the request itself is wrong (HTTP 400).
    var isConflict: Bool {
        switch kind {
        case .unknownLevel, .scoreOutOfRange: false
        default: true
        }
    }

    var description: String {
        switch kind {
        case .transition(let error):
            return error.description
        case .inactive(let action, let status):
            return "cannot \(action) a case that is \(status.rawValue); reopen it first"
        case .atTopLevel(let level):
            return "the case is already at the top escalation level (\(level)); it cannot go higher"
        case .levelNotAbove(let requested, let current):
            return "the case is at \(current); escalate to a level above it, not to \(requested)"
        case .unknownLevel(let level, let known):
            return "unknown escalation level \"\(level)\"; the levels are \(known.joined(separator: ", "))"
        case .scoreOutOfRange(let score):
            return "a satisfaction score is a whole number from 1 to 5, not \(score)"
        case .alreadyRated:
            return "the customer already rated this resolution; a new rating needs a new resolution"
        case .notResolved(let action, let status):
            return "cannot \(action) a case that is \(status.rawValue); only resolved or closed cases can"
        case .alreadyFollowedUp:
            return "the follow-up of this resolution is already recorded"
        case .idempotencyKeyReused:
            return "this Idempotency-Key was already used for a different request on this case; use a new key for a new request"
        }
    }
}
