import Testing

@testable import ServiceSupport

@Suite("Typed reads of rules file values")
struct RulesValueTests {
    private let rules: RulesFile

    init() throws {
        rules = try RulesFile(yaml: """
            tiers:
              review: 14d
              ladder:
                - name: silver
                  min_spend: "1000.00"
                - name: gold
                  min_spend: ten
            sla:
              first_response: 24
              escalate_after: 90m
              working_days_only: yes
              reminders: [2h, 1d]
            points:
              per_currency_unit: 1
              expiry_days: 365
              bonus: -5
            """)
    }

    @Test("a custom parser's error names the full dotted path, the accepted form and the value")
    func customParserError() throws {
        let ladder = try rules["tiers"]["ladder"].list()
        #expect(try ladder[0]["min_spend"].parse(expected: "a decimal amount like \"10000.00\"") { Double($0) } == 1000)
        #expect {
            try ladder[1]["min_spend"].parse(expected: "a decimal amount like \"10000.00\"") { Double($0) }
        } throws: { error in
            "\(error)" == "tiers.ladder[1].min_spend: expected a decimal amount like \"10000.00\", got \"ten\""
        }
    }

    @Test("durations read bare numbers in the accessor's unit and accept m, h and d")
    func durations() throws {
        let sla = rules["sla"]
        #expect(try sla["first_response"].durationHours() == .seconds(24 * 3600))
        #expect(try sla["escalate_after"].durationHours() == .seconds(90 * 60))
        #expect(try rules["tiers"]["review"].durationDays() == .seconds(14 * 86400))
        #expect(try rules["points"]["expiry_days"].durationDays() == .seconds(365 * 86400))
        #expect(try sla["missing"].durationHours(default: .seconds(3600)) == .seconds(3600))
        #expect(try sla["reminders"].list().map { try $0.durationHours() } == [.seconds(7200), .seconds(86400)])
        #expect {
            try rules["points"]["bonus"].durationDays()
        } throws: { error in
            "\(error)".hasPrefix("points.bonus: expected a whole number of days")
        }
        #expect(throws: ConfigurationError.self) { try RulesFile(yaml: "a: 1.5h")["a"].durationHours() }
        #expect(throws: ConfigurationError.self) { try RulesFile(yaml: "a: 5x")["a"].durationHours() }
    }

    @Test("ints, bools and strings with defaults and ranges")
    func scalars() throws {
        let points = rules["points"]
        #expect(try points["per_currency_unit"].int() == 1)
        #expect(try points["missing"].int(default: 7) == 7)
        #expect(try rules["sla"]["working_days_only"].bool() == true)
        #expect(try rules["sla"]["missing"].bool(default: false) == false)
        #expect(try rules["tiers"]["ladder"][1]["name"].string() == "gold")
        #expect(try rules["nothing"]["here"].string(default: "fallback") == "fallback")
        #expect {
            try points["bonus"].int(in: 0...100)
        } throws: { error in
            "\(error)" == "points.bonus: expected a whole number from 0 to 100, got \"-5\""
        }
    }

    @Test("a required value that is absent, or a value of the wrong shape, names its path")
    func requiredAndShape() {
        #expect {
            try rules["sla"]["breach_hours"].int()
        } throws: { error in
            "\(error)" == "sla.breach_hours: required, expected a whole number"
        }
        #expect {
            try rules["tiers"]["ladder"].string()
        } throws: { error in
            "\(error)" == "tiers.ladder: expected a text value, found a list"
        }
        #expect {
            try rules["tiers"]["review"].map()
        } throws: { error in
            (error as? ConfigurationError)?.key == "tiers.review"
        }
    }

    @Test("lists and maps read in order; absent ones read as empty")
    func collections() throws {
        #expect(try rules["tiers"]["ladder"].list().map { try $0["name"].string() } == ["silver", "gold"])
        #expect(try rules["points"].map().map(\.key) == ["bonus", "expiry_days", "per_currency_unit"])
        #expect(try rules["holidays"].list().isEmpty)
        #expect(try rules["templates"].map().isEmpty)
    }

    @Test("unknown keys in a section can be refused to catch misspellings")
    func unknownKeys() throws {
        try rules["points"].requireKnownKeys(["per_currency_unit", "expiry_days", "bonus"])
        #expect {
            try rules["sla"].requireKnownKeys(["first_response", "escalate_after", "reminders"])
        } throws: { error in
            "\(error)".hasPrefix("sla.working_days_only: unknown key; expected one of escalate_after, first_response, reminders")
        }
    }
}
