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
