import Foundation
import Hummingbird
import Logging
import Model
import Prometheus
import ServiceLifecycle
import Streams

/// What every Rapport service is built from: its configuration, the Redis client, the injected
/// clock and the token authenticator, with factories for the shared runtime pieces so the five
/// services assemble the same consumer, timers, upkeep and HTTP scaffolding the same way.
public struct ServiceRuntime: Sendable {
    public let name: ServiceName
    public let configuration: RapportConfiguration
    public let partitioning: Partitioning
    public let redis: RedisClient
    public let clock: any TimeSource
    public let logger: Logger
    public let authenticator: TokenAuthenticator

    public init(configuration: RapportConfiguration, clock: any TimeSource = SystemTimeSource(), logger: Logger? = nil) throws {
        self.name = configuration.service
        self.configuration = configuration
        self.partitioning = try Partitioning(count: configuration.partitions)
        var options = RedisClient.Options()
        // One blocking reader per partition plus room for HTTP handlers and timers.
        options.threads = configuration.partitions + 8
        self.redis = RedisClient(endpoint: configuration.redis, options: options)
        self.clock = clock
        self.logger = logger ?? Logger(label: "rapport.\(configuration.service.rawValue)")
        self.authenticator = TokenAuthenticator(configuration: configuration)
    }

    /// The logical streams this service reads.
    public var inputs: [String] { StreamTopology.inputs(of: name) }

    public var consumerConfiguration: ConsumerConfiguration {
        var consumer = ConsumerConfiguration(
            service: name.rawValue, consumer: configuration.consumerName,
            partitioning: partitioning, inputs: inputs)
        consumer.maxDeliveries = configuration.maxDeliveries
        consumer.claimIdle = .seconds(configuration.claimIdleSeconds)
        return consumer
    }

    public func makeConsumer(handler: any EntryHandler) -> StreamConsumer {
        StreamConsumer(redis: redis, configuration: consumerConfiguration, handler: handler, clock: clock, logger: logger)
    }

    public var timerSchedule: TimerSchedule { TimerSchedule(service: name.rawValue) }

    public func makeTimerRelease() -> TimerRelease? {
        guard StreamTopology.timerOwners.contains(name) else { return nil }
        return TimerRelease(schedule: timerSchedule, redis: redis, partitioning: partitioning, clock: clock, logger: logger)
    }

    public func makeMaintenance() -> StreamMaintenance {
        StreamMaintenance(
            redis: redis, service: name.rawValue, inputs: inputs,
            owned: StreamTopology.owned(by: name).map { StreamMaintenance.OwnedStream(name: $0.name, consumers: $0.consumers) },
            partitioning: partitioning, logger: logger)
    }

    /// The router every service starts from: `/health`, `/metrics`, and bearer authentication
    /// on every route (routes that need a scope add ``RequireScope``).
    public func makeRouter(
        registry: PrometheusCollectorRegistry, consumer: StreamConsumer?
    ) -> Router<RapportRequestContext> {
        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: authenticator))
        HealthRoutes(redis: redis, consumer: consumer, service: name).register(on: router)
        MetricsRoute(registry: registry).register(on: router)
        return router
    }

    /// The HTTP application on the configured address, running `services` beside the server
    /// in one service group that stops everything gracefully on SIGTERM or SIGINT.
    public func makeApplication(
        router: Router<RapportRequestContext>, services: [any Service]
    ) -> some ApplicationProtocol {
        var application = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort),
                serverName: name.executableName),
            logger: logger)
        // A service group stops its services in reverse order, so the Redis pool, listed first,
        // closes only after the consumers have committed their last batch.
        application.addServices(RedisShutdown(redis: redis))
        application.addServices(services)
        return application
    }
}

/// Closes the Redis pool after the other services of the group have stopped.
struct RedisShutdown: Service {
    let redis: RedisClient

    func run() async throws {
        try? await gracefulShutdown()
        await redis.shutdown()
    }
}
