import Foundation
import Testing
import MakiniRecords

@Suite("MakiniTimestamp")
struct MakiniTimestampTests {
    @Test func parsesAllForms() throws {
        let base = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30Z"))
        #expect(base.timeIntervalSince1970 == 1_709_288_130)
        let millis = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30.123Z"))
        #expect(abs(millis.timeIntervalSince1970 - 1_709_288_130.123) < 1e-6)
        let offset = try #require(MakiniTimestamp.parse("2024-03-01T12:15:30+02:00"))
        #expect(offset == base)
        let negative = try #require(MakiniTimestamp.parse("2024-03-01T05:15:30-05:00"))
        #expect(negative == base)
        let micros = try #require(MakiniTimestamp.parse("2024-03-01T10:15:30.123456Z"))
        #expect(abs(micros.timeIntervalSince1970 - 1_709_288_130.123456) < 1e-6)
        #expect(MakiniTimestamp.parse("2024-03-01T10:15:30+0200") == MakiniTimestamp.parse("2024-03-01T08:15:30Z"))
        #expect(MakiniTimestamp.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(MakiniTimestamp.parse("2024-02-29T00:00:00Z") != nil)
        #expect(MakiniTimestamp.parse("0001-01-01T00:00:00Z") != nil)
        #expect(MakiniTimestamp.parse("9999-12-31T23:59:59.999Z") != nil)
    }

    @Test func rejectsMalformedAndOutOfRange() {
        let bad = [
            "", "2024-03-01", "2024-03-01T10:15:30", "2024-03-01T10:15Z", "2024-13-01T00:00:00Z",
            "2024-00-10T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-03-01T24:00:00Z",
            "2024-03-01T10:60:00Z", "2024-03-01T10:15:61Z", "0000-01-01T00:00:00Z", "2024-03-01T10:15:30.Z",
            "2024-03-01T10:15:30Zjunk", "2024-03-01T10:15:30+25:00", "24-03-01T10:15:30Z", "not a date",
            "2024-03-01T10:15:30+02", "２０２４-03-01T10:15:30Z",
        ]
        for text in bad {
            #expect(MakiniTimestamp.parse(text) == nil, "\(text) should be rejected")
        }
    }

    @Test func formatsUTCWithMilliseconds() throws {
        #expect(MakiniTimestamp.format(Date(timeIntervalSince1970: 1_709_288_130.123)) == "2024-03-01T10:15:30.123Z")
        #expect(MakiniTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(MakiniTimestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        let leap = try #require(MakiniTimestamp.parse("2000-02-29T23:59:59.5+00:00"))
        #expect(MakiniTimestamp.format(leap) == "2000-02-29T23:59:59.500Z")
    }

    @Test func formatThenParseRoundTripsAtMillisecondPrecision() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = MakiniTimestamp.format(date)
            let parsed = try #require(MakiniTimestamp.parse(text), "\(text)")
            #expect(MakiniTimestamp.format(parsed) == text)
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
        }
    }

    @Test func agreesWithISO8601DateFormatter() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let seconds = Double(Int64.random(in: 0...4_102_444_800, using: &generator))
            let date = Date(timeIntervalSince1970: seconds)
            #expect(MakiniTimestamp.format(date) == formatter.string(from: date))
        }
    }
}

/// Deterministic generator for reproducible tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
