/// The named RFM segments of REQUIREMENTS.md section 2.
///
/// Decided from the recency score R and the combined frequency-and-money score
/// FM = ⌈(F + M) / 2⌉:
///
/// | R \ FM | 1           | 2           | 3       | 4         | 5          |
/// |--------|-------------|-------------|---------|-----------|------------|
/// | 4-5    | New         | Potential   | Loyal   | Champions | Champions  |
/// | 3      | Hibernating | Potential   | Loyal   | Loyal     | Loyal      |
/// | 2      | Hibernating | Hibernating | At risk | At risk   | Can't lose |
/// | 1      | Lost        | Lost        | At risk | At risk   | Can't lose |
enum Segment: String, Sendable, Hashable, Codable, CaseIterable {
    case champions
    case loyal
    case potential
    case new
    case atRisk = "at_risk"
    case cantLose = "cant_lose"
    case hibernating
    case lost

    init(recency r: Int, frequency f: Int, monetary m: Int) {
        let fm = (f + m + 1) / 2
        switch (r, fm) {
        case (4..., 4...): self = .champions
        case (4..., 3): self = .loyal
        case (4..., 2): self = .potential
        case (4..., _): self = .new
        case (3, 3...): self = .loyal
        case (3, 2): self = .potential
        case (3, _): self = .hibernating
        case (_, 5...): self = .cantLose
        case (_, 3...): self = .atRisk
        case (2, _): self = .hibernating
        default: self = .lost
        }
    }

    /// The name people read in reports.
    var title: String {
        switch self {
        case .champions: "Champions"
        case .loyal: "Loyal"
        case .potential: "Potential"
        case .new: "New"
        case .atRisk: "At risk"
        case .cantLose: "Can't lose"
        case .hibernating: "Hibernating"
        case .lost: "Lost"
        }
    }
}
