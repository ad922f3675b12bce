/// Exact statistics for the reports: nearest-rank percentiles over integer milliseconds and
/// ratios kept as numerator and denominator, formatted to two decimals only for display.
enum Figures {
    /// The nearest-rank percentile (`percent` of 1...100) of `values`: the smallest value with
    /// at least `percent`% of the values at or below it. nil for no values.
    static func percentile(_ percent: Int, of values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = (percent * sorted.count + 99) / 100
        return sorted[max(1, rank) - 1]
    }

    /// `numerator / denominator` rounded half up to `places` decimals, as text (`"0.25"`); nil
    /// when the denominator is zero.
    static func decimal(_ numerator: Int64, over denominator: Int64, places: Int = 2) -> String? {
        guard denominator > 0 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let negative = (numerator < 0) != (denominator < 0)
        let (n, d) = (numerator.magnitude, denominator.magnitude)
        let scaled = (n * UInt64(scale) * 2 + d) / (d * 2)
        let whole = scaled / UInt64(scale)
        let fraction = String(scaled % UInt64(scale))
        let padded = String(repeating: "0", count: places - fraction.count) + fraction
        return (negative && scaled > 0 ? "-" : "") + (places > 0 ? "\(whole).\(padded)" : "\(whole)")
    }

    /// Milliseconds as hours with two decimals (`"1.50"`).
    static func hours(_ milliseconds: Int64?) -> String? {
        milliseconds.flatMap { decimal($0, over: 3_600_000) }
    }
}
