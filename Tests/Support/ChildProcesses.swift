import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every server and service a test started and has not stopped yet.
///
/// They are killed when the test process exits. A test process that crashes runs no exit
/// handler, so each child is also recorded in a file naming its parent; the next test process
/// kills the recorded children of parents that are gone. Either way no redis-server or service
/// outlives its suite for long.
enum ChildProcesses {
    private static let running = Mutex<Set<Int32>>([])
    private static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-test-children")

    private static let prepare: Void = {
        sweepOrphans()
        atexit {
            for pid in ChildProcesses.running.withLock({ $0 }) {
                Glibc.kill(pid, SIGKILL)
                try? FileManager.default.removeItem(at: ChildProcesses.record(of: pid))
            }
        }
    }()

    static func started(_ process: Process) {
        _ = prepare
        let pid = process.processIdentifier
        running.withLock { _ = $0.insert(pid) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(String(getpid()).utf8).write(to: record(of: pid))
    }

    static func stopped(_ process: Process) {
        let pid = process.processIdentifier
        running.withLock { _ = $0.remove(pid) }
        try? FileManager.default.removeItem(at: record(of: pid))
    }

    private static func record(of pid: Int32) -> URL {
        folder.appendingPathComponent(String(pid))
    }

    /// Kills children recorded by test processes that no longer run, when the pid still names
    /// one of the programs tests start (a pid may have been reused since).
    private static func sweepOrphans() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names {
            guard let pid = Int32(name) else { continue }
            let file = record(of: pid)
            let parent = (try? String(contentsOf: file, encoding: .utf8)).flatMap { Int32($0) } ?? 0
            guard parent <= 0 || Glibc.kill(parent, 0) != 0 else { continue }
            // Read to the end: /proc files report a size of zero.
            let bytes = FileHandle(forReadingAtPath: "/proc/\(pid)/cmdline")?.readDataToEndOfFile() ?? Data()
            let command = String(decoding: bytes, as: UTF8.self)
            if command.contains("redis-server") || command.contains("rapport-") { Glibc.kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(at: file)
        }
    }
}
