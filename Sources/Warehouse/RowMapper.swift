import Foundation
import LibPQ
import MakiniRecords

/// Turns records into COPY rows for one table, driven by the table's introspected columns: each column is
/// filled from the record field whose `ColumnNaming` name it carries, converted per column type.
///
/// Hot path (every record of a sync): the ordered field names of the previous record and the column each fills are
/// kept, so a record with the same field set is walked once in key order, which both serializes `raw` and picks the
/// column values; values are written into the COPY buffer without intermediate Strings.
public struct RowMapper: Sendable {
    public let table: TableSchema
    /// The columns written by COPY, in order (every column but `synced_at`).
    public let copyColumns: [ColumnInfo]
    /// The entity name, written to an `entity` column when the table has one (the generic table).
    public let entity: String
    private let columnIndex: [String: Int]
    private let sources: [ColumnSource]
    private var fieldIndexCache: [String: Int] = [:]
    /// The field names of the last record encoded in `jsonbKeyOrder`, and the column index each fills (-1: none).
    private var keyOrder: [String] = []
    private var keyColumns: [Int] = []
    /// Per-record scratch, reused: the value of each column, and the `raw` JSON text.
    private var slots: [JSONValue?]
    private var rawText: [UInt8] = []
    private static let reserved: Set<String> = ["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"]

    /// What fills one COPY column.
    private enum ColumnSource: Sendable {
        case connectionId, entity, id, updatedAt, deletedAt, raw
        case field(ColumnKind)
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
            default: return .field(column.kind)
            }
        }
        slots = [JSONValue?](repeating: nil, count: copyColumns.count)
    }

    /// Appends one record as a COPY row; returns how many values did not convert and became NULL.
    public mutating func encode(_ record: IncomingRecord, connectionId: String, into encoder: inout CopyTextEncoder) -> Int {
        var failures = 0
        if !collect(record.fields, failures: &failures) {
            keyOrder = record.fields.keys.sorted(by: Self.jsonbKeyOrder)
            keyColumns = keyOrder.map { index(forField: $0) ?? -1 }
            failures = 0
            _ = collect(record.fields, failures: &failures)
        }
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
            case .raw: encoder.appendEscaped(rawText)
            case .field(let kind):
                if let value = slots[index] {
                    if Self.append(value, as: kind, to: &encoder) { failures += 1 }
                } else {
                    encoder.appendNull()
                }
            }
        }
        encoder.endRow()
        return failures
    }

    /// Fills `slots` and `rawText` from `fields` walked in `keyOrder`; false when the record's field set differs.
    /// When two fields fill one column the later in key order wins; the loser's conversion failure still counts.
    private mutating func collect(_ fields: [String: JSONValue], failures: inout Int) -> Bool {
        // Moved out (not copied) so the closure below does not overlap an access to self.
        var slots: [JSONValue?] = []
        var rawText: [UInt8] = []
        swap(&slots, &self.slots)
        swap(&rawText, &self.rawText)
        defer {
            swap(&slots, &self.slots)
            swap(&rawText, &self.rawText)
        }
        for index in slots.indices { slots[index] = nil }
        rawText.removeAll(keepingCapacity: true)
        let columns = keyColumns
        let kinds = copyColumns
        return JSONValue.serializeObject(fields, sortedKeys: keyOrder, into: &rawText) { position, value in
            let column = columns[position]
            guard column >= 0 else { return }
            if let displaced = slots[column], ColumnValueConverter.convert(displaced, to: kinds[column].kind).failed {
                failures += 1
            }
            slots[column] = value
        }
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
