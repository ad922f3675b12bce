import Foundation

extension RapportConfiguration {
    /// `RAPPORT_MASTER_KEY` (base64 of 32 bytes) named `RAPPORT_MASTER_KEY_ID` (default `k1`),
    /// plus `RAPPORT_RETIRED_MASTER_KEYS` as `id:base64,id:base64` for keys that only unwrap.
    /// Key material never appears in an error; key ids do, since they are names.
    static func masterKeyring(_ env: EnvironmentReader) throws -> MasterKeyring? {
        let retiredEntries = env.list("RAPPORT_RETIRED_MASTER_KEYS")
        guard let base64 = env.string("RAPPORT_MASTER_KEY") else {
            if env.string("RAPPORT_MASTER_KEY_ID") != nil || !retiredEntries.isEmpty {
                throw ConfigurationError.problem(
                    "RAPPORT_MASTER_KEY",
                    "not set, but RAPPORT_MASTER_KEY_ID or RAPPORT_RETIRED_MASTER_KEYS is; set the current key as base64 of 32 bytes (`openssl rand -base64 32`)"
                )
            }
            return nil
        }
        let id = try keyID(env.string("RAPPORT_MASTER_KEY_ID") ?? "k1", variable: "RAPPORT_MASTER_KEY_ID")
        let current = try masterKey(id: id, base64: base64, variable: "RAPPORT_MASTER_KEY")

        var retired: [MasterKey] = []
        for (index, entry) in retiredEntries.enumerated() {
            let label = "RAPPORT_RETIRED_MASTER_KEYS"
            guard let colon = entry.firstIndex(of: ":") else {
                throw ConfigurationError.invalid(
                    label,
                    expected: "id:base64 entries separated by commas (entry \(index + 1) has no colon)",
                    got: nil
                )
            }
            let retiredID = try keyID(String(entry[..<colon]), variable: label)
            if retiredID == current.id || retired.contains(where: { $0.id == retiredID }) {
                throw ConfigurationError.problem(label, "the key id '\(retiredID)' is given twice; every master key needs its own id")
            }
            let key = try masterKey(id: retiredID, base64: String(entry[entry.index(after: colon)...]), variable: label)
            retired.append(key)
        }
        return MasterKeyring(current: current, retired: retired)
    }

    private static func keyID(_ id: String, variable: String) throws -> String {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard MasterKey.isValidID(trimmed) else {
            throw ConfigurationError.invalid(
                variable,
                expected: "a key id of 1 to 32 letters, digits, '.', '-' or '_', such as k1",
                got: nil
            )
        }
        return trimmed
    }

    private static func masterKey(id: String, base64: String, variable: String) throws -> MasterKey {
        do {
            return try MasterKey(id: id, base64: base64)
        } catch {
            throw ConfigurationError.problem(variable, "master key '\(id)': \(error)")
        }
    }
}
