import Foundation
import Model
import ServiceSupport

/// Who an order belongs to when the platform names no customer account.
enum CustomerIdentity {
    /// A guest checkout: keyed by the SHA-256 of the trimmed, lower-cased e-mail, so the same
    /// guest is one customer across orders while the id itself holds no personal data.
    static func guest(source: String, store: String, email: String) -> CustomerID? {
        let normalised = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !normalised.isEmpty else { return nil }
        return CustomerID.guest(source: source, store: store, emailHash: SHA256Hex.of(normalised))
    }

    /// The account when the platform names one, else the guest by e-mail, else (no e-mail either,
    /// as at a till) a customer of this one order alone, so anonymous orders never pool into one
    /// customer's spend.
    static func owner(source: String, store: String, accountID: String?, email: String?, orderID: String) -> (CustomerID, guest: Bool) {
        if let accountID, !accountID.isEmpty {
            return (CustomerID(source: source, store: store, externalID: accountID), false)
        }
        if let email, let guest = guest(source: source, store: store, email: email) {
            return (guest, true)
        }
        return (CustomerID(source: source, store: store, externalID: "guest-order-\(orderID)"), true)
    }
}

/// Customer kind from a platform's tags or role: `enterprise`/`company`/`library`/`school` for
/// organisations, `dealer`/`wholesale`/`reseller` for resellers (REQUIREMENTS.md section 1).
enum CustomerKindTags {
    static func kind(of tags: [String]) -> CustomerKind {
        let lowered = tags.map { $0.lowercased() }
        if lowered.contains(where: { tag in ["dealer", "wholesale", "reseller"].contains { tag.contains($0) } }) {
            return .dealer
        }
        if lowered.contains(where: { tag in ["enterprise", "company", "library", "school"].contains { tag.contains($0) } }) {
            return .enterprise
        }
        return .individual
    }
}

/// Builds the sealed-to-be `personal` map of a customer, leaving out what the platform left empty.
struct PersonalFields {
    private(set) var values: [String: String] = [:]

    mutating func set(_ field: String, _ value: String?) {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return }
        values[field] = value
    }

    /// A postal address as sorted-key JSON of its non-empty parts, so consumers get the parts.
    mutating func setAddress(_ parts: [String: String?]) {
        var kept: [String: String] = [:]
        for (key, value) in parts {
            if let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { kept[key] = value }
        }
        guard !kept.isEmpty else { return }
        if let text = try? SortedJSONEncoder().encodeText(kept) { values["address"] = text }
    }
}
