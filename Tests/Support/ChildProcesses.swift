import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every server and service a test started and has not stopped yet, killed when the test
/// process exits: a test that fails or keeps its harness alive to the end must not leave a
/// redis-server or a service running after the suite.
enum ChildProcesses {
    private static let running = Mutex<Set<Int32>>([])

    private static let killAtExit: Void = {
        atexit {
            for pid in ChildProcesses.running.withLock({ $0 }) { Glibc.kill(pid, SIGKILL) }
        }
    }()

    static func started(_ process: Process) {
        _ = killAtExit
        running.withLock { _ = $0.insert(process.processIdentifier) }
    }

    static func stopped(_ process: Process) {
        running.withLock { _ = $0.remove(process.processIdentifier) }
    }
}
