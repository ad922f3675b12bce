import Hummingbird

/// Sets the request's principal from its `Authorization: Bearer <token>` header.
///
/// A request without the header passes on unauthenticated, so public routes behind the same
/// router keep working and ``RequireScope`` decides per route. A header that is present but
/// malformed, repeated or unknown is answered 401 at once: a client that sends a wrong token
/// learns so instead of getting a misleading answer from a public route.
public struct BearerAuthentication<Context: AuthenticatedContext>: RouterMiddleware {
    private let authenticator: TokenAuthenticator

    public init(authenticator: TokenAuthenticator) {
        self.authenticator = authenticator
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let values = request.headers[values: .authorization]
        guard !values.isEmpty else { return try await next(request, context) }
        guard values.count == 1, let principal = authenticator.principal(authorization: values[0]) else {
            throw Problem.unauthorized(
                "the bearer token is not valid; send Authorization: Bearer <token> with a configured token",
                challenge: "\(Problem.bearerChallenge), error=\"invalid_token\""
            )
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "principal"] = .string(principal.name)
        return try await next(request, context)
    }
}
