import Foundation
import Model
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("adding and subtracting durations moves by whole milliseconds")
    func arithmetic() {
        let start = Timestamp(unixMilliseconds: 1_700_000_000_000)
        #expect((start + .seconds(48 * 3_600)).unixMilliseconds == 1_700_172_800_000)
        #expect((start - .seconds(1)).unixMilliseconds == 1_699_999_999_000)
        #expect((start + .microseconds(1_999)).unixMilliseconds == 1_700_000_000_001)
        #expect((start + .seconds(48 * 3_600)) - start == .seconds(48 * 3_600))
        #expect(start - (start + .milliseconds(250)) == .milliseconds(-250))
    }

    @Test("arithmetic past the representable range saturates instead of trapping")
    func saturation() {
        let late = Timestamp(unixMilliseconds: .max - 10)
        #expect((late + .seconds(Int64.max)).unixMilliseconds == .max)
        let early = Timestamp(unixMilliseconds: .min + 10)
        #expect((early - .seconds(Int64.max)).unixMilliseconds == .min)
        #expect(late - early == .milliseconds(Int64.max - 10) + .milliseconds(Int64.max - 9))
    }

    @Test("converts to and from Date at millisecond resolution, rounding down")
    func dates() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123_9)
        #expect(Timestamp(date).unixMilliseconds == 1_700_000_000_123)
        #expect(Timestamp(unixMilliseconds: 1_500).date == Date(timeIntervalSince1970: 1.5))
        #expect(Timestamp(Date(timeIntervalSince1970: -0.0005)).unixMilliseconds == -1)
        #expect(Timestamp(Date(timeIntervalSince1970: .infinity)).unixMilliseconds == .max)
    }

    @Test("encodes as a single integer of Unix milliseconds")
    func codable() throws {
        let encoded = try JSONEncoder().encode([Timestamp(unixMilliseconds: 1_700_000_000_000)])
        #expect(String(decoding: encoded, as: UTF8.self) == "[1700000000000]")
        let decoded = try JSONDecoder().decode([Timestamp].self, from: Data("[-5]".utf8))
        #expect(decoded == [Timestamp(unixMilliseconds: -5)])
    }

    @Test(
        "describes itself in ISO 8601 UTC",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
            (253_402_300_800_000, "+010000-01-01T00:00:00.000Z"),
            (-62_167_219_200_001, "-000001-12-31T23:59:59.999Z"),
            (.max, "+292278994-08-17T07:12:55.807Z"),
            (.min, "-292275055-05-16T16:47:04.192Z"),
        ])
    func description(milliseconds: Int64, expected: String) {
        #expect(Timestamp(unixMilliseconds: milliseconds).description == expected)
    }

    @Test("orders by time")
    func ordering() {
        let times = [3, -1, 2].map { Timestamp(unixMilliseconds: $0) }
        #expect(times.sorted().map(\.unixMilliseconds) == [-1, 2, 3])
    }
}
