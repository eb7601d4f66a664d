import Foundation
import LibPQ
import MakiniRecords

/// Turns records into COPY rows for one table, driven by the table's introspected columns: each column is
/// filled from the record field whose `ColumnNaming` name it carries, converted per column type.
///
/// Hot path (every record of a sync): columns and `raw` are written straight from the record's JSON text
/// (`RecordText`), without decoding it. Which member fills which column is planned once per key sequence; the plans of
/// the last few sequences are kept (the records of a page come in a few shapes).
public struct RowMapper: Sendable {
    public let table: TableSchema
    /// The columns written by COPY, in order (every column but `synced_at`).
    public let copyColumns: [ColumnInfo]
    /// The entity name, written to an `entity` column when the table has one (the generic table).
    public let entity: String
    private let columnIndex: [String: Int]
    private let sources: [ColumnSource]
    /// `raw` is `jsonb`: the record's members are written as they came, in `jsonbKeyOrder` (jsonb stores the same value
    /// for any spelling and key order).
    private let rawIsJSONB: Bool
    private var fieldIndexCache: [String: Int] = [:]
    /// The plans of the key sequences seen lately, most recently used first (a page often mixes a few shapes).
    private var plans: [MemberPlan] = []
    private static let plansKept = 8
    private static let reserved: Set<String> = ["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"]

    /// What fills one COPY column.
    private enum ColumnSource: Sendable {
        case connectionId, entity, id, updatedAt, deletedAt, raw
        /// A field column: its kind, and whether it is `jsonb` (a composite value is then written as its text).
        case field(ColumnKind, jsonb: Bool)
    }

    /// Which member fills which column, for records whose members have exactly these keys in this order.
    private struct MemberPlan: Sendable {
        /// The keys' bytes as written, concatenated, and where each ends.
        var keyBytes: [UInt8] = []
        var keyEnds: [Int] = []
        /// The member filling each COPY column (-1: none).
        var memberOfColumn: [Int] = []
        /// Members that lose their column to another field filling it (the later in `jsonbKeyOrder` wins), with that
        /// column: their conversion failures still count.
        var displaced: [(member: Int, column: Int)] = []
        /// The members in `jsonbKeyOrder` of their keys (a repeated key in text order): the order `raw` is written in.
        var rawOrder: [Int] = []
    }

    public init(table: TableSchema, entity: String) throws {
        for required in ["connection_id", "id", "updated_at", "raw"] where table.column(required) == nil {
            throw WarehouseError.unsupportedTable(
                "table \(table.schema).\(table.name) has no \(required) column; a sync target needs connection_id, id, updated_at and raw")
        }
        self.table = table
        self.entity = entity
        copyColumns = table.columns.filter { $0.name != "synced_at" }
        columnIndex = Dictionary(uniqueKeysWithValues: copyColumns.enumerated().map { ($1.name, $0) })
        sources = copyColumns.map { column in
            switch column.name {
            case "connection_id": return .connectionId
            case "entity": return .entity
            case "id": return .id
            case "updated_at": return .updatedAt
            case "deleted_at": return .deletedAt
            case "raw": return .raw
            default: return .field(column.kind, jsonb: column.dataType == "jsonb")
            }
        }
        rawIsJSONB = table.column("raw")?.dataType == "jsonb"
    }

    /// Appends one record as a COPY row; returns how many values did not convert and became NULL.
    public mutating func encode(_ record: IncomingRecord, connectionId: String, into encoder: inout CopyTextEncoder) -> Int {
        let text = record.text
        if let found = plans.firstIndex(where: { Self.plan($0, matches: text) }) {
            if found > 0 { plans.swapAt(0, found) }
        } else {
            plans.insert(makePlan(for: text), at: 0)
            if plans.count > Self.plansKept { plans.removeLast() }
        }
        let plan = plans[0]
        var failures = 0
        for (member, column) in plan.displaced
        where ColumnValueConverter.convert(text.value(of: text.members[member]), to: copyColumns[column].kind).failed {
            failures += 1
        }
        text.bytes.withUnsafeBufferPointer { bytes in
            for (index, source) in sources.enumerated() {
                switch source {
                case .connectionId: encoder.append(connectionId)
                case .entity: encoder.append(entity)
                case .id: encoder.append(record.id)
                case .updatedAt:
                    encoder.appendUnescaped { PGText.appendTimestampLiteral(record.updatedAt, to: &$0) }
                case .deletedAt:
                    if let deletedAt = record.deletedAt {
                        encoder.appendUnescaped { PGText.appendTimestampLiteral(deletedAt, to: &$0) }
                    } else {
                        encoder.appendNull()
                    }
                case .raw:
                    if rawIsJSONB {
                        Self.appendInKeyOrder(text, bytes: bytes, order: plan.rawOrder, to: &encoder)
                    } else {
                        encoder.appendEscaped(Self.serializedInKeyOrder(text.fields))
                    }
                case .field(let kind, let jsonb):
                    let position = plan.memberOfColumn[index]
                    if position < 0 {
                        encoder.appendNull()
                    } else if Self.append(text.members[position], of: text, bytes: bytes, as: kind, jsonb: jsonb, to: &encoder) {
                        failures += 1
                    }
                }
            }
        }
        encoder.endRow()
        return failures
    }

    /// Writes one member's value converted for `kind` (NULL when it does not convert); true on a failed conversion.
    static func append(
        _ member: RecordMember, of text: RecordText, as kind: ColumnKind, jsonb: Bool, to encoder: inout CopyTextEncoder
    ) -> Bool {
        text.bytes.withUnsafeBufferPointer { bytes in
            append(member, of: text, bytes: bytes, as: kind, jsonb: jsonb, to: &encoder)
        }
    }

    /// Writes one member's value converted for `kind` (NULL when it does not convert); true on a failed conversion.
    /// Plain strings, numbers and (into `jsonb`) objects and arrays are copied from the text; the rest is decoded and
    /// converted by `append(_:as:to:)`, so both give the same text.
    private static func append(
        _ member: RecordMember, of text: RecordText, bytes: UnsafeBufferPointer<UInt8>, as kind: ColumnKind, jsonb: Bool,
        to encoder: inout CopyTextEncoder
    ) -> Bool {
        let content = UnsafeBufferPointer(rebasing: bytes[member.contentRange])
        switch (member.kind, kind) {
        case (.null, _):
            encoder.appendNull()
            return false
        case (.plainString, .text), (.plainString, .other), (.number, .text), (.number, .other), (.number, .numeric):
            // A plain string holds no backslash and (being valid JSON) no control character: nothing to escape.
            encoder.appendVerbatim(content)
            return false
        case (.plainString, .indexedText), (.number, .indexedText):
            guard content.count <= ColumnKind.maxIndexedTextBytes else {
                encoder.appendNull()
                return true
            }
            encoder.appendVerbatim(content)
            return false
        case (.plainString, .timestamp):
            if MakiniTimestamp.isValidPlainUTC(content) {
                // PostgreSQL reads this ISO 8601 form as the instant it names, in any `DateStyle` and time zone.
                encoder.appendVerbatim(content)
                return false
            }
            guard let date = MakiniTimestamp.parse(utf8: content) else { break }
            encoder.appendUnescaped { PGText.appendTimestampLiteral(date, to: &$0) }
            return false
        case (.number, .integer), (.plainString, .integer):
            // `-?[1-9][0-9]{0,17}` or `0`: Int64 reads it and writes it back as it stands.
            guard isCanonicalInteger(content) else { break }
            encoder.appendVerbatim(content)
            return false
        case (.plainString, .numeric):
            // `-?[0-9]+(.[0-9]+)?`, short enough to be a finite Double: the converter keeps it as it stands.
            guard isPlainDecimalNumber(content) else { break }
            encoder.appendVerbatim(content)
            return false
        case (.trueLiteral, .boolean), (.falseLiteral, .boolean):
            encoder.appendUnescaped { $0.append(contentsOf: (member.kind == .trueLiteral ? "true" : "false").utf8) }
            return false
        case (.object, .json) where jsonb, (.array, .json) where jsonb:
            encoder.append(content, copySafe: text.isCopySafe)
            return false
        default:
            break
        }
        return append(text.value(of: member), as: kind, to: &encoder)
    }

    /// Writes the record's text as one field with its top-level members in `order` (`jsonbKeyOrder`), each member's
    /// key and value copied as they came: PostgreSQL's jsonb input then finds the keys sorted (its own sort is one
    /// linear pass) and keeps the last of a repeated key, as it would from the text as sent.
    private static func appendInKeyOrder(
        _ text: RecordText, bytes: UnsafeBufferPointer<UInt8>, order: [Int], to encoder: inout CopyTextEncoder
    ) {
        encoder.startEscapedField()
        encoder.continueUnescaped(UInt8(ascii: "{"))
        for (index, position) in order.enumerated() {
            let member = text.members[position]
            if index > 0 { encoder.continueUnescaped(UInt8(ascii: ",")) }
            // The key with its quotes, the colon (and any blanks around it), and the value, as written.
            let start = Int(member.keyStart) - 1
            let written = UnsafeBufferPointer(rebasing: bytes[start..<Int(member.valueEnd)])
            encoder.continueField(written, copySafe: text.isCopySafe)
        }
        encoder.continueUnescaped(UInt8(ascii: "}"))
    }

    /// True for `0` and `-?[1-9][0-9]{0,17}`: text `ColumnValueConverter` turns into the same text for an integer column
    /// (it fits Int64, has no sign, blank or leading zero to drop). Anything else takes the converter's path.
    static func isCanonicalInteger(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = text[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard let first = digits.first, digits.count <= 18, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            return false
        }
        if first == UInt8(ascii: "0") { return text.count == 1 }
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// True for `-?[0-9]+(.[0-9]+)?` of at most 300 bytes: a string `ColumnValueConverter` keeps as it stands for a
    /// numeric column (a finite Double, a plain decimal, nothing to trim). Anything else takes the converter's path.
    static func isPlainDecimalNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count <= 300 else { return false }
        var index = text.first == UInt8(ascii: "-") ? 1 : 0
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerStart = index
        while index < text.count, isDigit(text[index]) { index += 1 }
        guard index > integerStart else { return false }
        if index == text.count { return true }
        guard text[index] == UInt8(ascii: ".") else { return false }
        index += 1
        let fractionStart = index
        while index < text.count, isDigit(text[index]) { index += 1 }
        return index > fractionStart && index == text.count
    }

    /// True when `text`'s members have exactly the keys, in order, `plan` was made for.
    private static func plan(_ plan: MemberPlan, matches text: RecordText) -> Bool {
        guard text.members.count == plan.keyEnds.count else { return false }
        return text.bytes.withUnsafeBufferPointer { bytes in
            plan.keyBytes.withUnsafeBufferPointer { planned in
                var start = 0
                for (position, member) in text.members.enumerated() {
                    let end = plan.keyEnds[position]
                    let count = Int(member.keyEnd - member.keyStart)
                    guard count == end - start else { return false }
                    if count > 0, memcmp(bytes.baseAddress! + Int(member.keyStart), planned.baseAddress! + start, count) != 0 {
                        return false
                    }
                    start = end
                }
                return true
            }
        }
    }

    /// Plans which member fills which column for records with `text`'s keys: a repeated key counts once, its last
    /// member (as in `jsonb`); of several fields naming one column the later in `jsonbKeyOrder` fills it.
    private mutating func makePlan(for text: RecordText) -> MemberPlan {
        var plan = MemberPlan()
        let keys = text.members.map { text.key(of: $0) }
        for member in text.members {
            plan.keyBytes.append(contentsOf: text.bytes[Int(member.keyStart)..<Int(member.keyEnd)])
            plan.keyEnds.append(plan.keyBytes.count)
        }
        var lastPosition: [String: Int] = [:]
        for (position, key) in keys.enumerated() { lastPosition[key] = position }
        plan.memberOfColumn = [Int](repeating: -1, count: copyColumns.count)
        for (position, key) in keys.enumerated() where lastPosition[key] == position {
            guard let column = index(forField: key) else { continue }
            let current = plan.memberOfColumn[column]
            if current >= 0, !Self.jsonbKeyOrder(keys[current], key) {
                plan.displaced.append((position, column))
                continue
            }
            if current >= 0 { plan.displaced.append((current, column)) }
            plan.memberOfColumn[column] = position
        }
        plan.rawOrder = keys.indices.sorted { left, right in
            keys[left] == keys[right] ? left < right : Self.jsonbKeyOrder(keys[left], keys[right])
        }
        return plan
    }

    /// `fields` as a JSON object with its keys in `jsonbKeyOrder` (a `raw` column that is not `jsonb`).
    private static func serializedInKeyOrder(_ fields: [String: JSONValue]) -> [UInt8] {
        var text: [UInt8] = []
        _ = JSONValue.serializeObject(fields, sortedKeys: fields.keys.sorted(by: jsonbKeyOrder), into: &text)
        return text
    }

    /// Writes `value` converted for `kind` as one field (NULL when it does not convert); returns true on a failed conversion.
    /// The same text as `ColumnValueConverter.convert`, without building a String for text and timestamp columns.
    static func append(_ value: JSONValue, as kind: ColumnKind, to encoder: inout CopyTextEncoder) -> Bool {
        switch (kind, value) {
        case (_, .null):
            encoder.appendNull()
            return false
        case (.text, .string(let text)), (.other, .string(let text)):
            encoder.append(text)
            return false
        case (.timestamp, .string(let text)):
            guard let date = ColumnValueConverter.parseDate(text) else {
                encoder.appendNull()
                return true
            }
            encoder.appendUnescaped { PGText.appendTimestampLiteral(date, to: &$0) }
            return false
        default:
            let converted = ColumnValueConverter.convert(value, to: kind)
            encoder.append(converted.text)
            return converted.failed
        }
    }

    /// The order `jsonb` keeps object keys in (shorter UTF-8 first, then bytewise): `raw` is written in it, so the
    /// server's jsonb input finds the keys already sorted (its sort then is one linear pass). The stored jsonb is the
    /// same for any key order.
    static func jsonbKeyOrder(_ left: String, _ right: String) -> Bool {
        let (leftCount, rightCount) = (left.utf8.count, right.utf8.count)
        if leftCount != rightCount { return leftCount < rightCount }
        return left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    private mutating func index(forField field: String) -> Int? {
        if let cached = fieldIndexCache[field] { return cached < 0 ? nil : cached }
        let column = ColumnNaming.column(forField: field)
        let index = Self.reserved.contains(column) ? nil : columnIndex[column]
        fieldIndexCache[field] = index ?? -1
        return index
    }
}
