import FuzzSupport
import Foundation
import MakiniAPI
import MakiniRecords
import SyncEngine

/// libFuzzer entry: a list page body through the client's decoder and the engine's page screen.
/// Crashes (the fuzzer's findings) are a crash of the code under test or a broken invariant:
/// every element of `data` is either accepted or rejected with a reason; excerpts and ids stay bounded;
/// nothing accepted carries a character PostgreSQL cannot store.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPageDecoder(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    let request = PageRequest(entity: "work-orders", page: 1, perPage: 50)
    switch ListPageDecoding.decode(body, request: request) {
    case .failure(let error):
        precondition(!error.code.isEmpty && !error.message.isEmpty, "a page failure without code or message")
    case .success(let page):
        let isolated = try? JSONValue.parse(body, isolatingElementsOf: "data")
        let elements = isolated.flatMap { parsed in parsed.document["data"]?.arrayValue.map { $0.count + parsed.refused.count } } ?? -1
        precondition(page.records.count + page.rejected.count == elements, "records + rejected != data elements")
        for rejected in page.rejected {
            precondition(!rejected.reason.isEmpty, "a reject without a reason")
            precondition(rejected.excerpt.unicodeScalars.count <= 500, "an excerpt over 500 characters")
            precondition(!rejected.excerpt.unicodeScalars.contains("\u{0}") && !rejected.reason.unicodeScalars.contains("\u{0}"), "NUL in a reject")
            if let id = rejected.id { precondition(!id.unicodeScalars.contains("\u{0}") && id.utf8.count <= 1_024, "unbounded reject id") }
        }
        for record in page.records {
            precondition(!record.id.isEmpty && record.id.utf8.count <= 512, "accepted id empty or too long")
        }
        let screened = PageScreen.screen(page.records, now: Date(timeIntervalSince1970: 1_750_000_000))
        let unique = PageScreen.deduplicatedWithRejects(screened.accepted)
        precondition(
            unique.kept.count + unique.rejected.count + screened.rejected.count == page.records.count,
            "the screen lost or invented records")
        precondition(Set(unique.kept.map(\.id)).count == unique.kept.count, "duplicate ids survived the screen")
    }
    return 0
}

/// The executable's entry point (SwiftPM links `FuzzPageDecoder_main` as `main`): hands over to libFuzzer's driver.
@_cdecl("FuzzPageDecoder_main")
public func fuzzPageDecoderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzzPageDecoder(UnsafeRawPointer(data), size)
    }
}
