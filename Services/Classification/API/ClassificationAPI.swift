import Foundation
import Hummingbird
import Model
import ServiceSupport
import Streams

/// Classification's HTTP API (see openapi.yaml): profiles, lists, the tier report, manual tier
/// floors, erasure and the audit trail. Every route needs a bearer token; the scope each needs
/// is checked by ``RequireScope`` before the handler runs.
struct ClassificationAPI: Sendable {
    let redis: RedisClient
    let partitioning: Partitioning
    let clock: any TimeSource
    let settings: ClassificationSettings
    let customerKeys: CustomerKeys?

    var store: ProfileStore { ProfileStore(settings: settings) }

    func register(on router: Router<RapportRequestContext>) {
        let readers = router.group("/v1/customers").add(middleware: RequireScope<RapportRequestContext>(.customersRead))
        readers.get { request, context in try await list(request, context) }
        readers.get(":id") { request, context in try await profile(request, context) }
        readers.get(":id/audit") { request, context in try await audit(request, context) }
        router.group("/v1/customers").add(middleware: RequireScope<RapportRequestContext>(.customersWrite))
            .put(":id/tier-floor") { request, context in try await setFloor(request, context) }
        router.group("/v1/customers").add(middleware: RequireScope<RapportRequestContext>(.customersErase))
            .delete(":id") { request, context in try await erase(request, context) }
        router.group("/v1/reports").add(middleware: RequireScope<RapportRequestContext>(.customersRead))
            .get("tiers") { request, context in try await tierReport(request, context) }
    }

    // MARK: - Shared pieces

    /// The customer named by the `{id}` path segment (percent-encoded), or 404.
    func customer(_ context: RapportRequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = CustomerID(percentEncoded: raw) else {
            throw Problem.notFound("no customer has this id; ids are <source>:<store>:<external id>, percent-encoded")
        }
        return id.description
    }

    func keys(for customer: String) -> ClassificationKeys {
        ClassificationKeys(partitioning.partition(ofCustomer: customer))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try ProfileDocument.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json", .contentLength: String(data.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Redis trouble answers 503, so a client retries later instead of reading it as its own fault.
    func guarded<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as RedisError {
            throw Problem.serviceUnavailable("the customer store cannot be reached right now (\(error.serverMessage ?? "connection")); retry shortly", retryAfterSeconds: 1)
        }
    }

    // MARK: - GET /v1/customers/{id}

    func profile(_ request: Request, _ context: RapportRequestContext) async throws -> Response {
        let customer = try customer(context)
        let keys = keys(for: customer)
        let showPersonal = context.principal?.has(.piiRead) ?? false
        let customerKeys = self.customerKeys
        let settings = self.settings
        let document: ProfileDocument? = try await guarded {
            try await redis.commit(clock: clock) { transaction -> ProfileDocument? in
                guard let text = try transaction.get(keys.profile(customer)) else { return nil }
                let profile = try ProfileStore.decode(text)
                let personal = showPersonal
                    ? try PersonalFields.open(profile.attributes?.personal ?? [:], customer: customer, keys: customerKeys, in: transaction)
                    : nil
                return ProfileDocument(profile, settings: settings, at: transaction.now, personal: personal)
            }
        }
        guard let document else { throw Problem.notFound("classification has no profile for this customer") }
        return try Self.json(document)
    }
}
