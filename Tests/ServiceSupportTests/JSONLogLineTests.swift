import Foundation
import Synchronization
import Logging
import Testing

@testable import ServiceSupport

@Suite("JSON log lines")
struct JSONLogLineTests {
    private let timestamp = Date(timeIntervalSince1970: 1_748_764_800.25)

    @Test("a record is one JSON object with ts, level, label, message and source first")
    func shape() throws {
        let line = JSONLogLine.render(
            timestamp: timestamp, level: .warning, label: "rapport.intake",
            message: "webhook rejected", metadata: [:], source: "Intake"
        )
        #expect(line == #"{"ts":"2025-06-01T08:00:00.250Z","level":"warning","label":"rapport.intake","message":"webhook rejected","source":"Intake"}"#)
    }

    @Test("metadata is flattened beside the fixed members, nested keys dotted")
    func metadata() throws {
        let line = JSONLogLine.render(
            timestamp: timestamp, level: .info, label: "l", message: "m",
            metadata: [
                "customer": "shopify:shop:1",
                "redis": ["host": "redis", "port": .stringConvertible(6379)],
                "ids": ["a", "b"],
                "level": "forged",
            ],
            source: "S"
        )
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["meta.level"] as? String == "forged")
        #expect(object["customer"] as? String == "shopify:shop:1")
        #expect(object["redis.host"] as? String == "redis")
        #expect(object["redis.port"] as? String == "6379")
        #expect(object["ids"] as? [String] == ["a", "b"])
    }

    @Test("quotes, backslashes and control characters cannot break the line")
    func escaping() throws {
        let message = "line one\nline \"two\"\t\\ \u{1}"
        let line = JSONLogLine.render(
            timestamp: timestamp, level: .error, label: "l", message: message, metadata: [:], source: "S"
        )
        #expect(!line.contains("\n"))
        #expect(line.contains(#"\u0001"#))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == message)
    }

    @Test("the handler merges its metadata with the call's and writes one line per record")
    func handler() throws {
        let lines = LineCollector()
        var handler = JSONLogHandler(label: "rapport.test", metadataProvider: nil) { lines.append($0) }
        handler[metadataKey: "service"] = "intake"
        handler.logLevel = .debug
        var logger = Logger(label: "rapport.test") { _ in handler }
        logger.logLevel = .debug
        logger.debug("consumer started", metadata: ["partition": "3"])
        let written = lines.all
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["service"] as? String == "intake")
        #expect(object["partition"] as? String == "3")
        #expect(object["level"] as? String == "debug")
        #expect(object["label"] as? String == "rapport.test")
    }
}

/// Collects written lines; the lock makes it safe to share with the handler's closure.
private final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] {
        lines.withLock { $0 }
    }
}
