/// The five Rapport services; each has its own executable, default port and consumer group.
public enum ServiceName: String, Sendable, CaseIterable {
    case intake, classification, loyalty, complaints, notifications

    /// Port the service listens on when `RAPPORT_HTTP_PORT` is not set, so that all five can run
    /// side by side on one machine.
    public var defaultPort: Int {
        switch self {
        case .intake: 8080
        case .classification: 8081
        case .loyalty: 8082
        case .complaints: 8083
        case .notifications: 8084
        }
    }

    /// Name of the built binary and of the SwiftPM product, for example `rapport-intake`.
    public var executableName: String {
        "rapport-\(rawValue)"
    }
}
