import AsyncHTTPClient
import Foundation
import Hummingbird
import Model
import NIOPosix
import ServiceSupport
import Streams

/// Notifications assembled from the shared runtime: settings, templates, channels, the handler
/// that decides, the worker that sends, and the routes. `main` and the tests build it the same way.
struct NotificationsApp: Sendable {
    let runtime: ServiceRuntime
    let settings: NotificationSettings
    let handler: NotificationsHandler
    let worker: DeliveryWorker
    let links: UnsubscribeLinks

    /// - Parameter channels: replaces the configured channels (tests, the benchmark).
    init(runtime: ServiceRuntime, settings: NotificationSettings? = nil, channels: [ChannelKind: any DeliveryChannel]? = nil) throws {
        guard let keyring = runtime.configuration.masterKeyring else { throw NotificationsStartError.noMasterKey }
        let settings = try settings ?? NotificationSettings(rules: runtime.configuration.rules)
        let customerKeys = CustomerKeys(keyring: keyring, partitioning: runtime.partitioning)
        let links = UnsubscribeLinks(key: keyring.derivedKey(info: "rapport-unsubscribe"), baseURL: settings.publicURL)
        self.runtime = runtime
        self.settings = settings
        self.links = links
        self.handler = NotificationsHandler(settings: settings, customerKeys: customerKeys)
        self.worker = DeliveryWorker(.init(
            redis: runtime.redis, partitioning: runtime.partitioning, clock: runtime.clock, settings: settings,
            customerKeys: customerKeys, templates: try TemplateBook(overrides: settings.templatesDirectory), links: links,
            channels: try channels ?? Self.configuredChannels(settings), consumer: runtime.configuration.consumerName,
            shopName: try runtime.configuration.rules["notifications"]["shop_name"].string(default: "Rapport"),
            logger: runtime.logger))
    }

    static func configuredChannels(_ settings: NotificationSettings) throws -> [ChannelKind: any DeliveryChannel] {
        var channels: [ChannelKind: any DeliveryChannel] = [:]
        if let smtp = settings.smtp {
            channels[.email] = SMTPChannel(
                url: smtp.url, from: smtp.from, username: smtp.username, password: smtp.password, threadPool: .singleton)
        }
        if let sms = settings.sms {
            channels[.sms] = HTTPProviderChannel(url: sms.url, token: sms.token, client: .shared)
        }
        if let webhook = settings.webhook {
            guard let signer = WebhookSigner(secret: webhook.secret) else { throw NotificationsStartError.badWebhookSecret }
            channels[.webhook] = WebhookChannel(url: webhook.url, signer: signer, client: .shared)
        }
        return channels
    }

    func registerRoutes(on router: Router<RapportRequestContext>) {
        NotificationRoutes(app: self).register(on: router)
    }
}

/// Why notifications refuses to start.
struct NotificationsStartError: Error, CustomStringConvertible {
    private enum Kind { case noMasterKey, badWebhookSecret }
    private let kind: Kind
    static let noMasterKey = NotificationsStartError(kind: .noMasterKey)
    static let badWebhookSecret = NotificationsStartError(kind: .badWebhookSecret)

    var description: String {
        switch kind {
        case .noMasterKey:
            return "RAPPORT_MASTER_KEY is not set: notifications keeps contact details sealed and cannot start without it"
        case .badWebhookSecret:
            return "notifications.webhook.secret_env: the secret must be whsec_ followed by base64"
        }
    }
}
