import Crypto
import Foundation
import Model

/// Signed unsubscribe links for marketing e-mail: `GET /v1/unsubscribe?c=&ch=&exp=&sig=`, where
/// `sig` is the base64url HMAC-SHA256 of "customer\nchannel\nexp" under a key derived from the
/// master key (HKDF, info "rapport-unsubscribe"). The link works without a token; only the
/// signature proves it was ours, and it expires.
///
/// `@unchecked Sendable` because swift-crypto's `SymmetricKey` is not annotated; the key is set
/// once at creation and only read after.
struct UnsubscribeLinks: @unchecked Sendable {
    private let key: SymmetricKey
    let baseURL: String

    init(key: SymmetricKey, baseURL: String) {
        self.key = key
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    func url(customer: String, channel: ChannelKind, expires: Timestamp) -> String {
        let exp = expires.unixMilliseconds / 1000
        let sig = signature(customer: customer, channel: channel.rawValue, exp: exp)
        return "\(baseURL)/v1/unsubscribe?c=\(Self.escape(customer))&ch=\(channel.rawValue)&exp=\(exp)&sig=\(sig)"
    }

    /// True when `sig` is ours for these values and `exp` has not passed.
    func verify(customer: String, channel: String, exp: Int64, sig: String, now: Timestamp) -> Bool {
        guard exp * 1000 >= now.unixMilliseconds, let given = Self.base64URLDecode(sig) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Data(message(customer, channel, exp).utf8), using: key)
    }

    private func message(_ customer: String, _ channel: String, _ exp: Int64) -> String { "\(customer)\n\(channel)\n\(exp)" }

    private func signature(customer: String, channel: String, exp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message(customer, channel, exp).utf8), using: key)
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
