import Foundation
import LibPQ
import MakiniRecords

/// Turns records into COPY rows for one table, driven by the table's introspected columns: each column is
/// filled from the record field whose `ColumnNaming` name it carries, converted per column type.
public struct RowMapper: Sendable {
    public let table: TableSchema
    /// The columns written by COPY, in order (every column but `synced_at`).
    public let copyColumns: [ColumnInfo]
    /// The entity name, written to an `entity` column when the table has one (the generic table).
    public let entity: String
    private let columnIndex: [String: Int]
    private var fieldIndexCache: [String: Int] = [:]
    private static let reserved: Set<String> = ["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"]

    public init(table: TableSchema, entity: String) throws {
        for required in ["connection_id", "id", "updated_at", "raw"] where table.column(required) == nil {
            throw WarehouseError.unsupportedTable(
                "table \(table.schema).\(table.name) has no \(required) column; a sync target needs connection_id, id, updated_at and raw")
        }
        self.table = table
        self.entity = entity
        copyColumns = table.columns.filter { $0.name != "synced_at" }
        columnIndex = Dictionary(uniqueKeysWithValues: copyColumns.enumerated().map { ($1.name, $0) })
    }

    /// Appends one record as a COPY row; returns how many values did not convert and became NULL.
    public mutating func encode(_ record: IncomingRecord, connectionId: String, into encoder: inout CopyTextEncoder) -> Int {
        var values = [String?](repeating: nil, count: copyColumns.count)
        var failures = 0
        for (field, value) in record.fields {
            guard let index = index(forField: field) else { continue }
            let converted = ColumnValueConverter.convert(value, to: copyColumns[index].kind)
            values[index] = converted.text
            if converted.failed { failures += 1 }
        }
        if let index = columnIndex["connection_id"] { values[index] = connectionId }
        if let index = columnIndex["entity"] { values[index] = entity }
        if let index = columnIndex["id"] { values[index] = record.id }
        if let index = columnIndex["updated_at"] { values[index] = PGText.timestampLiteral(record.updatedAt) }
        if let index = columnIndex["deleted_at"] { values[index] = record.deletedAt.map(PGText.timestampLiteral) }
        if let index = columnIndex["raw"] { values[index] = JSONValue.object(record.fields).serialized() }
        encoder.appendRow(values)
        return failures
    }

    private mutating func index(forField field: String) -> Int? {
        if let cached = fieldIndexCache[field] { return cached < 0 ? nil : cached }
        let column = ColumnNaming.column(forField: field)
        let index = Self.reserved.contains(column) ? nil : columnIndex[column]
        fieldIndexCache[field] = index ?? -1
        return index
    }
}
