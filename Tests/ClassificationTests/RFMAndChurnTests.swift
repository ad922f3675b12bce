@testable import Classification
import Model
import Testing

@Suite("RFM quintiles, segments and the churn score")
struct RFMAndChurnTests {
    @Test("quintiles over 1...10 score two values into each fifth")
    func quintilesOfTen() throws {
        let quintiles = try #require(Quintiles(values: Array(1...10).map(Int64.init).shuffled()))
        #expect(quintiles.cuts == [2, 4, 6, 8])
        #expect((1...10).map { quintiles.score(Int64($0)) } == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        // Values outside the population score at the ends.
        #expect(quintiles.score(0) == 1)
        #expect(quintiles.score(1_000) == 5)
    }

    @Test("quintiles of a known data set with ties: equal values share a score")
    func quintilesWithTies() throws {
        // 20 customers: spend in CNY minor units.
        let values: [Int64] = [0, 0, 0, 0, 0, 0, 100, 100, 250, 300, 300, 400, 500, 800, 900, 1_000, 1_000, 5_000, 9_000, 20_000]
        let quintiles = try #require(Quintiles(values: values))
        // Cut k is the (4k)-th smallest value: 0, 100, 400, 1000.
        #expect(quintiles.cuts == [0, 100, 400, 1_000])
        #expect(values.map(quintiles.score) == [1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5])
        #expect(Quintiles(values: []) == nil)
        #expect(try #require(Quintiles(values: [7])).score(7) == 1)
    }

    @Test(
        "segments follow the R by FM grid",
        arguments: [
            (5, 5, 5, Segment.champions), (4, 4, 3, .champions), (5, 3, 3, .loyal), (4, 2, 1, .potential),
            (5, 1, 1, .new), (3, 4, 4, .loyal), (3, 2, 2, .potential), (3, 1, 1, .hibernating),
            (2, 5, 5, .cantLose), (1, 5, 5, .cantLose), (2, 3, 3, .atRisk), (1, 4, 3, .atRisk),
            (2, 1, 2, .hibernating), (1, 1, 1, .lost), (1, 2, 2, .lost),
        ])
    func segmentGrid(r: Int, f: Int, m: Int, segment: Segment) {
        #expect(Segment(recency: r, frequency: f, monetary: m) == segment)
    }

    func figures(_ orders: [(String, String, Timestamp)], at now: Timestamp) throws -> ProfileFigures {
        var profile = CustomerProfile(customer: Fixtures.customer)
        try Fixtures.absorb(try orders.map { try Fixtures.paid($0.0, $0.1, at: $0.2) }, into: &profile)
        return profile.figures(at: now, windowMonths: 12)
    }

    @Test("recency counts against the customer's own rhythm: nothing within it, 50 at three rhythms late")
    func recencyAgainstRhythm() throws {
        let t0 = Fixtures.start
        // Every 10 days: rhythm 10 days.
        let orders = try figures([("1", "100.00", t0), ("2", "100.00", t0 + .days(10)), ("3", "100.00", t0 + .days(20))], at: t0)
        let cny = try CurrencyCode("CNY")
        func score(at now: Timestamp) throws -> ChurnScore {
            var profile = CustomerProfile(customer: Fixtures.customer)
            try Fixtures.absorb([try Fixtures.paid("1", "100.00", at: t0), try Fixtures.paid("2", "100.00", at: t0 + .days(10)),
                                 try Fixtures.paid("3", "100.00", at: t0 + .days(20))], into: &profile)
            return ChurnScore(figures: profile.figures(at: now, windowMonths: 12), complaints: [:], at: now, currency: cny, defaultRhythm: .days(90))
        }
        #expect(orders.lifetimeOrders == 3)
        #expect(try score(at: t0 + .days(30)).recency == 0)   // exactly one rhythm since the last order
        #expect(try score(at: t0 + .days(40)).recency == 25)  // one rhythm late
        #expect(try score(at: t0 + .days(50)).recency == 50)  // two rhythms late
        #expect(try score(at: t0 + .days(400)).recency == 50)
    }

    @Test("falling frequency and spend compare the window's halves; complaints add up to 20")
    func trendsAndComplaints() throws {
        let t0 = Fixtures.start
        let now = t0 + .days(365)
        let cny = try CurrencyCode("CNY")
        var profile = CustomerProfile(customer: Fixtures.customer)
        // Four orders in the older half, one in the newer half.
        try Fixtures.absorb([
            try Fixtures.paid("1", "100.00", at: t0 + .days(10)), try Fixtures.paid("2", "100.00", at: t0 + .days(40)),
            try Fixtures.paid("3", "100.00", at: t0 + .days(70)), try Fixtures.paid("4", "100.00", at: t0 + .days(100)),
            try Fixtures.paid("5", "50.00", at: t0 + .days(300)),
        ], into: &profile)
        let complaints: [String: ComplaintFacts] = [
            "c1": ComplaintFacts(openedAt: t0 + .days(301)),
            "c2": ComplaintFacts(openedAt: t0 + .days(302), escalatedAt: t0 + .days(303)),
            "c3": ComplaintFacts(openedAt: t0 + .days(200), resolvedAt: t0 + .days(201), rating: 1, ratedAt: t0 + .days(202)),
        ]
        let score = ChurnScore(figures: profile.figures(at: now, windowMonths: 12), complaints: complaints, at: now, currency: cny, defaultRhythm: .days(90))
        #expect(score.frequency == 11)   // 15 × (4 − 1) / 4
        #expect(score.spend == 13)       // 15 × (400 − 50) / 400 = 13.1
        #expect(score.complaints == 20)  // 8 + 12 + 8 = 28, capped
        // Rhythm 72.5 days; 65 days since the last order: within the rhythm.
        #expect(score.recency == 0)
        #expect(score.total == 44)
    }

    @Test("a customer with one order uses the default rhythm")
    func defaultRhythm() throws {
        let t0 = Fixtures.start
        var profile = CustomerProfile(customer: Fixtures.customer)
        try Fixtures.absorb([try Fixtures.paid("1", "100.00", at: t0)], into: &profile)
        let now = t0 + .days(180)
        let score = ChurnScore(figures: profile.figures(at: now, windowMonths: 12), complaints: [:], at: now, currency: try CurrencyCode("CNY"), defaultRhythm: .days(90))
        #expect(score.recency == 25)
    }

    @Test("the churn alert is raised once when the score reaches the threshold and cleared once when it falls back")
    func alertOnceClearOnce() throws {
        let evaluator = ProfileEvaluator(settings: try Fixtures.settings())
        let t0 = Fixtures.start
        var profile = CustomerProfile(customer: Fixtures.customer)
        try Fixtures.absorb([try Fixtures.paid("1", "100.00", at: t0), try Fixtures.paid("2", "100.00", at: t0 + .days(10))], into: &profile)
        var outcome = evaluator.evaluate(profile, at: t0 + .days(10), cuts: nil, purpose: .event)
        #expect(outcome.churnAlert == nil)
        profile = outcome.profile
        // 40 days after the last order with a 10-day rhythm: recency 50; two open complaints: 16 + 4.
        profile.absorb(complaint: "c1", ComplaintFacts(openedAt: t0 + .days(45)))
        profile.absorb(complaint: "c2", ComplaintFacts(openedAt: t0 + .days(45), escalatedAt: t0 + .days(46)))
        outcome = evaluator.evaluate(profile, at: t0 + .days(50), cuts: nil, purpose: .event)
        #expect(outcome.profile.churn?.score.total == 70)
        #expect(outcome.churnAlert == .raised(score: 70))
        profile = outcome.profile
        outcome = evaluator.evaluate(profile, at: t0 + .days(51), cuts: nil, purpose: .recompute)
        #expect(outcome.churnAlert == nil, "still at risk: no second alert")
        profile = outcome.profile
        try Fixtures.absorb([try Fixtures.paid("3", "100.00", at: t0 + .days(52))], into: &profile)
        outcome = evaluator.evaluate(profile, at: t0 + .days(52), cuts: nil, purpose: .event)
        #expect(outcome.churnAlert == .cleared(score: outcome.profile.churn?.score.total ?? -1))
        profile = outcome.profile
        outcome = evaluator.evaluate(profile, at: t0 + .days(53), cuts: nil, purpose: .recompute)
        #expect(outcome.churnAlert == nil)
    }
}
