/// Which service produces each stream and which consume it: the table of ARCHITECTURE.md in
/// code. Consumers derive their inputs from it, and owners trim a stream only once every group
/// listed here exists on it, so nothing is trimmed before a late-starting service has read it.
public enum StreamTopology {
    public struct Stream: Sendable, Hashable {
        public let name: String
        public let producer: ServiceName
        public let consumers: Set<ServiceName>
    }

    public static let streams: [Stream] = [
        Stream(name: "intake", producer: .intake, consumers: [.classification, .loyalty, .complaints, .notifications]),
        Stream(name: "customers", producer: .classification, consumers: [.loyalty, .complaints, .notifications]),
        Stream(name: "loyalty", producer: .loyalty, consumers: [.notifications]),
        Stream(name: "complaints", producer: .complaints, consumers: [.classification, .loyalty, .notifications]),
        Stream(name: "notifications", producer: .notifications, consumers: []),
    ]

    /// Services that keep timers (deadlines, expiries, calendars) and so read their own timer stream.
    public static let timerOwners: Set<ServiceName> = [.classification, .loyalty, .complaints, .notifications]

    /// The logical streams `service` consumes, its timer stream last.
    public static func inputs(of service: ServiceName) -> [String] {
        var inputs = streams.filter { $0.consumers.contains(service) }.map(\.name)
        if timerOwners.contains(service) { inputs.append("timers:\(service.rawValue)") }
        return inputs
    }

    /// The streams `service` owns and trims, with the groups each must keep entries for.
    public static func owned(by service: ServiceName) -> [(name: String, consumers: Set<String>)] {
        var owned = streams.filter { $0.producer == service }.map { ($0.name, Set($0.consumers.map(\.rawValue))) }
        if timerOwners.contains(service) { owned.append(("timers:\(service.rawValue)", [service.rawValue])) }
        return owned
    }
}
