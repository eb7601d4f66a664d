import Foundation
import LibPQ
import MakiniRecords
import Testing
@testable import Warehouse

/// `RowMapper` writes a timestamp in Makini's own form (`YYYY-MM-DDTHH:MM:SS[.ffffff]Z`) as it came instead of
/// formatting it again. Against a real PostgreSQL, under several time zones and date styles, that text must read as
/// exactly what the formatted literal reads as, in `timestamptz`, `timestamp` and `date` columns.
@Suite("Timestamps written as they came read as the formatted literal")
struct TimestampPassThroughTests {
    /// Stamps in the pass-through form, from a seed: every fraction length, month ends, leap days, early and late years.
    static func stamps() -> [String] {
        var random = FirstLoadTests.SplitMix(seed: 7)
        var stamps = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-02-29T23:59:59.5Z", "1970-01-01T00:00:00Z",
                      "1969-12-31T23:59:59.999Z", "2000-03-01T00:00:00.000001Z", "2023-04-30T12:00:00Z", "2100-12-31T00:00:00.1Z"]
        for _ in 0..<300 {
            let year = 1 + Int(random.next() % 9999)
            let month = 1 + Int(random.next() % 12)
            let day = 1 + Int(random.next() % 28)
            let fraction = Int(random.next() % 7)
            let digits = (0..<fraction).map { _ in String(random.next() % 10) }.joined()
            stamps.append(String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d%@Z", year, month, day, Int(random.next() % 24), Int(random.next() % 60),
                Int(random.next() % 60), fraction == 0 ? "" : "." + digits))
        }
        return stamps
    }

    @Test func thePassThroughFormReadsAsTheLiteral() async throws {
        let stamps = Self.stamps()
        var literals: [String] = []
        for stamp in stamps {
            let bytes = Array(stamp.utf8)
            let accepted = bytes.withUnsafeBufferPointer { MakiniTimestamp.isValidPlainUTC($0) }
            #expect(accepted, "\(stamp)")
            let date = try #require(MakiniTimestamp.parse(stamp), "\(stamp)")
            // The literal, written here from the text: the date and time, the fraction padded to six digits.
            let fraction = stamp.count > 20 ? String(stamp.dropFirst(20).dropLast()) : ""
            let literal = String(stamp.prefix(10)) + " " + String(stamp.dropFirst(11).prefix(8)) + "."
                + fraction.padding(toLength: 6, withPad: "0", startingAt: 0) + "+00"
            literals.append(literal)
            // Within two centuries of now a Date holds microseconds exactly: the formatted literal is the same text.
            // (Far from now it does not, and the text as it came is the exact one.)
            if stamp.hasPrefix("19") || stamp.hasPrefix("20") { #expect(PGText.timestampLiteral(date) == literal, "\(stamp)") }
        }
        let warehouse = try await MigratedWarehouse.connect(prefix: "stamps")
        defer { Task { await warehouse.close() } }
        for (zone, style) in [("UTC", "ISO, MDY"), ("America/New_York", "SQL, DMY"), ("Asia/Kolkata", "German"), ("Pacific/Chatham", "Postgres, YMD")] {
            _ = try await warehouse.query("SELECT set_config('TimeZone', $1, false), set_config('DateStyle', $2, false)", [zone, style])
            for type in ["timestamptz", "timestamp", "date"] {
                let different = try await warehouse.query("""
                    SELECT s FROM unnest($1::text[], $2::text[]) AS p(s, l) WHERE s::\(type) IS DISTINCT FROM l::\(type)
                    """, [PGText.arrayLiteral(stamps), PGText.arrayLiteral(literals)])
                #expect(different.isEmpty, "\(zone) \(style) \(type): \(different.prefix(5))")
            }
        }
    }

    @Test func otherFormsAreFormatted() {
        for text in ["2024-03-01t10:15:30z", "2024-03-01T10:15:30+00:00", "2024-03-01T10:15:30.1234567Z", "2024-03-01 10:15:30Z",
                     "2024-03-01T10:15:30.Z", "2024-03-01", "2024-03-01T10:15Z", "2024-02-30T10:15:30Z", "2023-02-29T00:00:00Z",
                     "0000-01-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
                     "2024-01-01T23:59:60Z", "2024-01-00T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T00:00:0aZ"] {
            let bytes = Array(text.utf8)
            #expect(!bytes.withUnsafeBufferPointer { MakiniTimestamp.isValidPlainUTC($0) }, "\(text)")
        }
    }

    /// The pass-through check against the parser: text of the pass-through shape with any digits (most of them no real
    /// instant) passes exactly when `MakiniTimestamp.parse` accepts it.
    @Test func thePassThroughCheckAcceptsWhatTheParserAccepts() {
        var random = FirstLoadTests.SplitMix(seed: 11)
        for _ in 0..<20_000 {
            let fraction = Int(random.next() % 7)
            var text = "dddd-dd-ddTdd:dd:dd" + (fraction == 0 ? "" : "." + String(repeating: "d", count: fraction)) + "Z"
            // Each digit from a range that makes valid and invalid fields about equally likely.
            text = String(text.enumerated().map { index, character in
                guard character == "d" else { return character }
                let limit: UInt64 = [0, 5, 8, 11, 14, 17].contains(index) ? 4 : 10
                return Character(String(random.next() % limit))
            })
            let bytes = Array(text.utf8)
            let checked = bytes.withUnsafeBufferPointer { MakiniTimestamp.isValidPlainUTC($0) }
            #expect(checked == (MakiniTimestamp.parse(text) != nil), "\(text)")
        }
    }
}
