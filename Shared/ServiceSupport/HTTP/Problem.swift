import Foundation
import Hummingbird

/// An HTTP error answered as RFC 9457 problem details (`application/problem+json`).
///
/// Throw it from a route or middleware and Hummingbird writes the response. `detail` is read
/// by API clients and may end up in their logs: say what was wrong with the request and how
/// to fix it, and never put personal data or secrets in it.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// URI naming the problem kind; `about:blank` means "see the status code".
    public var type: String
    /// Short summary of the problem kind, the same for every occurrence.
    public var title: String
    /// What went wrong with this request.
    public var detail: String?
    /// URI of this occurrence, if it has one.
    public var instance: String?
    /// Extension members, such as `missing_scope` or `retry_after_seconds`.
    public var extensions: [String: ProblemValue]
    /// Headers sent with the problem, such as `WWW-Authenticate` or `Retry-After`.
    public var headers: HTTPFields

    /// - Parameter title: defaults to the status' reason phrase ("Not Found").
    public init(
        status: HTTPResponse.Status,
        title: String? = nil,
        detail: String? = nil,
        type: String = "about:blank",
        instance: String? = nil,
        extensions: [String: ProblemValue] = [:],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.instance = instance
        self.extensions = extensions
        self.headers = headers
    }

    public static let mediaType = "application/problem+json"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try jsonBody()
        var headers = self.headers
        headers[.contentType] = Self.mediaType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The JSON document, keys sorted so the same problem always reads the same.
    public func jsonBody() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension Problem: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let standardMembers: Set<String> = ["type", "title", "status", "detail", "instance"]

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: Key("type"))
        try container.encode(title, forKey: Key("title"))
        try container.encode(status.code, forKey: Key("status"))
        try container.encodeIfPresent(detail, forKey: Key("detail"))
        try container.encodeIfPresent(instance, forKey: Key("instance"))
        // An extension cannot override a standard member: clients rely on their meaning.
        for (name, value) in extensions where !Self.standardMembers.contains(name) {
            try container.encode(value, forKey: Key(name))
        }
    }
}

extension Problem: CustomStringConvertible {
    /// Status, title and detail, for logs.
    public var description: String {
        "\(status.code) \(title)" + (detail.map { ": \($0)" } ?? "")
    }
}
