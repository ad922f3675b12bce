import Synchronization

/// A clock that moves only when a test moves it.
///
/// Shared by reference so the code under test and the test see the same time; a `Mutex`
/// keeps reads and moves consistent when consumers run on other tasks.
/// It may be set backwards, to exercise clock skew between replicas.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp) {
        self.current = Mutex(start)
    }

    public func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
    }

    public func set(_ timestamp: Timestamp) {
        current.withLock { $0 = timestamp }
    }

    public func now() -> Timestamp {
        current.withLock { $0 }
    }
}
