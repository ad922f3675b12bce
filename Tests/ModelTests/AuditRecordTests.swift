import Foundation
import Model
import Testing

@Suite("AuditRecord")
struct AuditRecordTests {
    static let record = AuditRecord(
        customer: "shopify:snowdevil.myshopify.com:706405506930370084",
        fields: ["email", "phone"],
        action: "profile.updated",
        cause: "shopify:evt-1",
        actor: "classification",
        service: "classification",
        at: Timestamp(unixMilliseconds: 1_700_000_000_000)
    )

    @Test("writes field names joined by commas and reads back the same record")
    func streamRoundTrip() throws {
        let fields = Self.record.streamFields
        #expect(fields.map(\.0) == AuditRecord.streamFieldNames)
        #expect(Dictionary(uniqueKeysWithValues: fields)["fields"] == "email,phone")
        #expect(Dictionary(uniqueKeysWithValues: fields)["at"] == "1700000000000")
        #expect(try AuditRecord(streamFields: Dictionary(uniqueKeysWithValues: fields)) == Self.record)
    }

    @Test("a change with no field names reads back as none", arguments: [[], ["email"]])
    func fieldLists(names: [String]) throws {
        var record = Self.record
        record.fields = names
        record.action = "erased"
        #expect(try AuditRecord(streamFields: Dictionary(uniqueKeysWithValues: record.streamFields)) == record)
    }

    @Test("a missing field is named in the error", arguments: AuditRecord.streamFieldNames)
    func missing(field: String) {
        var entry = Dictionary(uniqueKeysWithValues: Self.record.streamFields)
        entry[field] = nil
        let error = #expect(throws: AuditRecordError.self) { try AuditRecord(streamFields: entry) }
        #expect(error?.field == field)
        #expect(error?.description.contains("has no field \"\(field)\"") == true)
    }

    @Test("a time that is not Unix milliseconds is rejected")
    func invalidTime() {
        var entry = Dictionary(uniqueKeysWithValues: Self.record.streamFields)
        entry["at"] = "yesterday"
        let error = #expect(throws: AuditRecordError.self) { try AuditRecord(streamFields: entry) }
        #expect(error?.field == "at")
        #expect(error?.description.contains("\"yesterday\"") == true)
    }

    @Test("encodes as JSON for the audit API")
    func codable() throws {
        let json = try JSONEncoder().encode(Self.record)
        #expect(try JSONDecoder().decode(AuditRecord.self, from: json) == Self.record)
    }
}
