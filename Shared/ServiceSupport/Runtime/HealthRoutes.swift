import Foundation
import Hummingbird
import Prometheus
import Streams

/// `GET /health`: 200 only when Redis answers and every consumer loop is reading; 503 with the
/// failing check otherwise, so an orchestrator restarts or stops routing to the replica.
struct HealthRoutes: Sendable {
    let redis: RedisClient
    let consumer: StreamConsumer?
    let service: ServiceName

    func register(on router: Router<RapportRequestContext>) {
        router.get("/health") { _, _ -> Response in
            let redisUp = await redis.ping()
            let consumerUp = consumer?.isRunning ?? true
            let body: [String: String] = [
                "service": service.rawValue,
                "redis": redisUp ? "up" : "down",
                "consumer": consumer == nil ? "none" : (consumerUp ? "running" : "starting"),
                "status": redisUp && consumerUp ? "ok" : "unavailable",
            ]
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            return Response(
                status: redisUp && consumerUp ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

/// `GET /metrics` in the Prometheus text format.
struct MetricsRoute: Sendable {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<RapportRequestContext>) {
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
