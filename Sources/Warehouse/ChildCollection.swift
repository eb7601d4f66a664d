import LibPQ

/// The SQL that replaces one child table's rows for the parents a page changed (parameter $1: the connection id).
public struct ChildStatements: Sendable, Equatable {
    /// Deletes the child rows of the changed parents. Only needed when a page updated parents: a parent the page
    /// inserted has no child rows yet (they are deleted with their parent, `ON DELETE CASCADE`).
    public var delete: String
    /// Inserts the child rows of the changed parents from their new `raw`.
    public var insert: String
    /// Inserts the child rows of parents just copied into the parent table by a first load (`FirstLoadStatement`):
    /// $1 the connection id, $2 the parents' ids (text[]). Driven by the ids, each looked up by its key: with
    /// `t.id = ANY ($2)` the planner, with no statistics for a table being loaded, guesses that 500 ids match the whole
    /// table and scans it on every page.
    public var insertNew: String
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

    /// Deletes the child rows of the parents in `pg_temp.changed_parents`, then inserts them again from each parent's
    /// new `raw` in the page's stage table `stage` (parameter $1: the connection id). Values convert as the mapper
    /// converts (`makini.jsonb_to_*`).
    func statements(_ conn: PGConnection, stage: String) throws -> ChildStatements {
        let quote = { (name: String) throws -> String in try conn.quoteIdentifier(name) }
        return try Self.statements(self, stage: stage, quote: quote)
    }

    /// The SQL of `statements`, with identifiers quoted by `quote`. Pure.
    ///
    /// Both statements are driven by the page, never by the size of the tables: the parents' new versions are read
    /// from the stage table (the rows the merge just wrote, at most one page), and the delete probes the child
    /// table's primary key with the array of changed ids. A join against the parent or child table instead lets the
    /// planner, whose statistics lag behind a table that is being loaded, hash the connection's whole table on every
    /// page, which made an initial load quadratic.
    public static func statements(_ collection: ChildCollection, stage: String, quote: (String) throws -> String) throws -> ChildStatements {
        let schema = try quote(collection.child.schema)
        let child = schema + "." + (try quote(collection.child.name))
        var columns = ["connection_id", "parent_id", "ordinal", "parent_updated_at", "raw"]
        var values = ["t.connection_id", "t.id", "(e.ord - 1)::integer", "t.updated_at", "e.value"]
        for column in collection.child.columns where !columns.contains(column.name) {
            guard let field = collection.fields[column.name] else { continue }
            columns.append(try quote(column.name))
            values.append(valueExpression(column.kind, schema: schema, source: "e.value -> \(literal(field))"))
        }
        let array = "t.raw -> \(literal(collection.field))"
        let parent = try quote(collection.parent.schema) + "." + (try quote(collection.parent.name))
        let elements = """
            CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(\(array)) WHEN 'array' THEN \(array) ELSE '[]'::jsonb END)
                WITH ORDINALITY AS e(value, ord)
            """
        return ChildStatements(
            delete: """
            DELETE FROM \(child) c
            WHERE c.connection_id = $1 AND c.parent_id = ANY (ARRAY(SELECT id FROM pg_temp.changed_parents))
            """,
            insert: """
            INSERT INTO \(child) (\(columns.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", "))
            FROM pg_temp.changed_parents p JOIN \(stage) t ON t.id = p.id AND t.connection_id = $1
            \(elements)
            WHERE jsonb_typeof(e.value) = 'object'
            """,
            insertNew: """
            INSERT INTO \(child) (\(columns.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", "))
            FROM unnest($2::text[]) AS k(id)
            CROSS JOIN LATERAL (SELECT * FROM \(parent) t WHERE t.connection_id = $1 AND t.id = k.id LIMIT 1) t
            \(elements)
            WHERE jsonb_typeof(e.value) = 'object'
            """,
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
