import Foundation
import MakiniRecords
import Testing
@testable import Warehouse

@Suite("ColumnValueConverter: the hot-path trim equals Foundation's")
struct ColumnValueConverterTests {
    @Test func theTrimEqualsFoundationsForEveryMixOfSpacesAndText() {
        let pieces = ["", " ", "\t", "\u{00A0}", "\u{2003}", "4", "2", "-", "x", "ü", "\n"]
        var checked = 0
        for a in pieces { for b in pieces { for c in pieces { for d in pieces {
            let text = a + b + c + d
            #expect(ColumnValueConverter.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            checked += 1
        } } } }
        #expect(checked == 14_641)
    }

    @Test func numbersInStringsWithSpacesConvert() {
        #expect(ColumnValueConverter.convert(.string(" 42\t"), to: .integer).text == "42")
        #expect(ColumnValueConverter.convert(.string("\u{00A0}7"), to: .integer).text == "7")
        #expect(ColumnValueConverter.convert(.string(" 1.5 "), to: .numeric).text == "1.5")
        #expect(ColumnValueConverter.convert(.string("4 2"), to: .integer).failed)
    }
}
