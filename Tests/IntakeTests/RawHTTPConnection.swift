import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection for requests an HTTP client will not send, such as a body that stops
/// short of its `Content-Length`. Its calls block, so tests run it on a thread of its own.
final class RawHTTPConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw RawHTTPError("cannot connect to 127.0.0.1:\(port)")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let written = data.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw RawHTTPError("the server closed the connection while the request was sent") }
            sent += written
        }
    }

    /// Reads until the end of the response head; throws when nothing arrives within 10 seconds.
    func readHead() throws -> String {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.range(of: Data("\r\n\r\n".utf8)) == nil {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { throw RawHTTPError("no response head (read returned \(count))") }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Runs `body` on a new thread, so its blocking calls never hold a thread of Swift's pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
