import Hummingbird

/// The problems every Rapport API answers, worded the same way in every service.
extension Problem {
    /// The challenge sent with 401 answers to bearer-token routes (RFC 6750).
    public static let bearerChallenge = "Bearer realm=\"rapport\""

    public static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, detail: detail)
    }

    /// - Parameter challenge: the `WWW-Authenticate` value; `nil` for routes that authenticate
    ///   otherwise (webhook signatures), which have no scheme to announce.
    public static func unauthorized(
        _ detail: String = "this route needs an Authorization: Bearer <token> header",
        challenge: String? = bearerChallenge
    ) -> Problem {
        var headers = HTTPFields()
        if let challenge { headers[.wwwAuthenticate] = challenge }
        return Problem(status: .unauthorized, detail: detail, headers: headers)
    }

    /// The token is valid but lacks `scope`; names the scope so an operator knows what to grant.
    public static func forbidden(missing scope: Scope) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "\(bearerChallenge), error=\"insufficient_scope\", scope=\"\(scope.rawValue)\""
        return Problem(
            status: .forbidden,
            detail: "this token lacks the scope '\(scope.rawValue)'; grant it in the tokens section of the rules file",
            extensions: ["missing_scope": .string(scope.rawValue)],
            headers: headers
        )
    }

    public static func notFound(_ detail: String = "there is nothing at this address") -> Problem {
        Problem(status: .notFound, detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, detail: detail)
    }

    /// The body is larger than `limit` bytes.
    public static func payloadTooLarge(limit: Int) -> Problem {
        Problem(
            status: .contentTooLarge,
            detail: "the request body is larger than the limit of \(limit) bytes",
            extensions: ["limit_bytes": .int(limit)]
        )
    }

    /// The body is not of the media type `expected` (for example `application/json`).
    public static func unsupportedMediaType(expected: String) -> Problem {
        Problem(
            status: .unsupportedMediaType,
            detail: "send the body as \(expected) with a matching Content-Type header",
            extensions: ["expected_media_type": .string(expected)]
        )
    }

    /// Over a rate limit; `Retry-After` tells the client when to try again.
    public static func tooManyRequests(retryAfterSeconds: Int) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = String(retryAfterSeconds)
        return Problem(
            status: .tooManyRequests,
            detail: "too many requests; retry after \(retryAfterSeconds) seconds",
            extensions: ["retry_after_seconds": .int(retryAfterSeconds)],
            headers: headers
        )
    }

    /// A dependency (Redis) cannot take the request now; the client should retry later.
    public static func serviceUnavailable(_ detail: String, retryAfterSeconds: Int? = nil) -> Problem {
        var headers = HTTPFields()
        var extensions: [String: ProblemValue] = [:]
        if let retryAfterSeconds {
            headers[.retryAfter] = String(retryAfterSeconds)
            extensions["retry_after_seconds"] = .int(retryAfterSeconds)
        }
        return Problem(status: .serviceUnavailable, detail: detail, extensions: extensions, headers: headers)
    }
}
