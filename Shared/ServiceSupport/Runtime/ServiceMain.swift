import Foundation
import Hummingbird
import Logging
import Metrics
import Model
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Streams

/// The body of every service's `main`: read configuration (a bad value stops start-up with a
/// message naming the key), bootstrap logging and metrics, assemble consumer, timers, upkeep and
/// HTTP, and run them until SIGTERM or SIGINT.
public enum ServiceMain {
    /// What a service adds to the shared runtime.
    public struct Parts {
        /// Applies the service's events; nil for a service that consumes nothing (intake).
        public var handler: (any EntryHandler)?
        /// Adds the service's own routes.
        public var routes: (Router<RapportRequestContext>) -> Void
        public var services: [any Service]

        public init(
            handler: (any EntryHandler)?, routes: @escaping (Router<RapportRequestContext>) -> Void = { _ in },
            services: [any Service] = []
        ) {
            self.handler = handler
            self.routes = routes
            self.services = services
        }
    }

    /// Main-actor isolated because `main.swift`'s top-level closures are: `assemble` and the
    /// route builders it returns run here, where that isolation holds.
    @MainActor
    public static func run(_ service: ServiceName, assemble: (ServiceRuntime) throws -> Parts) async {
        // Tasks run on the HTTP server's event loops rather than on a second pool of threads: a
        // request's handler then runs where its connection lives, without a thread switch each
        // way (a fifth more intake deliveries per second on two cores). Nothing here blocks a
        // task's thread: Redis and SMTP calls run on their own thread pools. It must happen
        // before any task starts, so it comes first.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let configuration: RapportConfiguration
        do {
            configuration = try RapportConfiguration.load(service: service)
        } catch {
            FileHandle.standardError.write(Data("\(service.executableName): configuration error: \(error)\n".utf8))
            exit(78)
        }
        bootstrapLogging(format: configuration.logFormat, level: configuration.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "rapport.\(service.rawValue)")
        do {
            let runtime = try ServiceRuntime(configuration: configuration, logger: logger)
            let parts = try assemble(runtime)
            let consumer = parts.handler.map { runtime.makeConsumer(handler: $0) }
            let router = runtime.makeRouter(registry: registry, consumer: consumer)
            parts.routes(router)
            var services: [any Service] = [runtime.makeMaintenance()]
            if let consumer { services.append(consumer) }
            if let timers = runtime.makeTimerRelease() { services.append(timers) }
            services += parts.services
            logger.info("starting", metadata: [
                "redis": "\(configuration.redis)", "http": "\(configuration.httpHost):\(configuration.httpPort)",
                "partitions": "\(configuration.partitions)", "consumer": "\(configuration.consumerName)",
            ])
            let application = runtime.makeApplication(router: router, services: services)
            try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            logger.info("stopped")
        } catch {
            logger.critical("stopped on an error", metadata: ["error": "\(error)"])
            exit(1)
        }
    }
}
