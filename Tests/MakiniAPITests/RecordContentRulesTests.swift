import Foundation
import MakiniRecords
import Testing
@testable import MakiniAPI

@Suite("RecordContentRules: U+0000 found wherever it is")
struct RecordContentRulesTests {
    @Test func nulIsFoundInNativeAndBridgedStrings() {
        #expect(RecordContentRules.containsNUL("ab\u{0}c"))
        #expect(RecordContentRules.containsNUL("\u{0}"))
        #expect(!RecordContentRules.containsNUL(""))
        #expect(!RecordContentRules.containsNUL("Pumpe Halle 3, ünter"))
        let bridged = NSString(string: "x\u{0}y") as String
        #expect(RecordContentRules.containsNUL(bridged))
    }

    @Test func aNulDeepInANestedObjectNamesItsPath() {
        let fields: [String: JSONValue] = [
            "id": .string("1"),
            "site": .object(["address": .object(["street": .string("Haupt\u{0}strasse")])]),
        ]
        #expect(RecordContentRules.contentProblem(fields)?.contains("site.address.street") == true)
        #expect(RecordContentRules.contentProblem(["id": .string("1"), "n": .array([.number("1e5")])]) == nil)
    }
}
