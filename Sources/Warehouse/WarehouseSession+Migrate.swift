extension WarehouseSession {
    /// Applies the migrations of `sqlDirectory` (or the located sql/ directory).
    public func migrate(sqlDirectory: String?) async throws -> Migrator.Report {
        let files = try MigrationFile.load(directory: try SQLDirectory.locate(explicit: sqlDirectory))
        return try await DatabaseFailure.wrap {
            let restored = try await Self.restoreAllOrphanedIndexes(on: database)
            var report = try await Migrator(files: files).migrate(database)
            report.restoredIndexes = restored
            report.backfilled = try await ColumnBackfill().run(database)
            return report
        }
    }
}
