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
            let accepted = bytes.withUnsafeBufferPointer { RowMapper.isPlainUTCTimestamp($0) }
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
                     "2024-03-01T10:15:30.Z", "2024-03-01", "2024-03-01T10:15Z"] {
            let bytes = Array(text.utf8)
            #expect(!bytes.withUnsafeBufferPointer { RowMapper.isPlainUTCTimestamp($0) }, "\(text)")
        }
    }
}
