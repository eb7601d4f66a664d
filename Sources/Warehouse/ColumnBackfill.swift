import LibPQ

/// Fills columns that migrations added to tables already holding synced rows, from each row's `raw`, without asking
/// the API again: the merge skips rows whose raw did not change, so a re-sync alone would never fill them.
///
/// Runs after `migrate`. Every fillable column of every synced table (connection_id, id, raw) is registered once in
/// `makini.column_backfill`; a pending column is filled in batches of `batchSize` rows taken in primary-key order,
/// each batch one short transaction that also records how far it got, so a killed migrate resumes where it stopped.
/// It sets only the added columns, from the row's own current raw, and only where they differ: never `raw`,
/// `updated_at` or `synced_at`, so the merge's newer-wins rule is untouched by it; a sync writing the same row waits
/// for one batch at most. Values convert as the mapper converts them (`makini.jsonb_to_*`).
public struct ColumnBackfill: Sendable {
    /// What one run filled.
    public struct Filled: Sendable, Equatable {
        public var table: String
        public var columns: [String]
        /// Rows whose columns changed.
        public var rows: Int
    }

    public var schema = "makini"
    public var batchSize = 5_000
    /// Stop after this many batches (tests of resuming); nil: until done.
    public var maxBatches: Int?

    public init(batchSize: Int = 5_000, maxBatches: Int? = nil) {
        self.batchSize = batchSize
        self.maxBatches = maxBatches
    }

    /// Registers new columns and fills every pending one.
    public func run(_ session: DatabaseSession) async throws -> [Filled] {
        let (schema, batchSize, maxBatches) = (self.schema, self.batchSize, self.maxBatches)
        return try await session.run { conn in
            guard try TableSchema.exists(conn, schema: schema, name: "column_backfill") else { return [] }
            let quotedSchema = try conn.quoteIdentifier(schema)
            try Self.register(conn, schema: schema)
            let pending = try conn.execute(
                "SELECT table_name, array_agg(column_name ORDER BY column_name)::text FROM \(quotedSchema).column_backfill WHERE finished_at IS NULL GROUP BY table_name ORDER BY table_name"
            ).rows
            var filled: [Filled] = []
            var batches = 0
            for row in pending {
                guard let table = row[0], let columns = row[1].map(Self.parseTextArray) else { continue }
                guard try TableSchema.exists(conn, schema: schema, name: table) else {
                    try conn.execute("DELETE FROM \(quotedSchema).column_backfill WHERE table_name = $1", [table])
                    continue
                }
                let result = try Self.fill(
                    conn, schema: schema, table: table, columns: columns, batchSize: batchSize, batches: &batches, maxBatches: maxBatches)
                filled.append(result)
                if let maxBatches, batches >= maxBatches { break }
            }
            return filled
        }
    }

    /// Records every fillable column of every synced table not yet known (as pending).
    static func register(_ conn: PGConnection, schema: String) throws {
        let reserved = "'connection_id', 'entity', 'id', 'updated_at', 'deleted_at', 'raw', 'synced_at'"
        try conn.execute("""
            INSERT INTO \(try conn.quoteIdentifier(schema)).column_backfill (table_name, column_name)
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = $1 AND c.column_name NOT IN (\(reserved))
              AND EXISTS (SELECT 1 FROM information_schema.columns r WHERE r.table_schema = c.table_schema AND r.table_name = c.table_name AND r.column_name = 'raw')
              AND EXISTS (SELECT 1 FROM information_schema.columns r WHERE r.table_schema = c.table_schema AND r.table_name = c.table_name AND r.column_name = 'updated_at')
              AND EXISTS (SELECT 1 FROM information_schema.columns r WHERE r.table_schema = c.table_schema AND r.table_name = c.table_name AND r.column_name = 'connection_id')
              -- Versions tables (and history tables before migration 015) keep each version as it was written (and a raw field such as "deleted" must not refill them).
              AND NOT ((c.table_name LIKE '%\\_history' OR c.table_name LIKE '%\\_versions') AND EXISTS (SELECT 1 FROM information_schema.columns r
                       WHERE r.table_schema = c.table_schema AND r.table_name = c.table_name AND r.column_name = 'valid_from'))
            ON CONFLICT DO NOTHING
            """, [schema])
    }

    private static func fill(
        _ conn: PGConnection, schema: String, table: String, columns: [String], batchSize: Int, batches: inout Int, maxBatches: Int?
    ) throws -> Filled {
        let quotedSchema = try conn.quoteIdentifier(schema)
        let target = quotedSchema + "." + (try conn.quoteIdentifier(table))
        let info = try TableSchema.introspect(conn, schema: schema, name: table)
        // Which raw field fills which column: ColumnNaming over the fields the rows hold (the later in jsonb key
        // order wins when two map to one column, as in the mapper).
        let keys = try conn.execute("SELECT DISTINCT k FROM \(target) t, jsonb_object_keys(t.raw) k").rows.compactMap { $0[0] }
            .sorted(by: RowMapper.jsonbKeyOrder)
        var source: [String: String] = [:]
        for key in keys { source[ColumnNaming.column(forField: key)] = key }
        var sets: [String] = []
        var differs: [String] = []
        for column in columns {
            guard let field = source[column], let kind = info.column(column)?.kind else { continue }
            let name = try conn.quoteIdentifier(column)
            let value = ChildCollection.valueExpression(kind, schema: quotedSchema, source: "t.raw -> \(ChildCollection.literal(field))")
            sets.append("\(name) = \(value)")
            differs.append("t.\(name) IS DISTINCT FROM \(value)")
        }
        let progress = "\(quotedSchema).column_backfill"
        var result = Filled(table: table, columns: columns, rows: 0)
        let start = try conn.execute(
            "SELECT after_connection_id, after_id FROM \(progress) WHERE table_name = $1 AND column_name = ANY($2::text[]) AND finished_at IS NULL ORDER BY after_connection_id NULLS FIRST, after_id NULLS FIRST LIMIT 1",
            [table, PGText.arrayLiteral(columns)]).rows.first
        var after: (String, String)? = start.flatMap { row in row[0].flatMap { c in row[1].map { (c, $0) } } }
        while true {
            if let maxBatches, batches >= maxBatches { return result }
            batches += 1
            let done = try conn.transaction { conn -> Bool in
                let range = after == nil ? "" : "WHERE (connection_id, id) > ($1, $2)"
                let parameters: [String?] = after.map { [$0.0, $0.1] } ?? []
                let update = sets.isEmpty ? "SELECT 1 WHERE false" : """
                    UPDATE \(target) t SET \(sets.joined(separator: ", ")) FROM batch b
                    WHERE t.connection_id = b.connection_id AND t.id = b.id AND (\(differs.joined(separator: " OR "))) RETURNING 1
                    """
                let row = try conn.execute("""
                    WITH batch AS (SELECT connection_id, id FROM \(target) \(range) ORDER BY connection_id, id LIMIT \(batchSize)),
                    changed AS (\(update))
                    SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM batch),
                           last.connection_id, last.id
                    FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT connection_id, id FROM batch ORDER BY connection_id DESC, id DESC LIMIT 1) last ON true
                    """, parameters).row(0)
                result.rows += row.int(0) ?? 0
                let seen = row.int(1) ?? 0
                if let connection = row.string(2), let id = row.string(3) { after = (connection, id) }
                let finished = seen < batchSize
                try conn.execute("""
                    UPDATE \(progress) SET after_connection_id = $3, after_id = $4, filled = filled + $5,
                        started_at = coalesce(started_at, now()), finished_at = CASE WHEN $6::boolean THEN now() END
                    WHERE table_name = $1 AND column_name = ANY($2::text[])
                    """, [table, PGText.arrayLiteral(columns), after?.0, after?.1, String(row.int(0) ?? 0), finished ? "true" : "false"])
                return finished
            }
            if done { return result }
        }
    }

    /// The elements of a text[] in its text form (identifiers, possibly double-quoted).
    static func parseTextArray(_ text: String) -> [String] {
        let inner = text.dropFirst().dropLast()
        guard !inner.isEmpty else { return [] }
        var values: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in inner {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\" where quoted: escaped = true
            case "\"": quoted.toggle()
            case "," where !quoted: values.append(current); current = ""
            default: current.append(character)
            }
        }
        values.append(current)
        return values
    }
}
