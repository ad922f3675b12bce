import Model

/// Why a profile is being evaluated, which decides what may change.
enum EvaluationPurpose: Sendable, Hashable {
    /// A fact arrived (an order, a refund, a complaint): upgrades happen at once.
    case event
    /// The daily recompute: new quintiles, churn scores, expired floors; no downgrades.
    case recompute
    /// The periodic tier review: downgrades after the grace period.
    case review
    /// Staff set a tier floor.
    case floor(TierFloor)
}

/// A churn alert to publish.
enum ChurnAlert: Sendable, Hashable {
    case raised(score: Int)
    case cleared(score: Int)
}

/// The result of one evaluation: the profile to store and the changes to publish.
struct ProfileOutcome: Sendable {
    var profile: CustomerProfile
    var tierMove: TierMove?
    /// Set when the segment changed (either side nil: not scored).
    var segmentMove: (previous: Segment?, current: Segment?)?
    var churnAlert: ChurnAlert?
}

/// Decides a profile's tier, segment and churn standing at one instant: a pure function of the
/// profile, the partition's quintiles and the time.
struct ProfileEvaluator: Sendable {
    let settings: ClassificationSettings

    var policy: TierPolicy { settings.policy }

    func evaluate(
        _ input: CustomerProfile, at now: Timestamp, cuts: RFMCuts?, purpose: EvaluationPurpose
    ) -> ProfileOutcome {
        var profile = input
        let figures = profile.figures(at: now, windowMonths: policy.windowMonths)

        let qualifying = policy.qualifyingTier(spend: figures.windowSpend(in: policy.currency), orders: figures.windowOrders)
        var newFloor: TierFloor?
        var review = false
        switch purpose {
        case .floor(let floor): newFloor = floor
        case .review: review = true
        case .event, .recompute: break
        }
        let (standing, move) = policy.decide(profile.tier, qualifying: qualifying, at: now, review: review, newFloor: newFloor)
        profile.tier = standing

        let previousSegment = profile.rfm?.segment
        if let inputs = RFMInputs(figures, currency: policy.currency) {
            if let cuts { profile.rfm = inputs.standing(with: cuts) }
        } else {
            profile.rfm = nil
        }
        let segmentMove = profile.rfm?.segment == previousSegment ? nil : (previousSegment, profile.rfm?.segment)

        let score = ChurnScore(
            figures: figures, complaints: profile.complaints, at: now,
            currency: policy.currency, defaultRhythm: settings.defaultRhythm)
        let wasAlerted = profile.churn?.alerted ?? false
        let atRisk = score.total >= settings.churnThreshold
        profile.churn = ChurnStanding(score: score, alerted: atRisk, evaluatedAt: now)
        let alert: ChurnAlert? = atRisk == wasAlerted ? nil
            : (atRisk ? .raised(score: score.total) : .cleared(score: score.total))

        return ProfileOutcome(profile: profile, tierMove: move, segmentMove: segmentMove, churnAlert: alert)
    }
}
