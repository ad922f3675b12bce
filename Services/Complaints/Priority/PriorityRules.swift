import Foundation
import Model
import ServiceSupport

/// Decides a new case's priority from its category, the words of the complaint and the tier
/// the customer last had on the `customers` stream, and flags high-tier customers for priority
/// handling (REQUIREMENTS.md section 4).
struct PriorityRules: Sendable, Hashable {
    /// Categories that are always urgent (compared case-insensitively).
    var urgentCategories: Set<String>
    /// Words or phrases that make a complaint urgent when its text or demand contains them
    /// (case-insensitive). They are matched on the opened text inside the handler only.
    var urgentKeywords: [String]
    /// Tiers whose customers get priority handling.
    var priorityTiers: Set<String>
    /// Tiers whose complaints are urgent outright; none by default.
    var urgentTiers: Set<String>

    static let standard = PriorityRules(
        urgentCategories: ["safety", "health", "legal", "fraud"],
        urgentKeywords: [
            "injury", "injured", "fire", "smoke", "poison", "allergic", "lawyer", "lawsuit", "police", "journalist",
            "受伤", "起火", "冒烟", "中毒", "过敏", "律师", "起诉", "报警", "媒体", "曝光", "消协",
        ],
        priorityTiers: ["A", "Diamond", "Gold"],
        urgentTiers: [])

    /// Why a case got its priority, recorded on the case (never the matched words themselves).
    struct Decision: Sendable, Hashable {
        var priority: ComplaintPriority
        var reasons: [String]
        var priorityHandling: Bool
    }

    /// - Parameters:
    ///   - words: the complaint's opened text and demand; empty when they cannot be read.
    ///   - requested: an agent's explicit priority, which wins when urgent.
    func decide(category: String, words: [String], tier: String?, requested: ComplaintPriority? = nil) -> Decision {
        var reasons: [String] = []
        if requested == .urgent { reasons.append("agent") }
        if urgentCategories.contains(category.lowercased()) { reasons.append("category") }
        if containsKeyword(words) { reasons.append("keyword") }
        if let tier, urgentTiers.contains(tier) { reasons.append("tier") }
        let handling = tier.map(priorityTiers.contains) ?? false
        return Decision(priority: reasons.isEmpty ? .normal : .urgent, reasons: reasons, priorityHandling: handling)
    }

    private func containsKeyword(_ words: [String]) -> Bool {
        guard !urgentKeywords.isEmpty else { return false }
        for text in words where !text.isEmpty {
            let lowered = text.lowercased()
            if urgentKeywords.contains(where: { lowered.contains($0) }) { return true }
        }
        return false
    }
}

extension PriorityRules {
    /// Reads `complaints.urgent_categories`, `complaints.urgent_keywords`,
    /// `complaints.priority_tiers` and `complaints.urgent_tiers`; an absent list keeps its default,
    /// an empty one (`[]`) switches the rule off.
    init(rules section: RulesValue) throws {
        func strings(_ key: String, _ fallback: [String], lowercased: Bool) throws -> [String] {
            let value = section[key]
            guard value.exists else { return fallback }
            return try value.list().map { item in
                let text = try item.string().trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { throw item.invalid("an empty entry matches everything; remove it") }
                return lowercased ? text.lowercased() : text
            }
        }
        let standard = Self.standard
        urgentCategories = Set(try strings("urgent_categories", Array(standard.urgentCategories), lowercased: true))
        urgentKeywords = try strings("urgent_keywords", standard.urgentKeywords, lowercased: true)
        priorityTiers = Set(try strings("priority_tiers", Array(standard.priorityTiers), lowercased: false))
        urgentTiers = Set(try strings("urgent_tiers", Array(standard.urgentTiers), lowercased: false))
    }
}
