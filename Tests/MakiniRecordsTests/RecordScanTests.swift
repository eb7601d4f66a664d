import Testing
@testable import MakiniRecords

/// Record scanning: the word test that lets string scanning skip eight plain bytes at a time, and located members.
@Suite("Record scanning")
struct RecordScanTests {
    @Test("the word test answers true exactly when a byte is a quote, a backslash, a control or non-ASCII byte")
    func wordTestIsExact() {
        for filler: UInt8 in [UInt8(ascii: "a"), 0x20, 0x7F, 0x21, 0x23, 0x5B, 0x5D] {
            for position in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                    let expected = bytes.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 >= 0x80 }
                    #expect(JSONByteParser.mayEndPlainRun(word) == expected, "filler \(filler) byte \(value) at \(position)")
                }
            }
        }
    }

    @Test("members are located with their kinds; content hazards and bad text are caught at any offset")
    func membersAndHazards() throws {
        let text = try RecordText.scan(Array(#"{ "a" : "plain text longer than eight", "b":"x\ny", "c":-1.5, "d":[1,{"e":null}], "f":{}, "g":true, "h":false, "i":null }"#.utf8))
        #expect(text.members.map(\.kind) == [.plainString, .escapedString, .number, .array, .object, .trueLiteral, .falseLiteral, .null])
        #expect(text.members.map { text.key(of: $0) } == ["a", "b", "c", "d", "e", "f", "g", "h", "i"].filter { $0 != "e" })
        #expect(text.value(forField: "b") == .string("x\ny"))
        #expect(!text.needsContentCheck)
        for padding in 0..<10 {
            let pad = String(repeating: "p", count: padding)
            #expect(try RecordText.scan(Array(#"{"a":"\#(pad)\u0000"}"#.utf8)).needsContentCheck)
            #expect(try RecordText.scan(Array(#"{"a":"\#(pad)é\#(pad)"}"#.utf8)).members[0].kind == .plainString)
            #expect(throws: JSONParseError.self) { try RecordText.scan(Array("{\"a\":\"\(pad)\u{1}\"}".utf8)) }
            #expect(throws: JSONParseError.self) { try RecordText.scan(Array("{\"a\":\"\(pad)".utf8) + [0xC3, 0x28, 0x22, 0x7D]) }
            #expect(throws: JSONParseError.self) { try RecordText.scan(Array(#"{"a":"\#(pad)\ud800"}"#.utf8)) }
        }
        #expect(try RecordText.scan(Array(#"{"n":1e5}"#.utf8)).needsContentCheck)
    }
}
