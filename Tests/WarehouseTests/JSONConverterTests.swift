import Foundation
import LibPQ
import PostgresTestSupport
import Testing
@testable import Warehouse

/// Migration 013's SQL converters (a plain cast for values that cannot fail it) give exactly what the 006 plpgsql
/// converters (`makini.jsonb_to_*_checked`, a subtransaction per call) give, on a corpus of edge cases and on
/// generated values around every boundary of the fast patterns, against a real PostgreSQL.
@Suite("JSON converters: the fast SQL functions equal the checked ones")
struct JSONConverterTests {
    static let numbers = [
        "0", "42", "-7", "+7", "1.5", "-0.25", "1e3", "1E-3", ".5", "5.", "1..2", "--1", "+-1", "1.5e400", "1e-400",
        "123456789012345678", "1234567890123456789", "-9223372036854775808", "9223372036854775808", " 12 ", "\t12", "1 2",
        "NaN", "nan", "Infinity", "-Infinity", "", " ", "abc", "0x10", "1_000", String(repeating: "9", count: 100),
        String(repeating: "9", count: 101), "1." + String(repeating: "0", count: 100), "1." + String(repeating: "0", count: 101),
    ]
    static let times = [
        "2024-03-01T10:15:30Z", "2024-03-01t10:15:30z", "2024-03-01 10:15:30+02:00", "2024-03-01T10:15:30.123456789+0530",
        "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z", "2024-12-31T23:59:59Z",
        "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z", "2024-01-01T10:00:00+14:59", "2024-01-01T10:00:00+15:00", "2024-01-01T10:00:00+15:59",
        "2024-01-01T10:00:00-16:00", "2024-01-01T10:00:00+99:99", "0000-01-01T00:00:00Z", "0999-01-01T00:00:00Z",
        "1000-01-01T00:00:00Z", "9999-12-28T23:59:59Z", "2024-03-01", "2024-02-30", "2024-03-01T10:15:30,5Z",
        "2024-03-01T10:15:30", "2024-03-01T10:15Z", "20240301T101530Z", "", "yesterday", "2024-03-01T10:15:30.Z",
    ]

    /// Every value of `values` as a JSON string, plus the numbers also as JSON numbers where they are valid JSON.
    static func corpus(_ values: [String]) -> [String] {
        var json = values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t") + "\"" }
        json += ["null", "true", "false", "[1]", "{\"a\": 1}", "12", "-3.5", "1e3", "1.0", "123456789012345678", "1234567890123456789"]
        return json
    }

    /// Generated variants: each character of a valid value replaced by each of a few others, so every boundary of the
    /// fast patterns is crossed.
    static func variants(of value: String, alphabet: String) -> [String] {
        let characters = Array(value)
        var result: [String] = []
        for index in characters.indices {
            for replacement in alphabet {
                var changed = characters
                changed[index] = replacement
                result.append(String(changed))
            }
        }
        return result
    }

    @Test func theFastConvertersEqualTheCheckedOnes() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "converters")
        defer { Task { await warehouse.close() } }
        let numberCorpus = Self.corpus(Self.numbers + Self.variants(of: "-12.5", alphabet: "09+-. e"))
        let timeCorpus = Self.corpus(Self.times + Self.variants(of: "2024-12-28T23:59:59.5+14:59", alphabet: "0129T:.+- Z"))
        for (function, corpus) in [("numeric", numberCorpus), ("bigint", numberCorpus), ("timestamptz", timeCorpus)] {
            let rows = try await warehouse.query("""
                SELECT v::text, makini.jsonb_to_\(function)(v)::text, makini.jsonb_to_\(function)_checked(v)::text
                FROM unnest($1::jsonb[]) AS c(v)
                """, [PGText.arrayLiteral(corpus)])
            #expect(rows.count == corpus.count)
            let different = rows.filter { $0[1] != $0[2] }
            #expect(different.isEmpty, "\(function): \(different)")
            let converted = rows.filter { $0[1] != nil }.count
            #expect(converted > 5 && converted < rows.count, "\(function): the corpus holds values that convert and values that do not")
        }
    }

    @Test func theFastConvertersAreSQLFunctionsAndTheCheckedOnesKeepTheBodiesOf006() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "converters")
        defer { Task { await warehouse.close() } }
        let languages = try await warehouse.query("""
            SELECT p.proname, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'makini'::regnamespace AND p.proname ~ '^jsonb_to_(numeric|bigint|timestamptz)' ORDER BY 1
            """)
        #expect(languages == [
            ["jsonb_to_bigint", "sql"], ["jsonb_to_bigint_checked", "plpgsql"], ["jsonb_to_numeric", "sql"],
            ["jsonb_to_numeric_checked", "plpgsql"], ["jsonb_to_timestamptz", "sql"], ["jsonb_to_timestamptz_checked", "plpgsql"],
        ])
    }
}
