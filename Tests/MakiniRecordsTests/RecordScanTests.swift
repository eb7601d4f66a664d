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

    @Test("a text is COPY-safe exactly when it holds no backslash, tab, newline or carriage return, at any depth")
    func copySafety() throws {
        #expect(try RecordText.scan(Array(#"{"a":"plain é","b":[1,{"c":"d"}], "e" : null}"#.utf8)).isCopySafe)
        let unsafe = [
            #"{"a":"x\"y"}"#, #"{"a":[{"b":"\u00e9"}]}"#, #"{"a\/":1}"#, "{\t\"a\":1}", "{\"a\":\n1}", "{\"a\":[1,\r2]}",
        ]
        for text in unsafe {
            let scanned = try RecordText.scan(Array(text.utf8))
            #expect(!scanned.isCopySafe, "\(text)")
        }
        // A record scanned after an unsafe one in the same page starts clean.
        let page = try JSONValue.parse(
            Array(#"{"data":[{"a":"\n"},{"a":"b"},{"a":1}, {"a" :1}]}"#.utf8) , isolatingElementsOf: "data", scanningRecords: true)
        #expect(page.records.map(\.isCopySafe) == [false, true, true, true])
        let tabbed = try JSONValue.parse(Array("{\"data\":[{\t\"a\":1},{\"a\":1}]}".utf8), isolatingElementsOf: "data", scanningRecords: true)
        #expect(tabbed.records.map(\.isCopySafe) == [false, true])
    }

    @Test("the last members of three names are found in one pass, as one lookup each finds them")
    func threeNamesInOnePass() throws {
        let texts = [
            #"{"id":"1","_updatedAt":"t1","x":2,"id":"2","_updatedAt":"t2"}"#,
            #"{"i\u0064":"e","id":"p","_deletedAt":null}"#,
            #"{"x":1}"#, #"{}"#, #"{"":1,"id":3,"\u0069d":4}"#,
        ]
        for text in texts {
            let scanned = try RecordText.scan(Array(text.utf8))
            for names in [("id", "_updatedAt", "_deletedAt"), ("id", "id", ""), ("_deletedAt", "x", "id")] {
                let found = scanned.lastMembers(named: names.0, names.1, names.2)
                #expect(found.0 == scanned.lastMember(named: names.0), "\(text) \(names.0)")
                #expect(found.1 == scanned.lastMember(named: names.1), "\(text) \(names.1)")
                #expect(found.2 == scanned.lastMember(named: names.2), "\(text) \(names.2)")
            }
        }
        let repeated = try RecordText.scan(Array(#"{"id":"1","id":"2"}"#.utf8))
        #expect(repeated.lastMembers(named: "id", "a", "b").0.map(repeated.value(of:)) == .string("2"))
        let escaped = try RecordText.scan(Array(#"{"id":"p","i\u0064":"e"}"#.utf8))
        #expect(escaped.lastMembers(named: "a", "id", "b").1.map(escaped.value(of:)) == .string("e"))
    }
}
