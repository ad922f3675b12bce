import CCurl
import Foundation
import NIOPosix

/// E-mail over SMTP through libcurl, upgrading with STARTTLS when the server offers it
/// (`smtps://` URLs use implicit TLS). libcurl blocks, so each send runs on the channel's own
/// thread pool, never on Swift's cooperative pool.
///
/// SMTP reply classes decide retries: a 4xx reply (mailbox busy, greylisting) or no reply at all
/// (connection refused, timeout) is temporary; a 5xx reply (no such mailbox) is final.
struct SMTPChannel: DeliveryChannel {
    let url: String
    let from: String
    let username: String?
    let password: String?
    let threadPool: NIOThreadPool
    var timeoutSeconds = 30

    /// libcurl's global state must be set up once before any thread uses it.
    private static let globalInit: Void = { _ = rapport_curl_global_init() }()

    init(url: String, from: String, username: String?, password: String?, threadPool: NIOThreadPool) {
        _ = Self.globalInit
        self.url = url
        self.from = from
        self.username = username
        self.password = password
        self.threadPool = threadPool
    }

    func send(_ message: RenderedMessage) async throws -> DeliveryResult {
        guard let recipient = message.recipient else { throw DeliveryError.permanent("no e-mail address on file") }
        let payload = MIMEMessage(from: from, to: recipient, message: message).bytes
        let (url, from, username, password, timeout) = (url, from, username, password, timeoutSeconds)
        return try await threadPool.runIfActive {
            try Self.perform(url: url, from: from, to: recipient, payload: payload,
                             username: username, password: password, timeoutSeconds: timeout)
        }
    }

    private static func perform(
        url: String, from: String, to: String, payload: [UInt8], username: String?, password: String?, timeoutSeconds: Int
    ) throws -> DeliveryResult {
        guard let curl = curl_easy_init() else { throw DeliveryError.retryable("libcurl could not start a session") }
        defer { curl_easy_cleanup(curl) }
        let source = Unmanaged.passRetained(PayloadSource(payload))
        defer { source.release() }
        guard let recipients = curl_slist_append(nil, "<\(to)>") else {
            throw DeliveryError.retryable("libcurl could not allocate the recipient list")
        }
        defer { curl_slist_free_all(recipients) }

        _ = rapport_curl_set_string(curl, CURLOPT_URL, url)
        _ = rapport_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
        _ = rapport_curl_set_list(curl, CURLOPT_MAIL_RCPT, recipients)
        _ = rapport_curl_set_long(curl, CURLOPT_UPLOAD, 1)
        _ = rapport_curl_set_read_function(curl, readPayload)
        _ = rapport_curl_set_pointer(curl, CURLOPT_READDATA, source.toOpaque())
        _ = rapport_curl_set_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        _ = rapport_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = rapport_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 10)
        _ = rapport_curl_set_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
        if let username { _ = rapport_curl_set_string(curl, CURLOPT_USERNAME, username) }
        if let password { _ = rapport_curl_set_string(curl, CURLOPT_PASSWORD, password) }

        let code = curl_easy_perform(curl)
        var reply = 0
        _ = rapport_curl_response_code(curl, &reply)
        if code == CURLE_OK { return DeliveryResult(detail: "SMTP \(reply)") }
        let detail = "SMTP \(reply == 0 ? "no reply" : String(reply)): \(String(cString: curl_easy_strerror(code)))"
        if code == CURLE_LOGIN_DENIED || code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL
            || (500..<600).contains(reply) {
            throw DeliveryError.permanent(detail)
        }
        throw DeliveryError.retryable(detail)
    }
}

/// The bytes libcurl uploads, handed out in the chunks its read callback asks for.
/// Used by one transfer on one thread only.
private final class PayloadSource {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

private let readPayload: rapport_curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let source = Unmanaged<PayloadSource>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBufferPointer { all in
        UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}

/// An RFC 5322 message: plain text and, when there is one, HTML as multipart/alternative,
/// UTF-8 throughout (base64 bodies, RFC 2047 subject) so Chinese text survives any relay.
struct MIMEMessage {
    let bytes: [UInt8]

    init(from: String, to: String, message: RenderedMessage) {
        let boundary = "rapport-\(message.deliveryID)"
        var lines = [
            "From: \(from)",
            "To: \(to)",
            "Subject: =?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?=",
            "Date: \(Self.date(message.sentAt.date))",
            "Message-ID: <\(message.deliveryID)@rapport>",
            "MIME-Version: 1.0",
        ]
        if let unsubscribe = message.unsubscribeURL {
            lines.append("List-Unsubscribe: <\(unsubscribe)>")
        }
        if let html = message.html {
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines += ["--\(boundary)"] + Self.part("text/plain", message.text)
            lines += ["--\(boundary)"] + Self.part("text/html", html)
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part("text/plain", message.text)
        }
        bytes = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func part(_ type: String, _ body: String) -> [String] {
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: base64", "", encoded]
    }

    private static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
