import Foundation
import MakiniRecords
import Testing
@testable import MakiniAPI

/// The decoder reads a record's id and times straight from its JSON text (`RecordText`) and sends anything unusual to
/// the decoded fields. Over every combination of id, `_updatedAt`, `_deletedAt` spellings and content hazards, the
/// text path must decide exactly what decoding the fields decides: the same record accepted, or the same rejection.
@Suite("Record decoding from the JSON text, equal to decoding the fields")
struct RecordTextDecodingTests {
    static let ids = [#""wo-1""#, "42", "4.5e1", #""""#, "null", #"{"x":1}"#, #""w\u006f-2""#, #""a\u0000b""#, "true"]
    static let updated = [
        #""2024-03-01T10:15:30Z""#, #""2024-03-01T10:15:30.5+02:00""#, #""2024-03-01T10:15:30\u005a""#, #""yesterday""#,
        "null", "1709288130", nil,
    ]
    static let deleted = [nil, "null", #""2024-03-02T00:00:00Z""#, #""not a time""#, "false", #""2024-03-02T00:00:00\u005A""#]
    static let extras = [
        "", #","note":"plain""#, #","note":"bad\u0000""#, #","n":1e99999"#, #","n":12345678901234567890123"#,
        #","nested":{"a":["\u0000"]}"#, #","\u0000key":1"#, #","n":-0.5E3"#,
    ]

    @Test("every combination decides as the fields decide")
    func textPathEqualsFieldsPath() throws {
        let decoder = PageDecoder()
        var accepted = 0
        var rejected = 0
        for id in Self.ids {
            for updatedAt in Self.updated {
                for deletedAt in Self.deleted {
                    for extra in Self.extras {
                        var members = [#""id":\#(id)"#]
                        if let updatedAt { members.append(#""_updatedAt":\#(updatedAt)"#) }
                        if let deletedAt { members.append(#""_deletedAt":\#(deletedAt)"#) }
                        let json = "{" + members.joined(separator: ",") + extra + "}"
                        let text = try RecordText.scan(Array(json.utf8))
                        let viaText = decoder.decodeRecord(text)
                        let viaFields = decoder.decodeRecord(try JSONValue.parse(json))
                        switch (viaText, viaFields) {
                        case (.accepted(let left), .accepted(let right)):
                            #expect(left.id == right.id, "\(json)")
                            #expect(left.updatedAt == right.updatedAt, "\(json)")
                            #expect(left.deletedAt == right.deletedAt, "\(json)")
                            #expect(left.fields == right.fields, "\(json)")
                            accepted += 1
                        case (.rejected(let left), .rejected(let right)):
                            #expect(left.id == right.id, "\(json)")
                            #expect(left.reason == right.reason, "\(json)")
                            rejected += 1
                        default:
                            Issue.record("\(json): the text path and the fields path disagree")
                        }
                    }
                }
            }
        }
        // Both outcomes are exercised broadly.
        #expect(accepted > 100)
        #expect(rejected > 1000)
    }

    @Test("elements that are no objects are rejected in page order, between the records")
    func nonObjectsKeepTheirPlace() throws {
        let body = #"{"data":[{"id":"a","_updatedAt":"2024-03-01T10:15:30Z"},7,{"id":"b"},"x"],"meta":{}}"#
        let page = try PageDecoder().decode(
            Array(body.utf8), request: PageRequest(entity: "work-orders", updatedSince: nil, page: 1, perPage: 10), requestId: nil)
        #expect(page.records.map(\.id) == ["a"])
        #expect(page.rejected.map(\.id) == [nil, "b", nil])
        #expect(page.rejected[0].reason.contains("not a JSON object"))
        #expect(page.lastPage == 1)
    }
}
