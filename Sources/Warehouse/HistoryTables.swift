import LibPQ

/// Finds, or has `makini.create_history_table` (migrations 008 and 015) make, the versions table that keeps the history
/// of a synced table (`<table>_versions`, read through the view `<table>_history`).
enum HistoryTables {
    /// The introspected `<table>_versions` of `table`, made (with the rows already synced as thin current versions)
    /// when missing.
    static func ensure(_ conn: PGConnection, for table: TableSchema) throws -> TableSchema {
        guard table.column("entity") == nil else {
            throw WarehouseError.unsupportedTable(
                "history is kept for typed tables only; \(table.schema).\(table.name) is the generic table of entities outside the published model")
        }
        let name = HistoryStatement.versionsTableName(for: table.name)
        if try !TableSchema.exists(conn, schema: table.schema, name: name) {
            guard try conn.execute(
                "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'create_history_view'",
                [table.schema]
            ).rows.count == 1 else {
                throw WarehouseError.notMigrated(
                    "history needs migrations 008_history.sql and 015_history_current_in_place.sql, which the warehouse lacks; run `makini-sync migrate` first")
            }
            _ = try conn.execute("SELECT \(try conn.quoteIdentifier(table.schema)).create_history_table($1)", [table.name])
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
