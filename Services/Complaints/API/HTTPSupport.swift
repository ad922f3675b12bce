import Foundation
import Hummingbird
import Model
import ServiceSupport

/// Small pieces every complaints route uses: JSON bodies in and out, ids from the path, times
/// in both directions, and the scope checks routes need beyond one fixed scope.
enum HTTPSupport {
    /// Request bodies are small documents; anything larger is refused before it is read whole.
    static let bodyLimit = 64 * 1024

    /// Reads a JSON body into `T`; a wrong media type is 415, a body over the limit 413, and a
    /// body that does not decode 400 naming the field (never its value).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, emptyAs empty: T? = nil) async throws -> T {
        if let contentType = request.headers[.contentType],
           !contentType.lowercased().hasPrefix("application/json") {
            throw Problem.unsupportedMediaType(expected: "application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw Problem.payloadTooLarge(limit: bodyLimit)
        }
        if buffer.readableBytes == 0, let empty { return empty }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Problem.badRequest("the JSON body is not valid: \(summary(error))")
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The percent-decoded path parameter `name`.
    static func pathValue(_ name: String, _ context: RapportRequestContext) throws -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw Problem.notFound("there is nothing at this address")
        }
        return value
    }

    static func customer(_ context: RapportRequestContext) throws -> String {
        guard let raw = context.parameters.get("customer"), let id = CustomerID(percentEncoded: raw) else {
            throw Problem.notFound("no customer has this id; it is <source>:<store>:<external id>, percent-encoded")
        }
        return id.description
    }

    static func principal(_ context: RapportRequestContext) throws -> Principal {
        guard let principal = context.principal else { throw Problem.unauthorized() }
        return principal
    }

    /// Times in answers: ISO 8601 in UTC with milliseconds.
    static func text(_ timestamp: Timestamp?) -> String? {
        timestamp?.description
    }

    /// Accepts Unix milliseconds, a date (`2025-03-01`, midnight UTC) or an ISO 8601 date-time.
    static func timestamp(_ text: String) -> Timestamp? {
        if !text.isEmpty, text.allSatisfy(\.isNumber), let milliseconds = Int64(text) {
            return Timestamp(unixMilliseconds: milliseconds)
        }
        if let day = LocalDate.parse(text) { return Timestamp(unixMilliseconds: day * 86_400_000) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Timestamp(date) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map(Timestamp.init)
    }

    private static func summary(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the top level" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "the field \"\(key.stringValue)\" is missing\(parent)"
        case .valueNotFound(_, let context): return "\(path(context)) is null"
        case .typeMismatch(_, let context): return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context): return "\(path(context)) is not valid"
        @unknown default: return "it does not match the expected form"
        }
    }
}

/// Lets a request through when its principal holds any of `scopes`; 401 without a token, 403
/// naming the first scope otherwise.
struct RequireAnyScope<Context: AuthenticatedContext>: RouterMiddleware {
    let scopes: [Scope]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = context.principal else {
            throw Problem.unauthorized("this route needs a bearer token with one of the scopes " + scopes.map(\.rawValue).joined(separator: ", "))
        }
        guard scopes.contains(where: principal.has) else { throw Problem.forbidden(missing: scopes[0]) }
        return try await next(request, context)
    }
}

extension CaseError {
    /// 409 for a state that forbids the action, 400 for values the rules refuse.
    var problem: Problem {
        isConflict ? Problem.conflict(description) : Problem.badRequest(description)
    }
}
