import Logging

/// Installs the process-wide log handler. Only a service's `main` calls this, once, before
/// anything logs: libraries and tests take a `Logger` and never bootstrap.
public func bootstrapLogging(format: LogFormat, level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler: any LogHandler
        switch format {
        case .text: handler = StreamLogHandler.standardError(label: label)
        case .json: handler = JSONLogHandler(label: label)
        }
        handler.logLevel = level
        return handler
    }
}
