import Model

/// A tier set by staff (a strategic partner): the customer is at least this tier until it expires.
struct TierFloor: Sendable, Hashable, Codable {
    var tier: String
    var expiresAt: Timestamp
    var reason: String
    /// The token name that set it.
    var setBy: String
    var setAt: Timestamp
}

/// Why a customer's tier changed, as written in `tier.changed`.
enum TierReason {
    /// The customer's first classification, in the base tier.
    static let initial = "initial"
    /// An order (or a first classification) reached a higher tier's threshold: upgraded at once.
    static let thresholdCrossed = "threshold_crossed"
    /// A periodic review found the customer below their tier for longer than the grace period.
    static let reviewDowngrade = "review_downgrade"
    /// Staff set a tier floor.
    static let manualFloor = "manual_floor"
    /// A tier floor expired and the customer fell back to the tier their figures hold.
    static let floorExpired = "floor_expired"
    /// The configured ladder no longer has the tier the customer held.
    static let ladderChanged = "ladder_changed"
}

/// Where a customer stands on the ladder, and why.
///
/// Two tracks: `held` follows the figures with hysteresis (up at once, down only at a review
/// after the grace period), and `floor` is a manual minimum. The published tier, `current`, is
/// the higher of the two.
struct TierStanding: Sendable, Hashable, Codable {
    var current: String
    /// Why `current` last changed (a ``TierReason``).
    var reason: String
    var since: Timestamp
    var held: String
    /// Since when the figures have qualified only for a tier below `held`, as first noticed by
    /// an evaluation (an event, or the daily recompute); nil while they hold it.
    var belowSince: Timestamp?
    var floor: TierFloor?
}

/// A tier change to publish.
struct TierMove: Sendable, Hashable {
    var previous: String?
    var current: String
    var reason: String
}

extension TierPolicy {
    /// Moves `standing` given the tier the figures qualify for now.
    ///
    /// - Parameters:
    ///   - review: true at a periodic review, the only time a downgrade may happen.
    ///   - newFloor: a floor staff just set (it replaces the previous one).
    func decide(
        _ standing: TierStanding?, qualifying: String, at now: Timestamp,
        review: Bool = false, newFloor: TierFloor? = nil
    ) -> (standing: TierStanding, move: TierMove?) {
        guard var standing else {
            let floor = newFloor.flatMap { $0.expiresAt > now ? $0 : nil }
            let current = floor.map { higher(qualifying, $0.tier) } ?? qualifying
            let reason = current != qualifying ? TierReason.manualFloor
                : (qualifying == baseTier ? TierReason.initial : TierReason.thresholdCrossed)
            let fresh = TierStanding(current: current, reason: reason, since: now, held: qualifying, belowSince: nil, floor: floor)
            return (fresh, TierMove(previous: nil, current: current, reason: reason))
        }
        let previous = standing.current
        var floorExpired = false
        if let newFloor { standing.floor = newFloor }
        if let floor = standing.floor, floor.expiresAt <= now {
            standing.floor = nil
            floorExpired = true
        }

        var heldReason = TierReason.thresholdCrossed
        if rank(of: standing.held) == nil {
            standing.held = qualifying
            standing.belowSince = nil
            heldReason = TierReason.ladderChanged
        } else if isHigher(qualifying, than: standing.held) {
            standing.held = qualifying
            standing.belowSince = nil
        } else if qualifying == standing.held {
            standing.belowSince = nil
        } else {
            let below = standing.belowSince ?? now
            standing.belowSince = below
            if review && now - below >= downgradeGrace {
                standing.held = qualifying
                standing.belowSince = nil
                heldReason = TierReason.reviewDowngrade
            }
        }

        let target = standing.floor.map { higher(standing.held, $0.tier) } ?? standing.held
        guard target != previous else { return (standing, nil) }
        let reason: String
        if rank(of: previous) == nil || heldReason == TierReason.ladderChanged {
            reason = TierReason.ladderChanged
        } else if newFloor != nil && standing.floor != nil && target == standing.floor?.tier {
            reason = TierReason.manualFloor
        } else if isHigher(target, than: previous) {
            reason = TierReason.thresholdCrossed
        } else if floorExpired || newFloor != nil {
            reason = newFloor != nil && !floorExpired ? TierReason.manualFloor : TierReason.floorExpired
        } else {
            reason = TierReason.reviewDowngrade
        }
        standing.current = target
        standing.reason = reason
        standing.since = now
        return (standing, TierMove(previous: previous, current: target, reason: reason))
    }
}
