import LibPQ

/// A warehouse table's description and its columns' descriptions (`COMMENT ON`), in column order.
public struct TableDocumentation: Sendable, Equatable {
    /// One column: its name and its comment (nil when it has none).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var description: String?

        public init(name: String, description: String?) {
            self.name = name
            self.description = description
        }
    }

    public var name: String
    public var description: String?
    public var columns: [Column]

    public init(name: String, description: String?, columns: [Column]) {
        self.name = name
        self.description = description
        self.columns = columns
    }
}

extension WarehouseSession {
    /// The documentation of the tables of `names` that exist in the warehouse's schema, in the order asked.
    public func tableDocumentation(_ names: [String]) async throws -> [TableDocumentation] {
        let schema = self.schema
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                let rows = try conn.execute("""
                    SELECT c.relname, obj_description(c.oid, 'pg_class'), a.attname, col_description(c.oid, a.attnum)
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'v', 'p')
                    ORDER BY c.relname, a.attnum
                    """, [schema, PGText.arrayLiteral(names)]).typedRows
                var tables: [String: TableDocumentation] = [:]
                for row in rows {
                    let name = row.string(0) ?? ""
                    var table = tables[name] ?? TableDocumentation(name: name, description: row.string(1), columns: [])
                    table.columns.append(.init(name: row.string(2) ?? "", description: row.string(3)))
                    tables[name] = table
                }
                return names.compactMap { tables[$0] }
            }
        }
    }
}
