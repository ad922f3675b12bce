import Foundation
import Logging
import Streams

extension RapportConfiguration {
    /// Reads the configuration of `service`. Every invalid value throws a ``ConfigurationError``
    /// naming the variable or rules key and the accepted form, so a bad deployment stops at
    /// start-up rather than misbehaving later. `RAPPORT_*` variables Rapport does not know are
    /// ignored, and blank values count as unset.
    public static func load(
        service: ServiceName,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RapportConfiguration {
        let env = EnvironmentReader(environment: environment)
        return RapportConfiguration(
            service: service,
            redis: try redisEndpoint(env),
            httpHost: try httpHost(env),
            httpPort: try env.int("RAPPORT_HTTP_PORT", default: service.defaultPort, in: 1...65535),
            partitions: try env.int("RAPPORT_PARTITIONS", default: 4, in: 1...1024),
            shopifySecrets: env.list("RAPPORT_SHOPIFY_SECRETS"),
            wooCommerceSecrets: env.list("RAPPORT_WOOCOMMERCE_SECRETS"),
            standardWebhookSecrets: env.list("RAPPORT_STANDARD_WEBHOOK_SECRETS"),
            adminToken: env.string("RAPPORT_ADMIN_TOKEN"),
            masterKeyring: try masterKeyring(env),
            maxDeliveries: try env.int("RAPPORT_MAX_DELIVERIES", default: 5, in: 1...1000),
            claimIdleSeconds: try env.int("RAPPORT_CLAIM_IDLE_SECONDS", default: 15, in: 1...86_400),
            logFormat: try env.choice("RAPPORT_LOG_FORMAT", default: .text, LogFormat.allCases.map { ($0.rawValue, $0) }),
            logLevel: try env.choice("RAPPORT_LOG_LEVEL", default: .info, Logger.Level.allCases.map { ($0.rawValue, $0) }),
            consumerName: env.string("RAPPORT_CONSUMER_NAME") ?? defaultConsumerName(),
            rules: try env.string("RAPPORT_CONFIG").map(RulesFile.load(path:)) ?? .builtIn
        )
    }

    private static func redisEndpoint(_ env: EnvironmentReader) throws -> RedisEndpoint {
        guard let url = env.string("RAPPORT_REDIS_URL") else { return RedisEndpoint() }
        do {
            return try RedisEndpoint(url: url)
        } catch {
            // The endpoint's message already names the variable and never repeats the URL.
            throw ConfigurationError.problem("RAPPORT_REDIS_URL", Self.dropPrefix("RAPPORT_REDIS_URL: ", of: "\(error)"))
        }
    }

    private static func httpHost(_ env: EnvironmentReader) throws -> String {
        guard let host = env.string("RAPPORT_HTTP_HOST") else { return "127.0.0.1" }
        guard !host.contains(where: \.isWhitespace), !host.contains("/") else {
            throw ConfigurationError.invalid(
                "RAPPORT_HTTP_HOST",
                expected: "a host name or IP address to listen on, such as 0.0.0.0 or 127.0.0.1",
                got: host
            )
        }
        return host
    }

    /// Host and process id: unique among replicas on one machine and across machines.
    private static func defaultConsumerName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    private static func dropPrefix(_ prefix: String, of text: String) -> String {
        text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }
}
