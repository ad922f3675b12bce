import Foundation
import Hummingbird
import NIOCore
import ServiceSupport

/// Reads a request body up to a limit. A declared `Content-Length` over the limit is refused
/// before a byte of the body is read; a chunked body is read only until it passes the limit.
/// Either way the 413 goes out while the client may still be sending.
struct BodyLimit: Sendable {
    let maxBytes: Int

    func read(_ request: Request) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw Problem.payloadTooLarge(limit: maxBytes)
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: maxBytes)
        }
    }
}

/// The media type of a request, without parameters, lower-cased: `application/json`.
enum MediaType {
    static let json = "application/json"
    static let form = "application/x-www-form-urlencoded"

    static func of(_ request: Request) -> String? {
        guard let value = request.headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingBlanks().lowercased()
    }

    /// 415 unless the request says its body is JSON.
    static func requireJSON(_ request: Request) throws {
        guard of(request) == json else { throw Problem.unsupportedMediaType(expected: json) }
    }
}
