import Testing
@testable import Warehouse

/// The merge's SQL text, without a database: every name goes through the quoting function, the key is the
/// table's primary key, and the update rule never lets an older version replace a newer one.
@Suite("MergeStatement: the SQL of the merge upsert")
struct MergeStatementTests {
    static func column(_ name: String, _ type: String) -> ColumnInfo {
        ColumnInfo(name: name, dataType: type, kind: ColumnKind(dataType: type), isNullable: true, hasDefault: false)
    }

    static func table(deletedAt: Bool = true, syncedAt: Bool = true) -> TableSchema {
        var columns = [column("connection_id", "text"), column("id", "text"), column("updated_at", "timestamp with time zone")]
        if deletedAt { columns.append(column("deleted_at", "timestamp with time zone")) }
        columns += [column("name", "text"), column("raw", "jsonb")]
        if syncedAt { columns.append(column("synced_at", "timestamp with time zone")) }
        return TableSchema(schema: "makini", name: "assets", columns: columns, primaryKey: ["connection_id", "id"])
    }

    /// Quotes as ⟨name⟩, so a name that skipped the quoting function shows.
    static func statement(_ table: TableSchema) throws -> MergeStatement {
        try MergeStatement(mapper: try RowMapper(table: table, entity: "assets"), quote: { "⟨\($0)⟩" })
    }

    @Test func theStageTableIsATemporaryCopyOfTheTargetEmptiedAtCommit() throws {
        let statement = try Self.statement(Self.table())
        #expect(statement.stageTable == "⟨stage_assets⟩")
        #expect(statement.createStage
            == "CREATE TEMP TABLE IF NOT EXISTS ⟨stage_assets⟩ (LIKE ⟨makini⟩.⟨assets⟩ INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
    }

    @Test func anotherInsertRunsInTheMergeStatementAndItsCountComesFourth() throws {
        let statement = try Self.statement(Self.table())
        let sql = statement.recordingChanges(andAlso: "INSERT INTO snap SELECT 1")
        #expect(sql.hasPrefix(statement.mergeRecordingChanges.components(separatedBy: "\n)").first ?? "-"))
        #expect(sql.contains("also AS (INSERT INTO snap SELECT 1\nRETURNING 1)"))
        #expect(sql.hasSuffix("count(*) FILTER (WHERE deleted), (SELECT count(*) FROM also)\nFROM merged"))
        // Counting: a fifth column, how many of the inserted rows the flag holds for.
        let counted = statement.recordingChanges(andAlso: "INSERT INTO snap SELECT 1", counting: "first_loaded")
        #expect(counted.contains("also AS (INSERT INTO snap SELECT 1\nRETURNING (first_loaded) AS flagged)"))
        #expect(counted.hasSuffix("(SELECT count(*) FROM also), (SELECT count(*) FROM also WHERE flagged)\nFROM merged"))
    }

    @Test func copyFillsEveryColumnButSyncedAt() throws {
        let statement = try Self.statement(Self.table())
        #expect(statement.copy
            == "COPY ⟨stage_assets⟩ (⟨connection_id⟩, ⟨id⟩, ⟨updated_at⟩, ⟨deleted_at⟩, ⟨name⟩, ⟨raw⟩) FROM STDIN")
    }

    @Test func theMergeUpsertsOnThePrimaryKeyAndUpdatesEveryOtherColumn() throws {
        let merge = try Self.statement(Self.table()).merge
        #expect(merge.contains(
            "INSERT INTO ⟨makini⟩.⟨assets⟩ AS t (⟨connection_id⟩, ⟨id⟩, ⟨updated_at⟩, ⟨deleted_at⟩, ⟨name⟩, ⟨raw⟩, synced_at)"))
        #expect(merge.contains("SELECT ⟨connection_id⟩, ⟨id⟩, ⟨updated_at⟩, ⟨deleted_at⟩, ⟨name⟩, ⟨raw⟩, now() FROM ⟨stage_assets⟩"))
        #expect(merge.contains(
            "ON CONFLICT (⟨connection_id⟩, ⟨id⟩) DO UPDATE SET ⟨updated_at⟩ = EXCLUDED.⟨updated_at⟩, "
                + "⟨deleted_at⟩ = EXCLUDED.⟨deleted_at⟩, ⟨name⟩ = EXCLUDED.⟨name⟩, ⟨raw⟩ = EXCLUDED.⟨raw⟩, synced_at = EXCLUDED.synced_at"))
        #expect(!merge.contains("⟨id⟩ = EXCLUDED"), "key columns are never updated")
    }

    @Test func anOlderVersionNeverReplacesANewerOneAndAnUnchangedRowIsSkipped() throws {
        let merge = try Self.statement(Self.table()).merge
        #expect(merge.contains(
            "WHERE (t.updated_at <= EXCLUDED.updated_at OR t.updated_at > now()) AND "
                + "(t.raw IS DISTINCT FROM EXCLUDED.raw OR t.deleted_at IS DISTINCT FROM EXCLUDED.deleted_at)"))
    }

    @Test func itCountsInsertedUpdatedAndTombstonedRows() throws {
        let merge = try Self.statement(Self.table()).merge
        #expect(merge.contains("RETURNING t.id AS changed_id, (xmax = 0) AS inserted, (t.deleted_at IS NOT NULL) AS deleted"))
        #expect(merge.contains(
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), count(*) FILTER (WHERE deleted)"))
    }

    @Test func aTableWithoutDeletedAtOrSyncedAtGetsTheSameRuleWithoutThem() throws {
        let merge = try Self.statement(Self.table(deletedAt: false, syncedAt: false)).merge
        #expect(merge.contains("WHERE (t.updated_at <= EXCLUDED.updated_at OR t.updated_at > now()) AND t.raw IS DISTINCT FROM EXCLUDED.raw"))
        #expect(merge.contains("RETURNING t.id AS changed_id, (xmax = 0) AS inserted, false AS deleted"))
        #expect(!merge.contains("synced_at"))
        #expect(merge.contains("SELECT ⟨connection_id⟩, ⟨id⟩, ⟨updated_at⟩, ⟨name⟩, ⟨raw⟩ FROM ⟨stage_assets⟩"))
    }
}

/// The filter that leaves staged rows equal to their stored version out of the merge (`UnchangedRowFilter`).
@Suite("UnchangedRowFilter: rows equal to their stored version skip the merge")
struct UnchangedRowFilterTests {
    @Test func aStagedRowIsLeftOutOnlyWhenItsKeyRawAndDeletionMatchTheStoredRow() {
        let filter = UnchangedRowFilter(target: "⟨makini⟩.⟨assets⟩", stage: "⟨stage_assets⟩", key: ["⟨connection_id⟩", "⟨id⟩"], hasDeletedAt: true)
        #expect(filter.clause == "WHERE NOT coalesce((SELECT "
            + "u.raw IS NOT DISTINCT FROM ⟨stage_assets⟩.raw AND u.deleted_at IS NOT DISTINCT FROM ⟨stage_assets⟩.deleted_at "
            + "FROM ⟨makini⟩.⟨assets⟩ AS u WHERE u.⟨connection_id⟩ = ⟨stage_assets⟩.⟨connection_id⟩ AND u.⟨id⟩ = ⟨stage_assets⟩.⟨id⟩), false)")
    }

    @Test func withoutDeletedAtOnlyRawIsCompared() {
        let filter = UnchangedRowFilter(target: "t", stage: "s", key: ["k"], hasDeletedAt: false)
        #expect(filter.clause == "WHERE NOT coalesce((SELECT u.raw IS NOT DISTINCT FROM s.raw FROM t AS u WHERE u.k = s.k), false)")
    }

    @Test func theMergeFiltersTheStageButAnAppendOnlyMergeDoesNot() throws {
        let table = MergeStatementTests.table()
        let merge = try MergeStatementTests.statement(table).merge
        #expect(merge.contains("FROM ⟨stage_assets⟩ WHERE NOT coalesce((SELECT u.raw IS NOT DISTINCT FROM ⟨stage_assets⟩.raw"))
        let appendOnly = try MergeStatement(mapper: try RowMapper(table: table, entity: "assets"), appendOnly: true, quote: { "⟨\($0)⟩" })
        #expect(!appendOnly.merge.contains("NOT coalesce"))
    }
}
