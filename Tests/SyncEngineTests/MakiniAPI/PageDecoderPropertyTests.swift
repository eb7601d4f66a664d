import Foundation
import MakiniAPI
import MakiniRecords
import SyncEngine
import Testing

/// Seeded property tests of the page decoder and the page screen over thousands of hostile pages: no crash,
/// every element of `data` accepted or rejected with a reason, counts that add up, broken pages classified.
@Suite("Page decoder and screen under hostile pages (seeded)")
struct PageDecoderPropertyTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let request = PageRequest(entity: "work-orders", page: 1, perPage: 50)

    @Test(arguments: 0..<4)
    func structuredHostilePagesAreClassifiedRecordByRecord(shard: Int) throws {
        var generator = HostilePageGenerator(seed: 0x5EED_0000 + UInt64(shard))
        for round in 0..<500 {
            let page = generator.page()
            let result = ListPageDecoding.decode(Array(page.text.utf8), request: Self.request)
            switch (page.expectation, result) {
            case (.pageFailure(let codes), .failure(let error)):
                #expect(codes.contains(error.code), "round \(round): \(error.code) \(error.message)")
                #expect(error.errorClass == (error.code == "MALFORMED_JSON" ? .transient : .fatal))
            case (.records(let good, let decoderBad, let future, let duplicates), .success(let decoded)):
                #expect(decoded.records.count == good + future + duplicates, "round \(round)")
                #expect(decoded.rejected.count == decoderBad, "round \(round): \(decoded.rejected.map(\.reason))")
                let screened = PageScreen.screen(decoded.records, now: Self.now)
                #expect(screened.rejected.count == future, "round \(round)")
                let unique = PageScreen.deduplicatedWithRejects(screened.accepted)
                #expect(unique.rejected.count == duplicates, "round \(round)")
                #expect(unique.kept.count == good, "round \(round)")
                #expect(Set(unique.kept.map(\.id)).count == unique.kept.count)
                #expect(unique.kept.allSatisfy { $0.fields["title"]?.stringValue != "stale" }, "the older duplicate never wins")
                Self.checkBounded(decoded.rejected.map { ($0.id, $0.reason, $0.excerpt) }
                    + (screened.rejected + unique.rejected).map { ($0.recordId, $0.reason, $0.excerpt) })
            case (let expected, let actual):
                Issue.record("round \(round): expected \(expected), got \(actual)\n\(page.text.prefix(300))")
            }
        }
    }

    @Test(arguments: 0..<4)
    func byteMutatedPagesNeverCrashAndCountsAddUp(shard: Int) throws {
        var generator = HostilePageGenerator(seed: 0xB17E_0000 + UInt64(shard))
        var decodedPages = 0
        for _ in 0..<600 {
            var bytes = Array(generator.page().text.utf8)
            generator.mutateBytes(&bytes)
            switch ListPageDecoding.decode(bytes, request: Self.request) {
            case .failure(let error):
                #expect(["MALFORMED_JSON", "UNEXPECTED_BODY"].contains(error.code), "\(error.code)")
            case .success(let decoded):
                decodedPages += 1
                let isolated = try JSONValue.parse(bytes, isolatingElementsOf: "data")
                let elements = isolated.document["data"]?.arrayValue.map { $0.count + isolated.refused.count }
                #expect(decoded.records.count + decoded.rejected.count == elements)
                let screened = PageScreen.screen(decoded.records, now: Self.now)
                let unique = PageScreen.deduplicatedWithRejects(screened.accepted)
                #expect(unique.kept.count + unique.rejected.count + screened.rejected.count == decoded.records.count)
                Self.checkBounded(decoded.rejected.map { ($0.id, $0.reason, $0.excerpt) })
            }
        }
        #expect(decodedPages > 50, "some mutated pages still decode, so the record paths are exercised")
    }

    @Test func aNestingBombOutsideTheRecordsFailsThePageQuicklyWithoutRecursingAway() {
        let bomb = "{\"data\":[],\"meta\":" + HostilePageGenerator.nestedArrays(200_000) + "}"
        guard case .failure(let error) = ListPageDecoding.decode(Array(bomb.utf8), request: Self.request) else {
            Issue.record("a nesting bomb decoded")
            return
        }
        #expect(error.code == "MALFORMED_JSON")
        #expect(error.message.contains("nesting deeper than"))
    }

    @Test func aRecordTooDeepOrWithALoneSurrogateIsRefusedAloneAndTheRestOfThePageKept() throws {
        let good = { (id: String) in "{\"id\":\"\(id)\",\"_updatedAt\":\"2025-01-01T00:00:00Z\",\"title\":\"ok\"}" }
        let text = "{\"data\":[" + [
            good("a"),
            "{\"id\":\"bomb\",\"_updatedAt\":\"2025-01-01T00:00:00Z\",\"x\":" + HostilePageGenerator.nestedArrays(200_000) + "}",
            good("b"),
            "{\"id\":7,\"title\":\"\\ud800 lone\",\"_updatedAt\":\"2025-01-01T00:00:00Z\"}",
            "[\"\\udc00\"]",
            good("c"),
        ].joined(separator: ",") + "],\"meta\":{\"current_page\":1,\"last_page\":1}}"
        guard case .success(let page) = ListPageDecoding.decode(Array(text.utf8), request: Self.request) else {
            Issue.record("one bad record failed the whole page")
            return
        }
        #expect(page.records.map(\.id) == ["a", "b", "c"])
        #expect(page.rejected.map(\.id) == ["bomb", "7", nil])
        #expect(page.rejected[0].reason == "record cannot be read as JSON: nesting deeper than 64 levels")
        #expect(page.rejected[1].reason == "record cannot be read as JSON: high surrogate escape not followed by a low surrogate")
        #expect(page.rejected[2].reason == "record cannot be read as JSON: lone low surrogate escape")
        #expect(page.rejected[1].excerpt.contains(#"\ud800 lone"#), "the excerpt is the record's own text")
        Self.checkBounded(page.rejected.map { ($0.id, $0.reason, $0.excerpt) })
        // Cut off inside the deep record: the page is broken as a whole, and retried.
        let cut = Array(text.utf8.prefix(text.utf8.count / 2))
        guard case .failure(let error) = ListPageDecoding.decode(cut, request: Self.request) else {
            Issue.record("a cut-off page decoded")
            return
        }
        #expect(error.code == "MALFORMED_JSON")
    }

    @Test func rejectsOfEnormousOrNulRecordsStayBoundedAndStorable() {
        let id = String(repeating: "é\u{301}", count: 10_000)
        let text = "{\"data\":[{\"id\":\"\(id)\",\"_updatedAt\":\"2025-01-01T00:00:00Z\"},"
            + "{\"id\":\"a\\u0000b\",\"_updatedAt\":\"2025-01-01T00:00:00Z\"},"
            + "{\"id\":\"x\",\"_updatedAt\":\"\\u0000" + String(repeating: "e\u{301}", count: 50_000) + "\"}]}"
        guard case .success(let page) = ListPageDecoding.decode(Array(text.utf8), request: Self.request) else {
            Issue.record("the page failed")
            return
        }
        #expect(page.records.isEmpty)
        #expect(page.rejected.count == 3)
        Self.checkBounded(page.rejected.map { ($0.id, $0.reason, $0.excerpt) })
    }

    static func checkBounded(_ rejects: [(id: String?, reason: String, excerpt: String)]) {
        for reject in rejects {
            #expect(!reject.reason.isEmpty)
            #expect(reject.reason.unicodeScalars.count <= 301)
            #expect(reject.excerpt.unicodeScalars.count <= 500)
            #expect(!reject.excerpt.isEmpty)
            for text in [reject.reason, reject.excerpt, reject.id ?? ""] {
                #expect(!text.unicodeScalars.contains("\u{0}"), "no NUL reaches sync_rejects")
            }
            #expect((reject.id?.unicodeScalars.count ?? 0) <= 201)
        }
    }
}
