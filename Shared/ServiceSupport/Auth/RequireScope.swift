import Hummingbird

/// Lets a request through only when its principal holds `scope`: 401 without a principal,
/// 403 naming the missing scope otherwise. Put it after ``BearerAuthentication``.
public struct RequireScope<Context: AuthenticatedContext>: RouterMiddleware {
    public let scope: Scope

    public init(_ scope: Scope) {
        self.scope = scope
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let principal = context.principal else {
            throw Problem.unauthorized("this route needs a bearer token with the scope '\(scope.rawValue)'")
        }
        guard principal.has(scope) else { throw Problem.forbidden(missing: scope) }
        return try await next(request, context)
    }
}
