import Foundation
import Model
import ServiceSupport

/// The `notifications.*` rules: channels, care calendar, quiet hours and retries. Every value has
/// a built-in default, so the service starts with no rules file; a bad value stops start-up with
/// the dotted path of the key.
struct NotificationSettings: Sendable {
    struct SMTP: Sendable {
        var url: String
        var from: String
        var username: String?
        var password: String?
    }

    struct HTTPProvider: Sendable {
        var url: String
        var token: String?
    }

    struct Webhook: Sendable {
        var url: String
        /// `whsec_<base64>` as Standard Webhooks prescribes.
        var secret: String
    }

    struct Holiday: Sendable, Hashable {
        var name: String
        /// Local calendar date `yyyy-MM-dd`.
        var date: String
        var purpose: String
    }

    var smtp: SMTP?
    var sms: HTTPProvider?
    var webhook: Webhook?
    var birthdayHour = 9
    var quietHours = QuietHours(startMinute: 21 * 60, endMinute: 9 * 60)
    var defaultTimeZone = "Asia/Shanghai"
    var holidays: [Holiday] = []
    var cadence = RevisitCadence()
    /// Send the customer a message on each revisit too, not only the account-manager task.
    var revisitMessage = false
    var templatesDirectory: String?
    /// Base of links in messages (`/v1/unsubscribe`): the public address of this service.
    var publicURL = "http://127.0.0.1:8084"
    var retry = RetryPolicy()
    /// How long an unsubscribe link stays valid.
    var unsubscribeLinkLifetime: Duration = .seconds(365 * 86400)

    /// The channels that are configured, which are the only ones a message is queued for.
    var channels: [ChannelKind] {
        var kinds: [ChannelKind] = []
        if smtp != nil { kinds.append(.email) }
        if sms != nil { kinds.append(.sms) }
        if webhook != nil { kinds.append(.webhook) }
        return kinds
    }

    init() {}

    /// Reads `notifications.*`; secrets are read from the environment variables the rules name.
    init(rules: RulesFile, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let section = rules["notifications"]
        let smtp = section["smtp"]
        if smtp.exists {
            self.smtp = SMTP(
                url: try smtp["url"].string(),
                from: try smtp["from"].string(),
                username: smtp["username"].exists ? try smtp["username"].string() : nil,
                password: try Self.secret(smtp["password_env"], environment))
        }
        let sms = section["sms"]
        if sms.exists {
            self.sms = HTTPProvider(url: try sms["url"].string(), token: try Self.secret(sms["token_env"], environment))
        }
        let webhook = section["webhook"]
        if webhook.exists {
            guard let secret = try Self.secret(webhook["secret_env"], environment), secret.hasPrefix("whsec_") else {
                throw webhook["secret_env"].invalid("name an environment variable holding a whsec_<base64> secret")
            }
            self.webhook = Webhook(url: try webhook["url"].string(), secret: secret)
        }
        birthdayHour = try section["birthday_hour"].int(default: 9, in: 0...23)
        let quiet = section["quiet_hours"]
        quietHours = QuietHours(
            startMinute: try Self.clock(quiet["start"], default: "21:00"),
            endMinute: try Self.clock(quiet["end"], default: "09:00"))
        defaultTimeZone = try section["default_time_zone"].string(default: "Asia/Shanghai")
        guard TimeZone(identifier: defaultTimeZone) != nil else {
            throw section["default_time_zone"].invalid("an IANA time zone such as Asia/Shanghai")
        }
        if section["holidays"].exists {
            holidays = try section["holidays"].list().map { item in
                let date = try item["date"].string()
                // A date without a year would fall in year 0 and never come: the year is required.
                guard let parsed = LocalCalendar.parseDate(date), parsed.year > 0 else {
                    throw item["date"].invalid("a date with its year, yyyy-MM-dd")
                }
                let name = try item["name"].string()
                return Holiday(name: name, date: date, purpose: try item["purpose"].string(default: "holiday"))
            }
        }
        let cadence = section["cadence_days"]
        self.cadence = RevisitCadence(
            days: [
                "A": try cadence["A"].int(default: 30, in: 1...3660),
                "B": try cadence["B"].int(default: 91, in: 1...3660),
                "C": try cadence["C"].int(default: 182, in: 1...3660),
            ],
            newCustomerDays: try cadence["new"].int(default: 14, in: 1...3660),
            newCustomerPeriodDays: try cadence["new_for_days"].int(default: 90, in: 0...3660),
            otherTierDays: try cadence["other"].int(default: 182, in: 1...3660))
        revisitMessage = try section["revisit_message"].bool(default: false)
        templatesDirectory = section["templates_dir"].exists ? try section["templates_dir"].string() : nil
        publicURL = try section["public_url"].string(default: "http://127.0.0.1:8084")
        let retry = section["retry"]
        self.retry = RetryPolicy(
            maxAttempts: try retry["max_attempts"].int(default: 5, in: 1...50),
            base: .milliseconds(Int64(try retry["base_ms"].int(default: 30_000, in: 1...86_400_000))),
            cap: .milliseconds(Int64(try retry["cap_ms"].int(default: 3_600_000, in: 1...604_800_000))))
    }

    private static func secret(_ value: RulesValue, _ environment: [String: String]) throws -> String? {
        guard value.exists else { return nil }
        let name = try value.string()
        guard let secret = environment[name], !secret.isEmpty else {
            throw value.invalid("the environment variable \(name) is not set")
        }
        return secret
    }

    private static func clock(_ value: RulesValue, default defaultValue: String) throws -> Int {
        let text = try value.string(default: defaultValue)
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute)
        else { throw value.invalid("a local time HH:MM") }
        return hour * 60 + minute
    }
}
