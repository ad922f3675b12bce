import Foundation

/// The injected clock.
///
/// Services never call `Date()` directly: every decision takes its `now` from a time source,
/// so tests drive deadlines, expiry and calendars by moving a ``ManualTimeSource``.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}

/// The wall clock, for running services.
public struct SystemTimeSource: TimeSource {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(Date())
    }
}
