import Hummingbird

/// A request context that carries who sent the request, set by ``BearerAuthentication`` and
/// checked by ``RequireScope``. A service with its own context adopts this to reuse both.
public protocol AuthenticatedContext: RequestContext {
    /// `nil` until a valid bearer token was presented.
    var principal: Principal? { get set }
}

/// The request context of Rapport's HTTP APIs: Hummingbird's core storage plus the principal.
public struct RapportRequestContext: AuthenticatedContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }
}
