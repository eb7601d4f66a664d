import Testing
@testable import MakiniRecords

@Suite("JSONValue parsing and serialization")
struct JSONValueTests {
    @Test func parsesScalarsAndContainers() throws {
        let value = try JSONValue.parse(#" { "a" : [1, -2.5e3, true, false, null], "b": {"c": "d"} } "#)
        #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"]?.stringValue == "d")
        #expect(value["missing"] == nil)
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(JSONValue.null.isNull)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.number("7").numberText == "7")
        #expect(value.objectValue?.keys.sorted() == ["a", "b"])
    }

    @Test func numbersKeepTheirExactText() throws {
        for text in ["12345678901234567890", "0.1", "-0", "1E+2", "3.14159265358979323846264338327950288", "0e-7"] {
            let value = try JSONValue.parse("[\(text)]")
            #expect(value == .array([.number(text)]))
            #expect(value.serialized() == "[\(text)]")
        }
    }

    @Test func rejectsMalformedNumbers() {
        for text in ["01", "1.", ".5", "-", "1e", "+1", "1.e3", "--1"] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        }
    }

    @Test func roundTripsHostileStrings() throws {
        let hostile = [
            "quote \" backslash \\ slash /",
            "controls \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}",
            "unicode é 漢字 🚀 \u{10FFFF}",
            "",
            "{\"nested\":\"json\"}",
        ]
        for text in hostile {
            let value = JSONValue.object([text: .string(text)])
            let serialized = value.serialized()
            #expect(!serialized.utf8.contains { $0 < 0x20 })
            #expect(try JSONValue.parse(serialized) == value)
        }
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let value = try JSONValue.parse(#""\u00e9\ud83d\ude80\n\t\"\\\/\b\f\r\u0041""#)
        #expect(value == .string("é🚀\n\t\"\\/\u{8}\u{C}\r" + "A"))
    }

    @Test func rejectsBadEscapesAndSurrogates() {
        let bad = [#""\x""#, #""\u12G4""#, #""\ud83d""#, #""\ud83dx""#, #""\ude80""#, #""\ud83d\u0041""#, #""\u12""#]
        for text in bad {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        }
    }

    @Test func rejectsRawControlCharactersInStrings() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse("\"a\nb\"") }
        #expect(error.offset == 2)
    }

    @Test func rejectsInvalidUTF8() throws {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],             // invalid lead byte
            [0x22, 0xC3, 0x22],             // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],       // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22], // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
        ]
        for bytes in cases {
            let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
            #expect(error.offset >= 1)
        }
        #expect(try JSONValue.parse([0x22, 0xC3, 0xA9, 0x22]) == .string("é"))
    }

    @Test func rejectsNestingDeeperThanMaxDepth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        #expect(error.offset == 64)
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(allowed) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a":{"b":1}}"#, maxDepth: 1) }
        // A hostile document far deeper than the limit must fail cleanly, not overflow the stack.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(hostile) }
    }

    @Test func rejectsTruncatedInputNamingTheOffset() throws {
        let text = #"{"data":[{"id":"1","name":"pump"#
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(error.offset == text.utf8.count)
        #expect(error.description.contains("byte \(text.utf8.count)"))
        for truncated in ["", "[", "{", #"{"a""#, #"{"a":"#, "[1,", "tru", "nul", "\"abc"] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(truncated) }
        }
    }

    @Test func rejectsTrailingGarbage() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse("{} x") }
        #expect(error.offset == 3)
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1,]") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a":1,}"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("truex") }
    }

    @Test func serializesObjectsWithSortedKeys() {
        let value = JSONValue.object(["b": .number("2"), "a": .array([.null, .bool(false)]), "c": .object([:])])
        #expect(value.serialized() == #"{"a":[null,false],"b":2,"c":{}}"#)
        var buffer: [UInt8] = Array("x".utf8)
        JSONValue.string("\u{1}").serialize(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"x"\u0001""#)
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try JSONValue.parse(#"{"a":1,"a":2}"#) == .object(["a": .number("2")]))
    }
}

@Suite("Isolated parsing of a list's elements")
struct IsolatedParsingTests {
    @Test func elementsThatAreNoValueAreLeftOutAndReportedWithTheirReadableMembers() throws {
        let text = #"{"meta":{"n":1},"data":[1,{"id":"x","bad":"\ud800","after":true},[[[[2]]]],{"k":"\udc00"},3]}"#
        let parsed = try JSONValue.parse(Array(text.utf8), maxDepth: 4, isolatingElementsOf: "data")
        #expect(parsed.document["data"] == .array([.number("1"), .number("3")]))
        #expect(parsed.document["meta"]?["n"] == .number("1"))
        #expect(parsed.refused.map(\.reason) == [
            "high surrogate escape not followed by a low surrogate", "nesting deeper than 4 levels", "lone low surrogate escape",
        ])
        #expect(parsed.refused[0].members == ["id": .string("x"), "after": .bool(true)])
        #expect(String(decoding: parsed.refused[0].text, as: UTF8.self) == #"{"id":"x","bad":"\ud800","after":true}"#)
        #expect(String(decoding: parsed.refused[1].text, as: UTF8.self) == "[[[[2]]]]")
        #expect(parsed.refused[1].members.isEmpty)
    }

    @Test func onlyConfinedProblemsAreIsolatedAndOnlyInTheNamedTopLevelArray() {
        for text in [
            #"{"data":[{"id":"x","bad":"\ud800",}]}"#,  // a syntax error inside the refused element
            #"{"data":[[[[[[1]]]]]"#,  // cut off while skipping
            #"{"data":[1],"meta":"\ud800"}"#,  // outside the isolated array
            #"{"x":{"data":["\ud800"]}}"#,  // a "data" that is not the top-level member
            #"["\ud800"]"#,
        ] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(Array(text.utf8), maxDepth: 4, isolatingElementsOf: "data") }
        }
    }

    @Test func skippingIsIterativeWhateverTheDepth() throws {
        let depth = 300_000
        let text = "{\"data\":[" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ",{\"ok\":1}]}"
        let parsed = try JSONValue.parse(Array(text.utf8), isolatingElementsOf: "data")
        #expect(parsed.document["data"] == .array([.object(["ok": .number("1")])]))
        #expect(parsed.refused.count == 1)
        #expect(parsed.refused[0].text.count == RefusedJSONElement.textLimit)
    }
}
