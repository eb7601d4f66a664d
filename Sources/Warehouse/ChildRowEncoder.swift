import LibPQ
import MakiniRecords

/// Encodes the child rows of records for one child table (`ChildCollection`) as COPY text: one row per object element
/// of the parent's array field, keyed by (connection, parent id, ordinal = the element's position in the array), with
/// the element as `raw` and each mapped column converted exactly as `RowMapper` converts the parent's columns.
/// Pure, so the rows a record gives are unit-tested without a database.
public struct ChildRowEncoder: Sendable, Equatable {
    /// The parent record's field holding the array.
    public let field: String
    /// The COPY columns, in order: the five key and content columns, then the mapped ones.
    public let columns: [String]
    /// For each mapped column (after the first five): the element field it is filled from and its kind.
    let mapped: [MappedColumn]
    /// The child table's `raw` is `jsonb`: an element's text is written as it came.
    let rawIsJSONB: Bool

    struct MappedColumn: Sendable, Equatable {
        var field: String
        var kind: ColumnKind
        var jsonb: Bool
    }

    /// The columns every child table has, filled from the parent and the element.
    public static let keyColumns = ["connection_id", "parent_id", "ordinal", "parent_updated_at", "raw"]

    public init(_ collection: ChildCollection) {
        field = collection.field
        var columns = Self.keyColumns
        var mapped: [MappedColumn] = []
        for column in collection.child.columns where !columns.contains(column.name) {
            guard let source = collection.fields[column.name] else { continue }
            columns.append(column.name)
            mapped.append(MappedColumn(field: source, kind: column.kind, jsonb: column.dataType == "jsonb"))
        }
        self.columns = columns
        self.mapped = mapped
        rawIsJSONB = collection.child.column("raw")?.dataType == "jsonb"
    }

    /// Appends the rows of `record`'s elements; returns how many. A field that is not an array, and elements that
    /// are not objects, give no row (an element's ordinal still counts every element before it).
    public func encode(_ record: IncomingRecord, connectionId: String, into encoder: inout CopyTextEncoder) -> Int {
        guard let member = record.text.lastMember(named: field), member.kind == .array else { return 0 }
        var rows = 0
        for (ordinal, element) in record.text.elements(of: member).enumerated() where element.isObject {
            encoder.append(connectionId)
            encoder.append(record.id)
            encoder.appendUnescaped { $0.append(contentsOf: String(ordinal).utf8) }
            encoder.appendUnescaped { PGText.appendTimestampLiteral(record.updatedAt, to: &$0) }
            if rawIsJSONB {
                element.bytes.withUnsafeBufferPointer { encoder.append($0, copySafe: element.isCopySafe) }
            } else {
                var raw: [UInt8] = []
                element.value.serialize(into: &raw)
                encoder.appendEscaped(raw)
            }
            for column in mapped {
                if let value = element.lastMember(named: column.field) {
                    _ = RowMapper.append(value, of: element, as: column.kind, jsonb: column.jsonb, to: &encoder)
                } else {
                    encoder.appendNull()
                }
            }
            encoder.endRow()
            rows += 1
        }
        return rows
    }
}
