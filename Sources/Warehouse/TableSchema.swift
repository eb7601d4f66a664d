import LibPQ

/// The column types the mapper knows how to fill.
public enum ColumnKind: Sendable, Equatable {
    case text, integer, numeric, boolean, timestamp, json, other(String)
    /// Text in a btree index (besides the primary key): a value too long for an index entry is stored as NULL
    /// (it stays in `raw`) rather than failing the page.
    case indexedText

    /// Longest value an `indexedText` column takes, in UTF-8 bytes (btree entries are limited to about 2.7 kB).
    public static let maxIndexedTextBytes = 2_000

    init(dataType: String) {
        switch dataType {
        case "text", "character varying", "character", "uuid": self = .text
        case "integer", "bigint", "smallint": self = .integer
        case "numeric", "double precision", "real": self = .numeric
        case "boolean": self = .boolean
        case "timestamp with time zone", "timestamp without time zone", "date": self = .timestamp
        case "jsonb", "json": self = .json
        default: self = .other(dataType)
        }
    }
}

/// One column of a warehouse table.
public struct ColumnInfo: Sendable, Equatable {
    public var name: String
    public var dataType: String
    public var kind: ColumnKind
    public var isNullable: Bool
    public var hasDefault: Bool
}

/// A table as PostgreSQL describes it: the mapper's single source of truth.
public struct TableSchema: Sendable, Equatable {
    public var schema: String
    public var name: String
    public var columns: [ColumnInfo]
    public var primaryKey: [String]

    public func column(_ name: String) -> ColumnInfo? { columns.first { $0.name == name } }

    /// Reads columns, types and primary key of `schema.name`.
    public static func introspect(_ conn: PGConnection, schema: String, name: String) throws -> TableSchema {
        var columns = try conn.execute("""
            SELECT column_name, data_type, is_nullable = 'YES', column_default IS NOT NULL
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
            ORDER BY ordinal_position
            """, [schema, name]).typedRows.map { row in
            ColumnInfo(
                name: row.string(0) ?? "", dataType: row.string(1) ?? "",
                kind: ColumnKind(dataType: row.string(1) ?? ""), isNullable: row.bool(2) ?? true,
                hasDefault: row.bool(3) ?? false)
        }
        guard !columns.isEmpty else { throw WarehouseError.tableNotFound("\(schema).\(name)") }
        let indexed = Set(try conn.execute("""
            SELECT DISTINCT a.attname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey::int2[])
            WHERE NOT i.indisprimary AND n.nspname = $1 AND c.relname = $2
            """, [schema, name]).rows.compactMap { $0[0] })
        for index in columns.indices where columns[index].kind == .text && indexed.contains(columns[index].name) {
            columns[index].kind = .indexedText
        }
        let key = try conn.execute("""
            SELECT a.attname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE i.indisprimary AND n.nspname = $1 AND c.relname = $2 ORDER BY k.ord
            """, [schema, name]).rows.compactMap { $0[0] }
        return TableSchema(schema: schema, name: name, columns: columns, primaryKey: key)
    }

    /// True when the table exists.
    public static func exists(_ conn: PGConnection, schema: String, name: String) throws -> Bool {
        try conn.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2", [schema, name]
        ).rows.count == 1
    }
}
