import Model

/// What the reports need of one case, kept in a hash beside the case so a report reads a few
/// hundred bytes per case instead of the whole case and its timeline. No personal data.
struct CaseFacts: Sendable, Hashable, Codable {
    var openedAt: Timestamp
    /// Where the response times count from: when the customer complained, or the opening if earlier.
    var countsFrom: Timestamp
    var category: String
    var priority: ComplaintPriority
    var firstReplyAt: Timestamp?
    var firstResolvedAt: Timestamp?
    var breached: Bool
    var rating: Int?

    init(_ record: ComplaintCase) {
        openedAt = record.openedAt
        countsFrom = min(record.submittedAt, record.openedAt)
        category = record.category
        priority = record.priority
        firstReplyAt = record.firstReplyAt
        firstResolvedAt = record.firstResolvedAt
        breached = record.breached
        rating = record.rating?.score
    }

    init(openedAt: Timestamp, countsFrom: Timestamp? = nil, category: String, priority: ComplaintPriority, firstReplyAt: Timestamp?,
         firstResolvedAt: Timestamp?, breached: Bool, rating: Int?) {
        self.openedAt = openedAt
        self.countsFrom = countsFrom ?? openedAt
        self.category = category
        self.priority = priority
        self.firstReplyAt = firstReplyAt
        self.firstResolvedAt = firstResolvedAt
        self.breached = breached
        self.rating = rating
    }
}
