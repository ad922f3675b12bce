/// Trims a stream by `MINID` below the oldest entry that any of its consumer groups still needs:
/// its oldest pending entry, or the first entry after what it last read. A stream missing one
/// of the groups expected on it is not trimmed, so a service that has not started yet loses
/// nothing.
public struct StreamTrimmer: Sendable {
    public init() {}

    /// Returns the `MINID` applied, or nil when the stream was left alone.
    @discardableResult
    public func trim(_ stream: String, expectedGroups: Set<String>, on connection: RedisConnection) throws -> String? {
        guard !expectedGroups.isEmpty else { return nil }
        let groups: [RedisValue]
        do {
            groups = try connection.send(["XINFO", "GROUPS", stream]).array ?? []
        } catch {
            if error.serverMessage?.contains("no such key") == true { return nil }
            throw error
        }
        var floor: StreamID?
        var present = Set<String>()
        for group in groups {
            let info = group.fieldMap
            guard let name = info["name"], let lastDelivered = info["last-delivered-id"].flatMap(StreamID.init) else { continue }
            present.insert(name)
            var needed = lastDelivered.successor
            if let pending = Int(info["pending"] ?? "0"), pending > 0 {
                let summary = try connection.send(["XPENDING", stream, name]).array ?? []
                if summary.count >= 2, let oldest = summary[1].string.flatMap(StreamID.init) {
                    needed = min(needed, oldest)
                }
            }
            floor = floor.map { min($0, needed) } ?? needed
        }
        guard expectedGroups.isSubset(of: present), let floor else { return nil }
        _ = try connection.send(["XTRIM", stream, "MINID", floor.description])
        return floor.description
    }
}

/// A stream entry id `<ms>-<seq>`, ordered as Redis orders them.
struct StreamID: Comparable, CustomStringConvertible {
    let milliseconds: UInt64
    let sequence: UInt64

    init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let ms = UInt64(parts[0]), let seq = UInt64(parts[1]) else { return nil }
        milliseconds = ms
        sequence = seq
    }

    init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    var successor: StreamID {
        sequence == .max ? StreamID(milliseconds: milliseconds + 1, sequence: 0) : StreamID(milliseconds: milliseconds, sequence: sequence + 1)
    }

    var description: String { "\(milliseconds)-\(sequence)" }

    static func < (lhs: StreamID, rhs: StreamID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
