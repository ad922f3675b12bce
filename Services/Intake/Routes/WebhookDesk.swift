import Foundation
import Hummingbird
import Logging
import Model
import ServiceSupport
import Streams

/// The steps every intake route shares: the rate limit, the media type and size of the body,
/// storing the event, the answer, and counting how each delivery ended.
struct WebhookDesk: Sendable {
    let limiter: RateLimiter
    let bodyLimit: BodyLimit
    let store: IntakeStore
    let metrics: IntakeMetrics
    let clock: any TimeSource

    /// The same words for every signature failure, so the answer tells a forger nothing.
    static let signatureProblem = Problem.unauthorized(
        "the webhook signature is missing or does not verify", challenge: nil)

    /// Runs one delivery and counts its outcome under `source`. Problems thrown inside become
    /// their answers; a Redis failure becomes 503, so the platform retries what was not stored.
    func answer(
        source: String, logger: Logger, _ handle: () async throws -> (DeliveryOutcome, HTTPResponse.Status)
    ) async throws -> Response {
        do {
            let (outcome, status) = try await handle()
            metrics.count(source: source, outcome: outcome)
            return Self.response(status: status, outcome: outcome)
        } catch let problem as Problem {
            let outcome = Self.outcome(of: problem.status)
            metrics.count(source: source, outcome: outcome)
            // Floods (429, 413) stay out of the log at the default level; the metric counts them.
            let level: Logger.Level = [.malformed, .badSignature, .failed].contains(outcome) ? .info : .debug
            logger.log(level: level, "delivery refused", metadata: [
                "source": "\(source)", "outcome": "\(outcome.rawValue)", "status": "\(problem.status.code)",
            ])
            throw problem
        } catch where error is RedisError || error is CommitError {
            // Lost or contended Redis: nothing was stored, so the platform must send it again.
            metrics.count(source: source, outcome: .unavailable)
            logger.warning("delivery not stored", metadata: ["source": "\(source)", "error": "\(error)"])
            throw Problem.serviceUnavailable("the event could not be stored now; retry later", retryAfterSeconds: 5)
        } catch {
            metrics.count(source: source, outcome: .failed)
            logger.error("delivery failed", metadata: ["source": "\(source)", "error": "\(error)"])
            throw error
        }
    }

    /// Takes a token from the rate-limit bucket of the sender, then reads the JSON body within
    /// the size limit.
    func readJSON(_ request: Request, bucket: String) async throws -> Data {
        try limiter.admit(bucket)
        try MediaType.requireJSON(request)
        return try await bodyLimit.read(request)
    }

    /// Stores what a verified delivery became.
    func persist(
        _ normalised: Normalised, deliveryKey: @autoclosure () throws -> String, correlation: String, logger: Logger
    ) async throws -> (DeliveryOutcome, HTTPResponse.Status) {
        switch normalised {
        case .unknownTopic(let topic):
            logger.info("unknown topic accepted", metadata: ["topic": "\(topic.prefix(100))", "correlation": "\(correlation)"])
            return (.unknownTopic, .accepted)
        case .ignored(let reason):
            logger.info("delivery ignored", metadata: ["reason": "\(reason)", "correlation": "\(correlation)"])
            return (.ignored, .accepted)
        case .event(let event):
            return Self.answer(try await store(event, deliveryKey: try deliveryKey(), correlation: correlation, logger: logger))
        case .events(let events):
            // Each event has its own dedupe key within the delivery, so a retry after a failure
            // part-way stores only what is missing.
            let key = try deliveryKey()
            var outcomes: [IntakeStore.Outcome] = []
            for (index, event) in events.enumerated() {
                let eventKey = index == 0 ? key : "\(key)#\(event.id)"
                outcomes.append(try await store(event, deliveryKey: eventKey, correlation: correlation, logger: logger))
            }
            if outcomes.contains(.stored) { return Self.answer(.stored) }
            return Self.answer(outcomes.contains(.parked) ? .parked : .duplicate)
        }
    }

    private func store(_ event: IntakeEvent, deliveryKey: String, correlation: String, logger: Logger) async throws -> IntakeStore.Outcome {
        let outcome = try await Self.retryingOnceAfterDroppedConnection {
            try await store.store(event, deliveryKey: deliveryKey, correlation: correlation)
        }
        logger.debug("delivery stored", metadata: [
            "event": "\(event.id)", "type": "\(type(of: event.event).eventType)", "outcome": "\(outcome.rawValue)",
            "correlation": "\(correlation)",
        ])
        return outcome
    }

    private static func answer(_ outcome: IntakeStore.Outcome) -> (DeliveryOutcome, HTTPResponse.Status) {
        switch outcome {
        case .stored: (.accepted, .accepted)
        case .duplicate: (.duplicate, .accepted)
        case .parked: (.parked, .accepted)
        }
    }

    /// Runs `operation`, and once more shortly after if it failed on a dropped connection.
    ///
    /// Pooled connections that were open when Redis restarted each fail once before they
    /// reconnect; one quiet retry spares the platform a 503 for that. Repeating a store is safe:
    /// the dedupe key makes a second append of a stored delivery a no-op, and sealing and the
    /// order index are idempotent.
    static func retryingOnceAfterDroppedConnection<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as RedisError where error.isConnectionFailure {
            try await Task.sleep(for: .milliseconds(100))
            return try await operation()
        }
    }

    private static func outcome(of status: HTTPResponse.Status) -> DeliveryOutcome {
        switch status {
        case .unauthorized: .badSignature
        case .contentTooLarge: .tooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .tooManyRequests: .rateLimited
        case .serviceUnavailable: .unavailable
        case .badRequest: .malformed
        default: .failed
        }
    }

    /// `{"status":"accepted"}`: what happened, for people testing a webhook by hand.
    private static func response(status: HTTPResponse.Status, outcome: DeliveryOutcome) -> Response {
        let body = ByteBuffer(string: "{\"status\":\"\(outcome.rawValue)\"}")
        return Response(
            status: status,
            headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body))
    }
}
