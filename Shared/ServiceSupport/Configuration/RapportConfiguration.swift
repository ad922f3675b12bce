import Logging
import Streams

/// Everything that differs between deployments of a service, read once at start-up from
/// `RAPPORT_*` environment variables and the rules file (see ``load(service:environment:)``).
///
/// `description` lists the settings with every secret masked, so a service may log it at start.
public struct RapportConfiguration: Sendable {
    public var service: ServiceName
    /// `RAPPORT_REDIS_URL`.
    public var redis: RedisEndpoint
    /// `RAPPORT_HTTP_HOST`.
    public var httpHost: String
    /// `RAPPORT_HTTP_PORT`; defaults to the service's own port.
    public var httpPort: Int
    /// `RAPPORT_PARTITIONS`: fixed for a deployment, since it decides where every key lives.
    public var partitions: Int
    /// `RAPPORT_SHOPIFY_SECRETS`: any one verifies, so a secret can rotate without downtime.
    public var shopifySecrets: [String]
    /// `RAPPORT_WOOCOMMERCE_SECRETS`.
    public var wooCommerceSecrets: [String]
    /// `RAPPORT_STANDARD_WEBHOOK_SECRETS` (`whsec_...`).
    public var standardWebhookSecrets: [String]
    /// `RAPPORT_ADMIN_TOKEN`: a bearer token with every scope, for local runs and tests.
    public var adminToken: String?
    /// `RAPPORT_MASTER_KEY`, `RAPPORT_MASTER_KEY_ID`, `RAPPORT_RETIRED_MASTER_KEYS`; `nil` when
    /// no master key is configured.
    public var masterKeyring: MasterKeyring?
    /// `RAPPORT_MAX_DELIVERIES`: deliveries of a failing entry before it is dead-lettered.
    public var maxDeliveries: Int
    /// `RAPPORT_CLAIM_IDLE_SECONDS`: how long an entry may stay unacknowledged with a replica
    /// before another replica takes it over. Shorter recovers a crashed replica's entries
    /// sooner; it must stay well above the time one batch takes, or healthy replicas steal
    /// each other's work.
    public var claimIdleSeconds: Int
    /// `RAPPORT_LOG_FORMAT`.
    public var logFormat: LogFormat
    /// `RAPPORT_LOG_LEVEL`.
    public var logLevel: Logger.Level
    /// `RAPPORT_CONSUMER_NAME`: this replica's name in its consumer group; must differ between
    /// replicas and stay the same across a restart to pick up its own pending entries.
    public var consumerName: String
    /// The rules file named by `RAPPORT_CONFIG`, or the built-in rules.
    public var rules: RulesFile
}

extension RapportConfiguration: CustomStringConvertible {
    /// Settings for a start-up log line; secrets show only whether and how many are set.
    public var description: String {
        let keys = masterKeyring.map { ring in
            ([ring.current.id + " (current)"] + ring.retired.map { $0.id + " (retired)" }).joined(separator: ", ")
        } ?? "none"
        return [
            "service=\(service.rawValue)",
            "redis=\(redis)",
            "http=\(httpHost):\(httpPort)",
            "partitions=\(partitions)",
            "shopify_secrets=\(shopifySecrets.count)",
            "woocommerce_secrets=\(wooCommerceSecrets.count)",
            "standard_webhook_secrets=\(standardWebhookSecrets.count)",
            "admin_token=\(adminToken == nil ? "unset" : "set")",
            "master_keys=[\(keys)]",
            "max_deliveries=\(maxDeliveries)",
            "claim_idle=\(claimIdleSeconds)s",
            "log=\(logFormat.rawValue)/\(logLevel.rawValue)",
            "consumer=\(consumerName)",
            "rules=\(rules.path ?? "built-in")",
            "tokens=\(rules.tokens.count)",
        ].joined(separator: " ")
    }
}

extension RapportConfiguration: CustomReflectable {
    /// Keeps secrets out of `dump` and debugger output: reflection shows the masked summary.
    public var customMirror: Mirror {
        Mirror(self, children: ["summary": description], displayStyle: .struct)
    }
}
