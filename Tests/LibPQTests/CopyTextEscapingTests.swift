import Foundation
import Testing
@testable import LibPQ

/// COPY text escaping tests eight bytes at a time; checked here against a bytewise escaper written in the test.
@Suite("CopyTextEncoder: escaping a word at a time equals escaping bytewise")
struct CopyTextEscapingTests {
    /// The escaping COPY text format needs, one byte at a time.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x00: break
            default: out.append(byte)
            }
        }
        return out
    }

    @Test("the word test answers true exactly when a byte is below 0x0E or a backslash, at every position")
    func wordTestIsExact() {
        for filler: UInt8 in [UInt8(ascii: "a"), 0xFF, 0x80, 0x0E, 0x5D, 0x5B] {
            for position in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let expected = bytes.contains { $0 < 0x0E || $0 == 0x5C }
                    #expect(CopyTextEncoder.mayNeedEscape(word) == expected, "filler \(filler) byte \(value) at \(position)")
                }
            }
        }
    }

    @Test("fields of every length up to 40 with special bytes at every offset escape as bytewise")
    func escapingEqualsReference() {
        let specials: [UInt8] = [0x5C, 0x09, 0x0A, 0x0D, 0x00, 0x01, 0x0C, 0xC3, 0xA9, 0x7F]
        for length in 0...40 {
            for offset in 0..<max(1, length) {
                for special in specials {
                    var field = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                    if length > 0 { field[offset] = special }
                    if length > 9 { field[(offset + 9) % length] = 0x5C }
                    var encoder = CopyTextEncoder()
                    encoder.appendEscaped(field)
                    #expect(encoder.bytes == Self.reference(field), "length \(length) offset \(offset) byte \(special)")
                }
            }
        }
    }
}

/// Timestamp literals are written into a fixed buffer for four-digit years; checked against Foundation's Gregorian
/// calendar in UTC for whole seconds from 1600 to 9999, and against the digits for a fraction.
@Suite("PGText: timestamp literals equal the calendar's reading")
struct TimestampLiteralTests {
    @Test func literalsEqualTheCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = calendar.date(from: DateComponents(year: 1600, month: 1, day: 1))!.timeIntervalSince1970
        let last = calendar.date(from: DateComponents(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59))!.timeIntervalSince1970
        var state: UInt64 = 11
        for index in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = index == 0 ? last : (first + Double(state >> 11).truncatingRemainder(dividingBy: last - first)).rounded(.down)
            let date = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(format: "%04d-%02d-%02d %02d:%02d:%02d.000000+00", parts.year!, parts.month!, parts.day!,
                                  parts.hour!, parts.minute!, parts.second!)
            #expect(PGText.timestampLiteral(date) == expected)
        }
        #expect(PGText.timestampLiteral(Date(timeIntervalSince1970: 1_700_000_000.000_123)) == "2023-11-14 22:13:20.000123+00")
    }
}
