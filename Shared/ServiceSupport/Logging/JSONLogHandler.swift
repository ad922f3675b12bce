import Foundation
import Logging

/// A swift-log handler writing each record as one JSON line (``JSONLogLine``) to standard error,
/// for `RAPPORT_LOG_FORMAT=json`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// - Parameter write: receives each finished line, newline included; standard error by default.
    public init(
        label: String,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardError
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Precedence as in swift-log's own handlers: handler, then provider, then the call site.
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            merged["error.message"] = .string("\(error)")
            merged["error.type"] = .string(String(reflecting: type(of: error)))
        }
        let line = JSONLogLine.render(
            timestamp: Date(),
            level: event.level,
            label: label,
            message: event.message.description,
            metadata: merged,
            source: event.source
        )
        write(line + "\n")
    }

    /// One `write` per line, so lines from concurrent tasks do not interleave.
    @Sendable public static func writeToStandardError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}
