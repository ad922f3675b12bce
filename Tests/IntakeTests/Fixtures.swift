import Foundation
import Model
import Testing

@testable import Intake

/// The platform sample payloads under `Fixtures/`, read as raw bytes: signatures are computed
/// over exactly these bytes, never over re-serialised JSON.
enum Fixture {
    static func data(_ path: String) throws -> Data {
        guard let root = Bundle.module.resourceURL else { throw FixtureError(path: path) }
        return try Data(contentsOf: root.appendingPathComponent("Fixtures/\(path)"))
    }

    struct FixtureError: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture \(path) is not in the test bundle" }
    }
}

/// Milliseconds of an ISO 8601 time, for readable expectations.
func at(_ text: String) -> Timestamp {
    PlatformTime.parse(text) ?? Timestamp(unixMilliseconds: .min)
}

func usd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: try! CurrencyCode("USD")) }
func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: try! CurrencyCode("CNY")) }

extension Normalised {
    /// The event, or a test failure naming what came instead.
    func event(sourceLocation: SourceLocation = #_sourceLocation) throws -> IntakeEvent {
        guard case .event(let event) = self else {
            Issue.record("expected an event, got \(self)", sourceLocation: sourceLocation)
            throw Fixture.FixtureError(path: "(no event)")
        }
        return event
    }

    /// The events of a delivery that became several, or a test failure naming what came instead.
    func events(sourceLocation: SourceLocation = #_sourceLocation) throws -> [IntakeEvent] {
        guard case .events(let events) = self else {
            Issue.record("expected several events, got \(self)", sourceLocation: sourceLocation)
            throw Fixture.FixtureError(path: "(no events)")
        }
        return events
    }
}

extension IntakeEvent {
    func typed<E: DomainEvent>(_ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> E {
        try #require(event as? E, "expected \(E.eventType), got \(Swift.type(of: event).eventType)", sourceLocation: sourceLocation)
    }
}
