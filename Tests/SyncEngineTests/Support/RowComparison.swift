import Foundation
import MakiniRecords
import Warehouse

/// Compares one stored row (as `to_jsonb(row)`) with the API record it came from, column by column.
enum RowComparison {
    static let reserved: Set<String> = ["connection_id", "entity", "synced_at"]

    static func compare(record: JSONValue, row: JSONValue, id: String) -> [String] {
        guard let fields = record.objectValue, let columns = row.objectValue else { return ["\(id): not an object"] }
        var problems: [String] = []
        if !sameInstant(fields["_updatedAt"], columns["updated_at"]) {
            problems.append("\(id): updated_at \(columns["updated_at"]?.serialized() ?? "nil") != \(fields["_updatedAt"]?.serialized() ?? "nil")")
        }
        let sourceDeleted = !(fields["_deletedAt"]?.isNull ?? true)
        let rowDeleted = !(columns["deleted_at"]?.isNull ?? true)
        if sourceDeleted != rowDeleted { problems.append("\(id): deleted_at is \(rowDeleted), source says \(sourceDeleted)") }
        if columns["raw"] != record { problems.append("\(id): raw differs from the record") }
        var fieldByColumn: [String: JSONValue] = [:]
        for (field, value) in fields { fieldByColumn[ColumnNaming.column(forField: field)] = value }
        for (column, stored) in columns where !reserved.contains(column) && !["id", "updated_at", "deleted_at", "raw"].contains(column) {
            let source = fieldByColumn[column] ?? .null
            if !equivalent(source, stored) {
                problems.append("\(id): column \(column) = \(stored.serialized()) but the record has \(source.serialized())")
            }
        }
        return problems
    }

    static func equivalent(_ source: JSONValue, _ stored: JSONValue) -> Bool {
        switch (source, stored) {
        case (.null, .null): return true
        case (.string(let a), .string(let b)):
            if a == b { return true }
            return sameInstant(source, stored)
        case (.number(let a), .number(let b)): return Double(a) == Double(b)
        case (.string(let a), .number(let b)): return Double(a) == Double(b)
        case (.bool(let a), .bool(let b)): return a == b
        case (.object, .object), (.array, .array): return source == stored
        case (.number(let a), .string(let b)): return a == b
        case (.object, .string(let b)), (.array, .string(let b)):
            return (try? JSONValue.parse(b)) == source  // a nested value in a text column holds its JSON text
        default: return false
        }
    }

    /// Both timestamps denote the same instant (PostgreSQL renders timestamptz in its own format).
    static func sameInstant(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a = a?.stringValue, let b = b?.stringValue else { return (a?.isNull ?? true) && (b?.isNull ?? true) }
        guard let first = MakiniTimestamp.parse(a) ?? MakiniTimestamp.parse(a + "Z"),
            let second = MakiniTimestamp.parse(b) ?? MakiniTimestamp.parse(b + ":00")
        else { return false }
        return abs(first.timeIntervalSince(second)) < 0.000_5
    }
}
