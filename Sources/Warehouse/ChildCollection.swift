import LibPQ

/// The SQL that replaces one child table's rows for the parents a page changed (parameter $1: the connection id),
/// and the encoder of the page's child rows, which makini-sync converts as it converts the parent's columns.
public struct ChildStatements: Sendable, Equatable {
    /// Encodes the page's child rows (`EncodedPage.childRows`).
    public var encoder: ChildRowEncoder
    /// Makes the session's stage table of the child table (emptied at commit).
    public var createStage: String
    /// COPY of the page's child rows into the stage table.
    public var copyStage: String
    /// COPY of the page's child rows straight into the child table (a first load: their parents are new).
    public var copyTable: String
    /// Deletes the child rows of the changed parents. Only needed when a page updated parents: a parent the page
    /// inserted has no child rows yet (they are deleted with their parent, `ON DELETE CASCADE`).
    public var delete: String
    /// Inserts the staged child rows of the changed parents.
    public var insert: String
}

/// A nested array of a parent record kept as a child table (`makini.child_collections`): a work order's `tasks`
/// in `work_orders__tasks`, one row per element keyed by (connection_id, parent_id, ordinal).
public struct ChildCollection: Sendable, Equatable {
    public var parent: TableSchema
    /// The parent record's field that holds the array.
    public var field: String
    public var child: TableSchema
    /// Child column -> element field it is filled from.
    public var fields: [String: String]

    /// The child collections of `parent` (none when the warehouse predates them or the table has none).
    static func load(_ conn: PGConnection, parent: TableSchema) throws -> [ChildCollection] {
        guard try TableSchema.exists(conn, schema: parent.schema, name: "child_collections") else { return [] }
        let rows = try conn.execute(
            "SELECT field, child_table FROM \(try conn.quoteIdentifier(parent.schema)).child_collections WHERE parent_table = $1 ORDER BY field",
            [parent.name]
        ).rows
        return try rows.compactMap { row in
            guard let field = row[0], let table = row[1], try TableSchema.exists(conn, schema: parent.schema, name: table) else { return nil }
            let pairs = try conn.execute(
                "SELECT f.key, f.value FROM \(try conn.quoteIdentifier(parent.schema)).child_collections c, jsonb_each_text(c.fields) f WHERE c.parent_table = $1 AND c.field = $2",
                [parent.name, field]
            ).rows
            var fields: [String: String] = [:]
            for pair in pairs { if let column = pair[0], let name = pair[1] { fields[column] = name } }
            return ChildCollection(
                parent: parent, field: field, child: try TableSchema.introspect(conn, schema: parent.schema, name: table), fields: fields)
        }
    }

    /// The statements of this child table (its page stage table is `stage_<child table>`).
    func statements(_ conn: PGConnection) throws -> ChildStatements {
        try Self.statements(self) { try conn.quoteIdentifier($0) }
    }

    /// The SQL of `statements`, with identifiers quoted by `quote`. Pure.
    ///
    /// Every statement is driven by the page, never by the size of the tables: the staged rows are at most a page's,
    /// the changed ids at most a page, and the delete probes the child table's primary key with the array of changed
    /// ids. A join against the parent or child table instead lets the planner, whose statistics lag behind a table
    /// that is being loaded, hash the connection's whole table on every page, which made an initial load quadratic.
    public static func statements(_ collection: ChildCollection, quote: (String) throws -> String) throws -> ChildStatements {
        let child = try quote(collection.child.schema) + "." + (try quote(collection.child.name))
        let stage = try quote("stage_" + collection.child.name)
        let encoder = ChildRowEncoder(collection)
        let columns = try encoder.columns.map(quote).joined(separator: ", ")
        return ChildStatements(
            encoder: encoder,
            createStage: "CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(child) INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
            copyStage: "COPY \(stage) (\(columns)) FROM STDIN",
            copyTable: "COPY \(child) (\(columns)) FROM STDIN",
            delete: """
            DELETE FROM \(child) c
            WHERE c.connection_id = $1 AND c.parent_id = ANY (ARRAY(SELECT id FROM pg_temp.changed_parents))
            """,
            insert: """
            INSERT INTO \(child) (\(columns))
            SELECT \(columns) FROM \(stage) s
            WHERE s.connection_id = $1 AND s.parent_id IN (SELECT id FROM pg_temp.changed_parents)
            """
        )
    }

    /// A string literal (standard_conforming_strings, PostgreSQL's default since 9.1).
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// SQL converting the jsonb `source` for a column of `kind` as the mapper does: `makini.jsonb_to_*`, and NULL for
    /// text too long for an index entry in an indexed column.
    static func valueExpression(_ kind: ColumnKind, schema: String, source: String) -> String {
        let converted = "\(schema).\(converter(kind))(\(source))"
        guard kind == .indexedText else { return converted }
        return "(SELECT CASE WHEN octet_length(v) <= \(ColumnKind.maxIndexedTextBytes) THEN v END FROM (SELECT \(converted) AS v) x)"
    }

    /// The `makini.jsonb_to_*` function (migration 006) that converts a value for a column kind.
    static func converter(_ kind: ColumnKind) -> String {
        switch kind {
        case .text, .indexedText, .other: return "jsonb_to_text"
        case .integer: return "jsonb_to_bigint"
        case .numeric: return "jsonb_to_numeric"
        case .boolean: return "jsonb_to_boolean"
        case .timestamp: return "jsonb_to_timestamptz"
        case .json: return "jsonb_to_jsonb"
        }
    }
}
