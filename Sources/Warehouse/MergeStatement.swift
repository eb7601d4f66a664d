/// The SQL that moves a staged page into its table: one `INSERT ... SELECT ... ON CONFLICT DO UPDATE` that
/// never replaces a newer version with an older one and skips rows that did not change, and reports how
/// many rows it inserted, updated and tombstoned. A stored version stamped in the future (a source clock running
/// ahead) does not block a later read with a correct, earlier stamp. Pure, so its text is unit-tested.
public struct MergeStatement: Sendable, Equatable {
    public let stageTable: String
    public let createStage: String
    public let copy: String
    public let merge: String
    /// `merge`, also recording the ids of the rows it inserted or changed in `pg_temp.changed_parents`, whose child
    /// tables are then replaced by `childStatements`.
    public let mergeRecordingChanges: String
    /// Statements that replace the child-table rows of the changed parents (empty: the table has no child tables).
    public var childStatements: [ChildStatements] = []
    /// The encoders of the child rows a page written with this statement carries (`RowMapper.encodePage`).
    public var childEncoders: [ChildRowEncoder] { childStatements.map(\.encoder) }
    /// The statements that keep the table's history (nil: the stream keeps none); run after the merge and child tables.
    public var history: HistoryStatement?
    /// The path for pages of rows the table does not hold yet (a connection's first load).
    public var firstLoad: FirstLoadStatement
    /// Setting the table's secondary indexes aside during a first load, and building them again.
    public let indexDeferral: IndexDeferral
    /// `mergeRecordingChanges` with one more data-modifying CTE run in the same statement (it sees the rows as they
    /// were before the merge), whose row count is returned as a fourth column: the history snapshot
    /// (`HistoryStatement.snapshotStaged`), and as a fifth how many of its rows are first-loaded ones. Nil without history.
    public var mergeRecordingChangesAndSnapshot: String?
    /// `WITH merged AS (...)`: the upsert, returning each written row's id and whether it was inserted or tombstoned.
    private let mergedCTE: String
    /// The session table `mergeRecordingChanges` writes to.
    public static let changedParentsTable =
        "CREATE TEMP TABLE IF NOT EXISTS changed_parents (id text PRIMARY KEY) ON COMMIT DELETE ROWS"

    /// `quote` quotes an identifier (libpq's escaping); names come from introspection, never from input.
    /// `appendOnly`: rows are inserted once and never overwritten (entities whose records carry a creation time only).
    public init(mapper: RowMapper, appendOnly: Bool = false, quote: (String) throws -> String) rethrows {
        let table = mapper.table
        let target = try quote(table.schema) + "." + (try quote(table.name))
        let stage = try quote("stage_" + table.name)
        let columns = try mapper.copyColumns.map { try quote($0.name) }
        let key = try table.primaryKey.map(quote)
        let keySet = Set(table.primaryKey)
        let updates = try mapper.copyColumns.filter { !keySet.contains($0.name) }.map { column -> String in
            let name = try quote(column.name)
            return "\(name) = EXCLUDED.\(name)"
        }
        let hasSyncedAt = table.column("synced_at") != nil
        let hasDeletedAt = table.column("deleted_at") != nil
        let insertColumns = columns + (hasSyncedAt ? ["synced_at"] : [])
        let selectColumns = columns + (hasSyncedAt ? ["now()"] : [])
        let setList = updates + (hasSyncedAt ? ["synced_at = EXCLUDED.synced_at"] : [])
        let changed = hasDeletedAt
            ? "(t.raw IS DISTINCT FROM EXCLUDED.raw OR t.deleted_at IS DISTINCT FROM EXCLUDED.deleted_at)"
            : "t.raw IS DISTINCT FROM EXCLUDED.raw"
        stageTable = stage
        firstLoad = try FirstLoadStatement(target: table, columns: columns, history: nil, quote: quote)
        indexDeferral = try IndexDeferral(schema: table.schema, table: table.name, quote: quote)
        createStage = "CREATE TEMP TABLE IF NOT EXISTS \(stage) (LIKE \(target) INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        copy = "COPY \(stage) (\(columns.joined(separator: ", "))) FROM STDIN"
        let conflict = appendOnly
            ? "DO NOTHING"
            : """
                DO UPDATE SET \(setList.joined(separator: ", "))
                    WHERE (t.updated_at <= EXCLUDED.updated_at OR t.updated_at > now()) AND \(changed)
                """
        // Rows equal to their stored version are left out before the insert, which would lock them (UnchangedRowFilter).
        let unchanged = appendOnly
            ? "" : " " + UnchangedRowFilter(target: target, stage: stage, key: key, hasDeletedAt: hasDeletedAt).clause
        let merged = """
            WITH merged AS (
                INSERT INTO \(target) AS t (\(insertColumns.joined(separator: ", ")))
                SELECT \(selectColumns.joined(separator: ", ")) FROM \(stage)\(unchanged)
                ON CONFLICT (\(key.joined(separator: ", "))) \(conflict)
                RETURNING t.id AS changed_id, (xmax = 0) AS inserted, \(hasDeletedAt ? "(t.deleted_at IS NOT NULL)" : "false") AS deleted
            )
            """
        merge = Self.compose(merged, recording: false, also: nil)
        mergeRecordingChanges = Self.compose(merged, recording: true, also: nil)
        mergedCTE = merged
    }

    /// `mergeRecordingChanges` that also runs `insert` (an `INSERT ... SELECT`, no `RETURNING`) as a CTE of the same
    /// statement, on the data as it was before the merge, and returns its row count as a fourth column. With
    /// `counting` (a boolean expression over the inserted row), a fifth column counts the inserted rows it holds for.
    public func recordingChanges(andAlso insert: String, counting flag: String? = nil) -> String {
        Self.compose(mergedCTE, recording: true, also: insert, flag: flag)
    }

    /// The statement around `merged`: when `recording`, a CTE that writes the changed ids to `pg_temp.changed_parents`;
    /// with `also`, one more data-modifying CTE; then the inserted, updated and tombstoned counts (and `also`'s rows,
    /// and those of them `flag` holds for).
    private static func compose(_ merged: String, recording: Bool, also: String?, flag: String? = nil) -> String {
        var ctes = [merged]
        if recording { ctes.append("recorded AS (INSERT INTO pg_temp.changed_parents (id) SELECT changed_id FROM merged)") }
        if let also { ctes.append("also AS (\(also)\nRETURNING \(flag.map { "(\($0)) AS flagged" } ?? "1"))") }
        var counts = ["count(*) FILTER (WHERE inserted)", "count(*) FILTER (WHERE NOT inserted)", "count(*) FILTER (WHERE deleted)"]
        if also != nil { counts.append("(SELECT count(*) FROM also)") }
        if also != nil, flag != nil { counts.append("(SELECT count(*) FROM also WHERE flagged)") }
        return ctes.joined(separator: ",\n") + "\nSELECT " + counts.joined(separator: ", ") + "\nFROM merged"
    }
}
