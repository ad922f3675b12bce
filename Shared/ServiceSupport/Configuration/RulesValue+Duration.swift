/// Durations in the rules file: a whole number with an optional unit, `30m`, `24h` or `14d`.
///
/// A bare number is read in the unit the accessor names (`durationHours` reads `24` as 24 hours,
/// `durationDays` reads `14` as 14 days), so the common case needs no suffix and a finer unit
/// is still possible (`90m`). Negative and fractional values are not accepted; write `90m`
/// rather than `1.5h`.
extension RulesValue {
    public func durationHours() throws -> Duration {
        try parse(expected: Self.durationForm(unit: "hours")) { Self.duration($0, bareUnitSeconds: 3600) }
    }

    public func durationHours(default defaultValue: Duration) throws -> Duration {
        try parse(expected: Self.durationForm(unit: "hours"), default: defaultValue) {
            Self.duration($0, bareUnitSeconds: 3600)
        }
    }

    public func durationDays() throws -> Duration {
        try parse(expected: Self.durationForm(unit: "days")) { Self.duration($0, bareUnitSeconds: 86400) }
    }

    public func durationDays(default defaultValue: Duration) throws -> Duration {
        try parse(expected: Self.durationForm(unit: "days"), default: defaultValue) {
            Self.duration($0, bareUnitSeconds: 86400)
        }
    }

    private static func durationForm(unit: String) -> String {
        "a whole number of \(unit), or a number with a unit like \"30m\", \"24h\" or \"14d\""
    }

    /// Up to a million units, which keeps every product inside `Int64` seconds.
    private static func duration(_ text: String, bareUnitSeconds: Int64) -> Duration? {
        let units: [Character: Int64] = ["m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var unitSeconds = bareUnitSeconds
        if let last = text.last, let seconds = units[last] {
            unitSeconds = seconds
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ ("0"..."9").contains($0) }),
              let count = Int64(digits), count <= 1_000_000
        else { return nil }
        return .seconds(count * unitSeconds)
    }
}
