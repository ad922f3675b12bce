import Foundation
import Model

/// A birthday's month and day, opened from the sealed profile field only while deciding.
struct BirthDate: Sendable, Hashable {
    var month: Int
    var day: Int

    /// Reads `1990-05-17`, `--05-17` or `05-17`.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: true)
        guard parts.count == 2 || parts.count == 3, let month = Int(parts[parts.count - 2]),
            let day = Int(parts[parts.count - 1]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.month = month
        self.day = day
    }

    /// Midnight starting the birthday in `year` in `zone`; 29 February falls on 28 February in
    /// other years.
    func start(inYear year: Int, zone: TimeZone) -> Timestamp? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var components = DateComponents(year: year, month: month, day: 1)
        guard let first = calendar.date(from: components),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return nil }
        components.day = min(day, days.count)
        return calendar.date(from: components).map(Timestamp.init)
    }

    /// The next birthday not yet over at `now`: this year's if the day has not ended, else
    /// next year's, with its year as the customer sees it.
    func next(after now: Timestamp, zone: TimeZone) -> (start: Timestamp, year: Int)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let year = calendar.component(.year, from: now.date)
        for candidate in [year - 1, year, year + 1] {
            if let start = start(inYear: candidate, zone: zone), now < start + .seconds(86_400) {
                return (start, candidate)
            }
        }
        return nil
    }
}

extension LedgerChange {
    /// `customer.upserted`: keep the sealed birthday and set the birthday timer; a later
    /// profile update wins. A profile without a birthday (or one that cannot be read) removes it.
    mutating func profileUpdated(_ update: ProfileUpdate) {
        if let known = ledger.birthday, known.profileUpdatedAt >= update.updatedAt { return }
        let timerID = LoyaltyTimer(kind: .birthday, due: now).id(customer: ledger.customer)
        guard policy.bonuses.birthday > 0, let sealed = update.sealedBirthday, let date = update.birthDate,
            let next = date.next(after: now, zone: zone(update.timeZone))
        else {
            if ledger.birthday != nil {
                ledger.birthday = nil
                cancelTimer(id: timerID)
            }
            return
        }
        ledger.birthday = PointsLedger.BirthdayRecord(sealed: sealed, timeZone: update.timeZone, profileUpdatedAt: update.updatedAt)
        // This year's bonus may already be paid (the birthday changed after it): then next year's.
        let year = ledger.birthdayBonuses[String(next.year)] == nil ? next.year : next.year + 1
        guard let start = date.start(inYear: year, zone: zone(update.timeZone)), ledger.timers[timerID] != start else { return }
        schedule(LoyaltyTimer(kind: .birthday, year: year, due: start))
    }

    /// The birthday timer fired: the bonus once for that year, then next year's timer.
    mutating func birthdayCame(year: Int?, birthDate: BirthDate?) {
        guard let year, let record = ledger.birthday else { return }
        if policy.bonuses.birthday > 0, ledger.birthdayBonuses[String(year)] == nil {
            let entry = credit(.bonus, points: policy.bonuses.birthday, reason: "birthday")
            ledger.birthdayBonuses[String(year)] = entry
        }
        if let birthDate, let start = birthDate.start(inYear: year + 1, zone: zone(record.timeZone)) {
            schedule(LoyaltyTimer(kind: .birthday, year: year + 1, due: start))
        }
    }

    /// The customer's zone, else the configured default, else UTC.
    func zone(_ identifier: String?) -> TimeZone {
        identifier.flatMap(TimeZone.init(identifier:))
            ?? TimeZone(identifier: policy.defaultTimeZone)
            ?? .gmt
    }
}
