import Foundation
import LibPQ

extension WarehouseSession {
    /// Builds the stage/COPY/merge statements for a mapper, quoting names with libpq.
    /// With its child tables (`makini.child_collections`), whose rows are replaced when a parent row changes.
    /// With `history`, also the statements that keep `<table>_versions`, read through the view `<table>_history` (made by
    /// `makini.create_history_table` when missing).
    public func prepareMerge(_ mapper: RowMapper, appendOnly: Bool = false, history: Bool = false) async throws -> MergeStatement {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                let quote = { (name: String) throws -> String in try conn.quoteIdentifier(name) }
                var statement = try MergeStatement(mapper: mapper, appendOnly: appendOnly, quote: quote)
                statement.childStatements = try ChildCollection.load(conn, parent: mapper.table).map { try $0.statements(conn) }
                if history {
                    let historyTable = try HistoryTables.ensure(conn, for: mapper.table)
                    let history = try HistoryStatement(
                        target: mapper.table, history: historyTable, stage: statement.stageTable, quote: quote)
                    statement.history = history
                    statement.mergeRecordingChangesAndSnapshot = statement.recordingChanges(andAlso: history.snapshotStaged, counting: "first_loaded")
                    statement.firstLoad = try FirstLoadStatement(
                        target: mapper.table, columns: mapper.copyColumns.map { try quote($0.name) },
                        history: try quote(historyTable.schema) + "." + (try quote(historyTable.name)), quote: quote)
                }
                return statement
            }
        }
    }

    /// Writes one page in ONE transaction: COPY into the stage table, merge into the target, remember seen ids
    /// (the page's and `alsoSeen`, ids of refused records) for a full refresh, record rejects, and move the checkpoint. Either all of it commits or none.
    /// With `firstLoad` (the connection held no rows when its stream began), the page is first tried on the
    /// `FirstLoadStatement` path, and goes through the merge when one of its rows exists (`MergeCounts.path` says which).
    /// `overlapping`: the next page may be written on another session meanwhile (`openPage`); row lock waits are bounded.
    public func writePage(
        _ page: EncodedPage, statement: MergeStatement, rejects: [RejectedRow], checkpoint: CursorPosition?,
        key: StreamKey, runId: String, trackSeen: Bool, alsoSeen: [String] = [], firstLoad: Bool = false, overlapping: Bool = false
    ) async throws -> MergeCounts {
        try await DatabaseFailure.wrap {
            try Self.requireChildRows(of: page, for: statement)
            return try await database.transaction { conn in
                if overlapping { try conn.execute(Self.boundLockWaits) }
                var counts = MergeCounts()
                if page.rowCount > 0 {
                    if firstLoad, let copied = try Self.copyNewRows(page, statement: statement, key: key, runId: runId, on: conn) {
                        counts = copied
                        if trackSeen {
                            try conn.execute(
                                "INSERT INTO pg_temp.seen_ids (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                                [PGText.arrayLiteral(page.ids)])
                        }
                    } else {
                        counts = try Self.merge(page, statement: statement, key: key, runId: runId, on: conn)
                        if firstLoad { counts.path = .mergedAfterConflict }
                        if trackSeen {
                            try conn.execute(
                                "INSERT INTO pg_temp.seen_ids (id) SELECT id FROM \(statement.stageTable) ON CONFLICT DO NOTHING")
                        }
                    }
                }
                if trackSeen {
                    // Refused records still exist at the source: a full refresh must not tombstone their rows.
                    for id in alsoSeen {
                        try conn.execute("INSERT INTO pg_temp.seen_ids (id) VALUES ($1) ON CONFLICT DO NOTHING", [id])
                    }
                }
                try Self.recordRejectsAndCheckpoint(rejects, checkpoint: checkpoint, key: key, runId: runId, on: conn)
                return counts
            }
        }
    }

    /// A page must carry the child rows its statement writes.
    static func requireChildRows(of page: EncodedPage, for statement: MergeStatement) throws {
        guard page.childRows.count == statement.childStatements.count || page.rowCount == 0 else {
            throw WarehouseError.unsupportedTable(
                "the page was encoded without the child rows of its statement (encodePage(_:connectionId:children:) with the statement's childEncoders)")
        }
    }

    /// The end of every page transaction: the page's rejects, and the checkpoint.
    static func recordRejectsAndCheckpoint(
        _ rejects: [RejectedRow], checkpoint: CursorPosition?, key: StreamKey, runId: String, on conn: PGConnection
    ) throws {
        for reject in rejects { try RejectLedger.record(reject, key: key, runId: runId, on: conn) }
        if let checkpoint { try CheckpointStore.save(checkpoint, key: key, on: conn) }
    }

    /// True when the stream's connection holds no row in the table (nor in its history table): its pages may take
    /// the first-load path.
    public func holdsNoRows(_ statement: MergeStatement, key: StreamKey) async throws -> Bool {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                let first = statement.firstLoad
                let parameters: [String?] = first.filtersEntity ? [key.connectionId, key.entity] : [key.connectionId]
                return try conn.execute(first.holdsNoRows, parameters).row(0).bool(0) ?? false
            }
        }
    }

    /// The first-load path, inside the page transaction: COPY straight into the table in a savepoint, then the child
    /// rows and the first history versions from the rows copied. Nil (the savepoint rolled back, nothing written)
    /// when a row of the page exists already.
    private static func copyNewRows(
        _ page: EncodedPage, statement: MergeStatement, key: StreamKey, runId: String, on conn: PGConnection
    ) throws -> MergeCounts? {
        let savepoint = FirstLoadStatement.savepoint
        try conn.execute("SAVEPOINT \(savepoint)")
        let refused: Bool
        do {
            try conn.copyIn(statement.firstLoad.copy, data: page.bytes)
            refused = false
        } catch let failure as PostgresError {
            guard failure.sqlState == FirstLoadStatement.uniqueViolation else { throw failure }
            refused = true
        }
        if refused {
            try conn.execute("ROLLBACK TO SAVEPOINT \(savepoint)")
            try conn.execute("RELEASE SAVEPOINT \(savepoint)")
            return nil
        }
        for (index, child) in statement.childStatements.enumerated() where page.childRowCounts[index] > 0 {
            try conn.copyIn(child.copyTable, data: page.childRows[index])
        }
        // The rows' first versions: the rows themselves, until they change.
        if let history = statement.history {
            try conn.executePrepared(history.recordFirstLoad, [key.connectionId, runId])
        }
        try conn.execute("RELEASE SAVEPOINT \(savepoint)")
        var counts = MergeCounts()
        counts.inserted = page.rowCount
        counts.deleted = page.deletedCount
        counts.path = .firstLoad
        return counts
    }

    /// The merge path: COPY into the stage table, merge into the target, then the child tables and the history.
    static func merge(
        _ page: EncodedPage, statement: MergeStatement, key: StreamKey, runId: String, on conn: PGConnection
    ) throws -> MergeCounts {
        var counts = MergeCounts()
        try conn.executeOncePerSession(statement.createStage)
        try conn.copyIn(statement.copy, data: page.bytes)
        let recordChanges = !statement.childStatements.isEmpty || statement.history != nil
        if recordChanges { try conn.executeOncePerSession(MergeStatement.changedParentsTable) }
        // With history, the merge also keeps the rows it changes whose current version is not stored whole, as they
        // were (the snapshot, a CTE of the same statement).
        if let history = statement.history { try conn.executeOncePerSession(history.createPrior) }
        let mergeSQL = statement.history != nil ? statement.mergeRecordingChangesAndSnapshot : nil
        let row = try conn.executePrepared(mergeSQL ?? (recordChanges ? statement.mergeRecordingChanges : statement.merge)).row(0)
        // The snapshot's rows: first-loaded ones (no stored version) and those whose current version is thin.
        let firstLoadedRewritten = mergeSQL != nil ? row.int(4) ?? 0 : 0
        let thinRewritten = mergeSQL != nil ? (row.int(3) ?? 0) - firstLoadedRewritten : 0
        counts.inserted = row.int(0) ?? 0
        counts.updated = row.int(1) ?? 0
        for (index, child) in statement.childStatements.enumerated() {
            if counts.updated > 0 { try conn.executePrepared(child.delete, [key.connectionId]) }
            if counts.inserted + counts.updated > 0 && page.childRowCounts[index] > 0 {
                try conn.executeOncePerSession(child.createStage)
                try conn.copyIn(child.copyStage, data: page.childRows[index])
                try conn.executePrepared(child.insert, [key.connectionId])
            }
        }
        if let history = statement.history {
            // After the child tables, which replace the rows of every changed parent: this takes the rows whose
            // versions it writes out of `pg_temp.changed_parents`.
            if firstLoadedRewritten > 0 {
                try conn.executePrepared(history.storeFirstLoadedStaged, [key.connectionId, runId])
            }
            var thinReplaced = 0
            if thinRewritten > 0 {
                thinReplaced = try conn.executePrepared(history.closeThinStaged, [key.connectionId, runId]).affectedRows
            }
            try conn.executeOncePerSession(HistoryStatement.planTable)
            // Late versions change no current row, so the staged versions are placed every page; when none is placed,
            // the statements that write them would change nothing.
            let place = history.placeStaged
            if try conn.executePrepared(place.sql, place.parameters(connectionId: key.connectionId, runId: runId)).affectedRows > 0 {
                for step in history.writePlaced {
                    try conn.executePrepared(step.sql, step.parameters(connectionId: key.connectionId, runId: runId))
                }
            }
            if try conn.executePrepared(HistoryStatement.narrowReconcile).row(0).int(0) ?? 1 > 0 {
                for step in history.reconcile {
                    try conn.executePrepared(step.sql, step.parameters(connectionId: key.connectionId, runId: runId))
                }
            }
            // The thin versions the page rewrote without replacing them (re-sends with a new `_updatedAt`).
            if thinRewritten > thinReplaced { try conn.executePrepared(history.keepRewritten, [key.connectionId]) }
        }
        counts.deleted = row.int(2) ?? 0
        counts.unchanged = page.rowCount - counts.inserted - counts.updated
        return counts
    }

    /// Starts remembering the ids a full-refresh scan sees (in a session-local table).
    public func beginFullRefresh() async throws {
        _ = try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_ids (id text PRIMARY KEY) ON COMMIT PRESERVE ROWS")
                try conn.execute("TRUNCATE pg_temp.seen_ids")
            }
        }
    }

    /// After a completed scan: tombstones the rows of this connection (and entity) that the scan did not see.
    /// With `history` (the stream's merge statement's), each tombstone is recorded as a deleted version, in the
    /// same transaction. Returns how many rows were marked deleted.
    public func finishFullRefresh(
        table: TableSchema, key: StreamKey, history: HistoryStatement? = nil, runId: String? = nil
    ) async throws -> Int {
        try await DatabaseFailure.wrap {
            try await database.transaction { conn in
                let target = try conn.quoteIdentifier(table.schema) + "." + (try conn.quoteIdentifier(table.name))
                let generic = table.column("entity") != nil
                let update = """
                    UPDATE \(target) AS t SET deleted_at = now(), synced_at = now()
                    WHERE t.connection_id = $1 \(generic ? "AND t.entity = $2" : "") AND t.deleted_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM pg_temp.seen_ids s WHERE s.id = t.id)
                    """
                let deleted: Int
                if let history {
                    try conn.executeOncePerSession(MergeStatement.changedParentsTable)
                    try conn.executeOncePerSession(HistoryStatement.planTable)
                    try conn.executeOncePerSession(history.createPrior)
                    if try conn.execute(history.snapshotUnseen, [key.connectionId]).affectedRows > 0 {
                        try conn.execute(history.storeFirstLoaded, [key.connectionId])
                    }
                    let sql = "WITH gone AS (\(update) RETURNING t.id), recorded AS (INSERT INTO pg_temp.changed_parents (id) SELECT id FROM gone) SELECT count(*) FROM gone"
                    deleted = try conn.execute(sql, [key.connectionId]).row(0).int(0) ?? 0
                    for step in history.reconcile {
                        try conn.execute(step.sql, step.parameters(connectionId: key.connectionId, runId: runId))
                    }
                } else {
                    deleted = try conn.execute(update, generic ? [key.connectionId, key.entity] : [key.connectionId]).affectedRows
                }
                try CheckpointStore.markFullRefresh(key, on: conn)
                return deleted
            }
        }
    }
}
