import Foundation
import LibPQ
import MakiniRecords
import PropertyBased
import Testing
@testable import Warehouse

/// The hot path writes columns and `raw` straight from a record's JSON text (`RecordText`). For random records
/// written by this test in random spellings (whitespace, key order, escapes of any character, repeated keys), every
/// COPY row must equal a model computed here from the decoded fields with `ColumnValueConverter`, the converter the
/// dictionary path used: each column's text, the conversion failures, and `raw` decoding to the record's fields.
@Suite("RowMapper from the record's JSON text, equal to the decoded fields")
struct RecordTextEncodingTests {
    static var cases: Int { ProcessInfo.processInfo.environment["MAKINI_PROPERTY_CASES"].flatMap(Int.init) ?? 200 }

    static let table = TableSchema(schema: "makini", name: "things", columns: [
        column("connection_id", "text", .text), column("id", "text", .text),
        column("updated_at", "timestamp with time zone", .timestamp), column("deleted_at", "timestamp with time zone", .timestamp),
        column("raw", "jsonb", .json), column("title", "text", .text), column("due_at", "timestamp with time zone", .timestamp),
        column("estimated_time", "numeric", .numeric), column("priority", "bigint", .integer),
        column("is_active", "boolean", .boolean), column("details", "jsonb", .json), column("notes", "text", .indexedText),
        column("labels", "json", .json), column("site_code", "character varying", .other("character varying")),
        column("synced_at", "timestamp with time zone", .timestamp),
    ], primaryKey: ["connection_id", "id"])

    static func column(_ name: String, _ type: String, _ kind: ColumnKind) -> ColumnInfo {
        ColumnInfo(name: name, dataType: type, kind: kind, isNullable: true, hasDefault: false)
    }

    /// Field names: several name one column (`title`/`Title`, `dueAt`/`due_at`), some none, some are reserved.
    static let keys = [
        "title", "Title", "dueAt", "due_at", "estimatedTime", "priority", "isActive", "details", "notes", "labels",
        "siteCode", "extra", "ünknown", "_updatedAt", "id", "connection_id", "raw", "a\"b\\c",
    ]

    @Test("every COPY row equals the model, for random records in random spellings", .timeLimit(.minutes(5)))
    func rowsEqualTheModel() async throws {
        await propertyCheck(count: Self.cases, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = FirstLoadTests.SplitMix(seed: UInt64(seed))
            let records = (0..<Int(random.next() % 6) + 1).map { index in Self.randomRecord(index: index, random: &random) }
            var body = Array(#"{"meta": {"total": 1},"data":"#.utf8) + Self.whitespace(&random) + [UInt8(ascii: "[")]
            for (index, record) in records.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += Self.whitespace(&random)
                JSONSpeller.write(.object(record), repeating: true, into: &body, random: &random)
            }
            body += Array("]}".utf8)
            let parsed = try JSONValue.parse(body, isolatingElementsOf: "data", scanningRecords: true)
            try #require(parsed.records.count == records.count)

            var mapper = try RowMapper(table: Self.table, entity: "things")
            var encoder = CopyTextEncoder()
            var failures = 0
            let at = Date(timeIntervalSince1970: 1_700_000_000)
            for (index, text) in parsed.records.enumerated() {
                #expect(text.fields == records[index], "decoded fields of record \(index)")
                let record = IncomingRecord(id: "r\(index)", updatedAt: at, deletedAt: nil, text: text)
                failures += mapper.encode(record, connectionId: "c", into: &encoder)
            }
            let rows = Self.copyRows(encoder.bytes)
            try #require(rows.count == records.count)
            var expectedFailures = 0
            for (index, fields) in records.enumerated() {
                let expected = Self.modelRow(fields, id: "r\(index)", at: at, failures: &expectedFailures)
                for (position, column) in mapper.copyColumns.enumerated() where column.name != "raw" {
                    if column.kind == .timestamp, let text = rows[index][position], let model = expected[position] {
                        // An ISO 8601 UTC stamp is written as it came; PostgreSQL reads both as one instant.
                        #expect(Self.instant(text) == Self.instant(model), "record \(index) column \(column.name): \(text) vs \(model)")
                        #expect(Self.instant(text) != nil)
                    } else if column.dataType == "jsonb", let text = rows[index][position], let model = expected[position] {
                        // jsonb stores the value, not the spelling: compare decoded.
                        #expect(try JSONValue.parse(text) == JSONValue.parse(model), "record \(index) column \(column.name)")
                    } else {
                        #expect(rows[index][position] == expected[position], "record \(index) column \(column.name)")
                    }
                }
                let raw = try #require(mapper.copyColumns.firstIndex { $0.name == "raw" })
                #expect(try JSONValue.parse(rows[index][raw] ?? "") == .object(fields), "record \(index) raw")
                // Written with its keys in jsonb's order, so PostgreSQL's jsonb input finds them sorted.
                let written = try RecordText.scan(Array((rows[index][raw] ?? "").utf8))
                let keys = written.members.map { written.key(of: $0) }
                #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 == $1 || RowMapper.jsonbKeyOrder($0, $1) }, "\(keys)")
            }
            #expect(failures == expectedFailures)
        }
    }

    @Test("child rows read from the element text equal the model, for random arrays in random spellings")
    func childRowsEqualTheModel() async throws {
        let collection = ChildRowEncoderTests.collection
        let encoder = ChildRowEncoder(collection)
        await propertyCheck(count: Self.cases, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = FirstLoadTests.SplitMix(seed: UInt64(seed))
            // Elements: objects with the mapped fields (and others) holding any value, and now and then no object.
            let elements: [JSONValue] = (0..<Int(random.next() % 5)).map { _ in
                if random.next() % 6 == 0 { return Self.randomValue(for: "x", depth: 2, random: &random) }
                var members: [String: JSONValue] = [:]
                for key in ["key", "quantity", "dueAt", "other", "unmapped"] where random.next() % 3 != 0 {
                    members[key] = Self.randomValue(for: key, depth: 1, random: &random)
                }
                return .object(members)
            }
            var text: [UInt8] = []
            JSONSpeller.write(.object(["lineItems": .array(elements), "id": .string("p")]), repeating: true, into: &text, random: &random)
            let record = IncomingRecord(
                id: "p", updatedAt: Date(timeIntervalSince1970: 1_700_000_000), deletedAt: nil, text: try RecordText.scan(text))
            var copy = CopyTextEncoder()
            let count = encoder.encode(record, connectionId: "c", into: &copy)
            let rows = Self.copyRows(copy.bytes)
            let objects = elements.enumerated().compactMap { index, element in element.objectValue.map { (index, $0) } }
            #expect(count == objects.count)
            try #require(rows.count == objects.count)
            for (row, (ordinal, members)) in zip(rows, objects) {
                #expect(row[2] == String(ordinal))
                #expect(try JSONValue.parse(row[4] ?? "") == .object(members))
                for (offset, column) in encoder.mapped.enumerated() {
                    let model = members[column.field].map { ColumnValueConverter.convert($0, to: column.kind).text } ?? nil
                    let written = row[5 + offset]
                    if column.kind == .timestamp, let written, let model {
                        #expect(Self.instant(written) == Self.instant(model), "\(column.field): \(written) vs \(model)")
                    } else {
                        #expect(written == model, "ordinal \(ordinal) \(column.field)")
                    }
                }
            }
        }
    }

    @Test("a record of another key set or order is planned again; a repeated key keeps its last value")
    func keySetChangesArePlannedAgain() throws {
        let texts = [
            #"{"title":"a","priority":"1"}"#, #"{"priority":"2","title":"b"}"#, #"{"title":"c"}"#,
            #"{"title":"d","title":"e","priority":"x"}"#, #"{"\u0074itle":"f","priority":3}"#,
        ]
        var mapper = try RowMapper(table: Self.table, entity: "things")
        var encoder = CopyTextEncoder()
        var failures = 0
        for (index, text) in texts.enumerated() {
            let record = IncomingRecord(id: "r\(index)", updatedAt: Date(timeIntervalSince1970: 0), deletedAt: nil,
                                        text: try RecordText.scan(Array(text.utf8)))
            failures += mapper.encode(record, connectionId: "c", into: &encoder)
        }
        let rows = Self.copyRows(encoder.bytes)
        let title = try #require(mapper.copyColumns.firstIndex { $0.name == "title" })
        let priority = try #require(mapper.copyColumns.firstIndex { $0.name == "priority" })
        #expect(rows.map { $0[title] } == ["a", "b", "c", "e", "f"])
        #expect(rows.map { $0[priority] } == ["1", "2", nil, nil, "3"])
        #expect(failures == 1)
    }

    // MARK: - The model

    /// The COPY row the dictionary path wrote for `fields`: each column from the field naming it (of several, the
    /// later in jsonb key order), converted by `ColumnValueConverter`; `failures` counts every failed conversion.
    static func modelRow(_ fields: [String: JSONValue], id: String, at: Date, failures: inout Int) -> [String?] {
        let reserved: Set<String> = ["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"]
        return table.columns.filter { $0.name != "synced_at" }.map { column in
            switch column.name {
            case "connection_id": return "c"
            case "id": return id
            case "updated_at": return PGText.timestampLiteral(at)
            case "deleted_at": return nil
            case "raw": return nil
            default:
                let naming = fields.keys.filter {
                    let name = ColumnNaming.column(forField: $0)
                    return name == column.name && !reserved.contains(name)
                }
                var text: String?
                for key in naming {
                    let converted = ColumnValueConverter.convert(fields[key]!, to: column.kind)
                    if converted.failed { failures += 1 }
                    if naming.allSatisfy({ $0 == key || RowMapper.jsonbKeyOrder($0, key) }) { text = converted.text }
                }
                return text
            }
        }
    }

    /// The instant of a timestamp as written in a COPY row: the literal form (`2024-03-01 10:15:30.000000+00`) or
    /// the ISO 8601 UTC form passed through.
    static func instant(_ text: String) -> Date? {
        MakiniTimestamp.parse(text.hasSuffix("+00") ? text + ":00" : text)
    }

    // MARK: - Random records

    static func randomRecord(index: Int, random: inout FirstLoadTests.SplitMix) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        for _ in 0..<Int(random.next() % 12) {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            fields[key] = randomValue(for: key, depth: 0, random: &random)
        }
        return fields
    }

    static func randomValue(for key: String, depth: Int, random: inout FirstLoadTests.SplitMix) -> JSONValue {
        let pick = random.next() % 100
        switch pick {
        case 0..<8: return .null
        case 8..<14: return .bool(random.next() % 2 == 0)
        case 14..<34:
            let numbers = [
                "0", "-1", "42", "3.14", "-0.5", "1e3", "2E-2", "12345678901234567890123", "1.0", "7", "-0",
                "123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775808",
            ]
            return .number(numbers[Int(random.next() % UInt64(numbers.count))])
        case 34..<80: return .string(randomString(&random))
        case 80..<90 where depth < 3:
            return .array((0..<Int(random.next() % 3)).map { _ in randomValue(for: key, depth: depth + 1, random: &random) })
        case 90..<100 where depth < 3:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int(random.next() % 3) {
                members[keys[Int(random.next() % UInt64(keys.count))]] = randomValue(for: key, depth: depth + 1, random: &random)
            }
            return .object(members)
        default: return .string(randomString(&random))
        }
    }

    static func randomString(_ random: inout FirstLoadTests.SplitMix) -> String {
        let pieces = [
            "Pumpe", " ", "\"", "\\", "\t", "\n", "\r", "é", "😀", "\u{2028}", "/", "2024-03-01T10:15:30Z", "2024-03-01T10:15:30.123456Z",
            "2024-02-30T10:15:30Z", "2024-03-01T10:15:30.1234567Z", "2024-03-01t10:15:30z",
            "2024-03-01T10:15:30.123+02:00", "2024-03-01", " 12 ", "12", "-3.5", "abc", "true", "yes", "0", "\u{7F}",
            "\u{1}", "007", "-0", "+5", ".5", "1.", "-12", "9223372036854775808",
        ]
        if random.next() % 40 == 0 { return String(repeating: "x", count: 2_001) }
        return (0..<Int(random.next() % 4)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    static func whitespace(_ random: inout FirstLoadTests.SplitMix) -> [UInt8] {
        let spaces: [UInt8] = [0x20, 0x0A, 0x09, 0x0D]
        return (0..<Int(random.next() % 3)).map { _ in spaces[Int(random.next() % 4)] }
    }

    // MARK: - COPY text

    /// The rows of COPY text: fields split on tabs, `\N` as nil, escapes undone.
    static func copyRows(_ bytes: [UInt8]) -> [[String?]] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { field -> String? in
                if field == "\\N" { return nil }
                var text = ""
                var escaped = false
                for character in field {
                    if escaped {
                        switch character {
                        case "t": text.append("\t")
                        case "n": text.append("\n")
                        case "r": text.append("\r")
                        default: text.append(character)
                        }
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else {
                        text.append(character)
                    }
                }
                return text
            }
        }
    }
}

/// Writes JSON in random but valid spellings: whitespace around every token, members in random order, any character
/// of a string or key possibly escaped (`\uXXXX`, surrogate pairs, `\/`), and a member possibly preceded by a
/// decoy member with the same key (which `jsonb` and the decoded fields drop).
enum JSONSpeller {
    static func write(_ value: JSONValue, repeating: Bool, into out: inout [UInt8], random: inout FirstLoadTests.SplitMix) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .number(let text): out += Array(text.utf8)
        case .string(let text): writeString(text, into: &out, random: &random)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += RecordTextEncodingTests.whitespace(&random)
                write(element, repeating: repeating, into: &out, random: &random)
                out += RecordTextEncodingTests.whitespace(&random)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var keys = Array(members.keys)
            for index in keys.indices.reversed() { keys.swapAt(index, Int(random.next() % UInt64(index + 1))) }
            var first = true
            for key in keys {
                var entries: [JSONValue] = [members[key]!]
                if repeating, random.next() % 8 == 0 { entries.insert(.string("decoy"), at: 0) }
                for entry in entries {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    out += RecordTextEncodingTests.whitespace(&random)
                    writeString(key, into: &out, random: &random)
                    out += RecordTextEncodingTests.whitespace(&random)
                    out.append(UInt8(ascii: ":"))
                    out += RecordTextEncodingTests.whitespace(&random)
                    write(entry, repeating: repeating, into: &out, random: &random)
                    out += RecordTextEncodingTests.whitespace(&random)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8], random: inout FirstLoadTests.SplitMix) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            if mustEscape || random.next() % 10 == 0 {
                switch scalar {
                case "\"": out += Array(#"\""#.utf8)
                case "\\": out += Array(#"\\"#.utf8)
                case "/": out += Array(#"\/"#.utf8)
                case "\n" where random.next() % 2 == 0: out += Array(#"\n"#.utf8)
                default:
                    if scalar.value > 0xFFFF {
                        let value = scalar.value - 0x10000
                        out += Array(String(format: "\\u%04X\\u%04x", 0xD800 + (value >> 10), 0xDC00 + (value & 0x3FF)).utf8)
                    } else {
                        out += Array(String(format: "\\u%04x", scalar.value).utf8)
                    }
                }
            } else {
                out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
