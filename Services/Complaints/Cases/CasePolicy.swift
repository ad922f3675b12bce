import Model
import ServiceSupport

/// Everything configurable about how cases are handled, read once at start-up from the
/// `complaints` section of the rules file (a bad value stops start-up naming its key).
struct CasePolicy: Sendable, Hashable {
    var sla: SLAPolicy
    var priority: PriorityRules
    /// The escalation ladder from the first owner level to the top.
    var escalationLevels: [String]
    /// How long after a resolution the revisit is due.
    var followUpDelay: Duration
    /// A rating at or below this reopens the case.
    var reopenAtOrBelow: Int

    static let standard = CasePolicy(
        sla: .standard, priority: .standard,
        escalationLevels: ["agent", "team_lead", "manager", "director"],
        followUpDelay: .seconds(3 * 86_400), reopenAtOrBelow: 2)

    var topLevel: Int { escalationLevels.count - 1 }

    func levelName(_ level: Int) -> String {
        escalationLevels[min(max(0, level), topLevel)]
    }

    static let knownKeys: Set<String> = [
        "sla", "warning_percent", "business_hours", "holidays", "escalation_levels", "urgent_categories",
        "urgent_keywords", "priority_tiers", "urgent_tiers", "follow_up_days", "reopen_rating",
    ]

    init(sla: SLAPolicy, priority: PriorityRules, escalationLevels: [String], followUpDelay: Duration, reopenAtOrBelow: Int) {
        self.sla = sla
        self.priority = priority
        self.escalationLevels = escalationLevels
        self.followUpDelay = followUpDelay
        self.reopenAtOrBelow = reopenAtOrBelow
    }

    /// Reads the `complaints` section of `rules`.
    init(rules: RulesFile) throws {
        let section = rules["complaints"]
        try section.requireKnownKeys(Self.knownKeys)
        sla = try SLAPolicy(rules: section)
        priority = try PriorityRules(rules: section)
        let levels = section["escalation_levels"]
        if levels.exists {
            escalationLevels = try levels.list().map { try $0.string() }
            guard !escalationLevels.isEmpty else { throw levels.invalid("name at least one level") }
            guard Set(escalationLevels).count == escalationLevels.count else { throw levels.invalid("each level may appear once") }
        } else {
            escalationLevels = Self.standard.escalationLevels
        }
        followUpDelay = try section["follow_up_days"].durationDays(default: Self.standard.followUpDelay)
        reopenAtOrBelow = try section["reopen_rating"].int(default: 2, in: 1...4)
    }
}
