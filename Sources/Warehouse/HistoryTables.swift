import LibPQ

/// Finds, or has `makini.create_history_table` and `makini.create_history_restamps` (migrations 008, 015 and 017)
/// make, the versions table that keeps the history of a synced table (`<table>_versions`, read through the view
/// `<table>_history`) and its `<table>_restamps`.
enum HistoryTables {
    /// The introspected `<table>_versions` of `table`, made (with the rows already synced as thin current versions)
    /// when missing.
    static func ensure(_ conn: PGConnection, for table: TableSchema) throws -> TableSchema {
        guard table.column("entity") == nil else {
            throw WarehouseError.unsupportedTable(
                "history is kept for typed tables only; \(table.schema).\(table.name) is the generic table of entities outside the published model")
        }
        let name = HistoryStatement.versionsTableName(for: table.name)
        // One statement when both tables exist (every stream with history asks, and a fleet has thousands).
        let found = try conn.execute("""
            SELECT to_regclass(format('%I.%I', $1::text, $2::text)) IS NOT NULL AND to_regclass(format('%I.%I', $1::text, $3::text)) IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'create_history_restamps')
            """, [table.schema, name, HistoryStatement.restampsTableName(for: table.name)]).row(0)
        if found.bool(0) != true {
            guard found.bool(1) == true else {
                throw WarehouseError.notMigrated(
                    "history needs migrations 008, 015 and 017 (017_history_restamps.sql), which the warehouse lacks; run `makini-sync migrate` first")
            }
            // Makes what is missing: the versions table with its view, the restamps table.
            let schema = try conn.quoteIdentifier(table.schema)
            _ = try conn.execute("SELECT \(schema).create_history_table($1), \(schema).create_history_restamps($1)", [table.name])
        }
        let versions = try TableSchema.introspect(conn, schema: table.schema, name: name)
        let missing = ["connection_id", "id", "updated_at", "deleted_at", "raw"].filter { table.column($0) == nil || versions.column($0) == nil }
            + HistoryStatement.versionColumns.sorted().filter { versions.column($0) == nil }
        if let column = missing.first {
            throw WarehouseError.unsupportedTable(
                "\(table.schema).\(name) cannot keep the history of \(table.schema).\(table.name): a \(column) column is missing")
        }
        return versions
    }
}
