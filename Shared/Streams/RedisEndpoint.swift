import Foundation

/// Where a service finds its Redis: host, port, credentials and database index.
///
/// Read from `RAPPORT_REDIS_URL` in the form `redis://[[user]:password@]host[:port][/db]`.
/// The password never leaves this value in text: `description` and the mirror show `***`
/// instead, so an endpoint can be logged as it is.
public struct RedisEndpoint: Sendable, Hashable {
    /// Host name, IPv4 address or IPv6 address (without brackets).
    public var host: String
    /// TCP port, 1...65535.
    public var port: Int
    /// ACL user name (Redis 6+); `nil` authenticates as the default user.
    public var username: String?
    /// Password sent with `AUTH`; `nil` when Redis has no password.
    public var password: String?
    /// Database index selected after connecting, 0...15.
    public var database: Int

    /// Redis databases a stock `redis.conf` offers (`databases 16`).
    public static let databases = 0...15

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    ///
    /// User and password are percent-decoded, so a password holding `@`, `:` or `/` is written
    /// `%40`, `%3A`, `%2F`. An IPv6 host is written in brackets: `redis://[::1]:6379`.
    /// Errors never repeat any part of the URL, because any part of a mistyped URL may be the password.
    public init(url: String) throws {
        let text = url.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = text.range(of: "://") else { throw RedisEndpointError(.missingScheme) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw RedisEndpointError(scheme == "rediss" ? .tlsScheme : .unsupportedScheme)
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if rest.contains("?") || rest.contains("#") { throw RedisEndpointError(.queryOrFragment) }

        // The last "@" ends the credentials: an unencoded "@" or "/" in a password still parses.
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = credentials.firstIndex(of: ":") else {
                throw RedisEndpointError(.credentialsWithoutPassword)
            }
            guard let user = String(credentials[..<colon]).removingPercentEncoding,
                  let secret = String(credentials[credentials.index(after: colon)...]).removingPercentEncoding
            else { throw RedisEndpointError(.badPercentEncoding) }
            if !user.isEmpty && secret.isEmpty { throw RedisEndpointError(.credentialsWithoutPassword) }
            username = user.isEmpty ? nil : user
            password = secret.isEmpty ? nil : secret
        } else {
            username = nil
            password = nil
        }

        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            database = try Self.parseDatabase(rest[rest.index(after: slash)...])
        } else {
            authority = rest
            database = 0
        }
        (host, port) = try Self.parseHostAndPort(authority)
    }

    private static func parseHostAndPort(_ authority: Substring) throws -> (String, Int) {
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw RedisEndpointError(.badIPv6) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if afterHost.isEmpty {
                portText = nil
            } else if afterHost.hasPrefix(":") {
                portText = afterHost.dropFirst()
            } else {
                throw RedisEndpointError(.badIPv6)
            }
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw RedisEndpointError(.badIPv6)
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw RedisEndpointError(.bareIPv6) }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
                throw RedisEndpointError(.badHost)
            }
        }
        guard !host.isEmpty else { throw RedisEndpointError(.missingHost) }

        guard let portText else { return (String(host), 6379) }
        guard portText.count <= 5, portText.allSatisfy(\.isASCIIDigitCharacter), let port = Int(portText),
              (1...65535).contains(port)
        else { throw RedisEndpointError(.badPort) }
        return (String(host), port)
    }

    private static func parseDatabase(_ path: Substring) throws -> Int {
        if path.isEmpty { return 0 }
        guard path.count <= 2, path.allSatisfy(\.isASCIIDigitCharacter), let index = Int(path),
              databases.contains(index)
        else { throw RedisEndpointError(.badDatabase) }
        return index
    }
}

extension RedisEndpoint: CustomStringConvertible {
    /// The URL with the password replaced by `***`.
    public var description: String {
        var text = "redis://"
        if username != nil || password != nil {
            text += (username ?? "") + (password == nil ? "" : ":***") + "@"
        }
        text += host.contains(":") ? "[\(host)]" : host
        return text + ":\(port)/\(database)"
    }
}

extension RedisEndpoint: CustomReflectable {
    /// Keeps the password out of `dump` and debugger output too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "username": username as Any,
                "password": password == nil ? "nil" : "***", "database": database,
            ],
            displayStyle: .struct
        )
    }
}

/// `RAPPORT_REDIS_URL` could not be read; the message says what to fix and never repeats the URL.
public struct RedisEndpointError: Error, Hashable, CustomStringConvertible {
    fileprivate enum Reason: Hashable {
        case missingScheme, unsupportedScheme, tlsScheme, queryOrFragment
        case credentialsWithoutPassword, badPercentEncoding
        case missingHost, badHost, badIPv6, bareIPv6, badPort, badDatabase
    }

    fileprivate let reason: Reason

    fileprivate init(_ reason: Reason) {
        self.reason = reason
    }

    static let expectedForm = "expected redis://[[user]:password@]host[:port][/db], for example redis://:secret@redis.internal:6379/0"

    public var description: String {
        let problem: String
        switch reason {
        case .missingScheme: problem = "the URL must start with redis://"
        case .unsupportedScheme: problem = "the scheme must be redis://"
        case .tlsScheme: problem = "rediss:// (TLS) is not supported; run Redis on a private network and use redis://"
        case .queryOrFragment: problem = "query parameters and fragments are not supported"
        case .credentialsWithoutPassword: problem = "credentials need a password after a colon (redis://user:password@host or redis://:password@host)"
        case .badPercentEncoding: problem = "the user or password has an invalid percent-encoding (write @ as %40, : as %3A, / as %2F, % as %25)"
        case .missingHost: problem = "the host is missing"
        case .badHost: problem = "the host may hold only letters, digits, '.', '-' and '_'"
        case .badIPv6: problem = "an IPv6 host must be a bracketed address such as [::1], optionally followed by :port"
        case .bareIPv6: problem = "an IPv6 host must be written in brackets, for example redis://[::1]:6379"
        case .badPort: problem = "the port must be a number from 1 to 65535"
        case .badDatabase: problem = "the database must be a number from \(RedisEndpoint.databases.lowerBound) to \(RedisEndpoint.databases.upperBound) after the slash"
        }
        return "RAPPORT_REDIS_URL: \(problem); \(Self.expectedForm)"
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
