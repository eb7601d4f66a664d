import LibPQ

/// Applies `sql/` migrations in order, each once and in its own transaction, under an advisory lock so that
/// several hosts migrating at once do not collide; records each with its SHA-256 in `makini.schema_migrations`.
public struct Migrator: Sendable {
    /// What a migrate run did.
    public struct Report: Sendable, Equatable {
        public var applied: [String]
        public var alreadyApplied: [String]
        /// Columns filled from raw for rows already there (`ColumnBackfill`), when the caller ran it.
        public var backfilled: [ColumnBackfill.Filled] = []
        /// Indexes an interrupted first load had set aside, built again before migrating (table -> index names).
        public var restoredIndexes: [String: [String]] = [:]
        public var isUpToDate: Bool { applied.isEmpty }
    }

    static let lockKey = "7365716100000001"  // arbitrary constant advisory lock id for migrations

    public let files: [MigrationFile]

    public init(files: [MigrationFile]) {
        self.files = files
    }

    public func migrate(_ session: DatabaseSession) async throws -> Report {
        let files = self.files
        return try await session.run { conn in
            try conn.execute("SELECT pg_advisory_lock($1::bigint)", [Self.lockKey])
            defer { _ = try? conn.execute("SELECT pg_advisory_unlock($1::bigint)", [Self.lockKey]) }
            try conn.execute("""
                CREATE SCHEMA IF NOT EXISTS makini;
                CREATE TABLE IF NOT EXISTS makini.schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                COMMENT ON TABLE makini.schema_migrations IS 'Migrations from sql/ applied by makini-sync migrate, with their SHA-256.';
                """)
            let recorded = try conn.execute("SELECT version, name, checksum FROM makini.schema_migrations").typedRows
            var report = Report(applied: [], alreadyApplied: [])
            for file in files {
                let checksum = try conn.execute(
                    "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [file.sql]
                ).row(0).string(0) ?? ""
                if let row = recorded.first(where: { $0.int(0) == file.version }) {
                    let previous = row.string(2) ?? ""
                    guard previous == checksum else {
                        throw WarehouseError.checksumMismatch(file: file.name, recorded: previous, current: checksum)
                    }
                    report.alreadyApplied.append(file.name)
                    continue
                }
                do {
                    try conn.transaction { conn in
                        try conn.execute(file.sql)
                        try conn.execute(
                            "INSERT INTO makini.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                            [String(file.version), file.name, checksum])
                    }
                } catch let error as PostgresError {
                    throw WarehouseError.migrationFailed(file: file.name, message: error.description)
                }
                report.applied.append(file.name)
            }
            return report
        }
    }
}
