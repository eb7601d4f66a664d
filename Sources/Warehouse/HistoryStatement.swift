/// The SQL that keeps the history of a table (SCD type 2) in the page transaction, after the merge. Pure, so its
/// text is unit-tested; `WarehouseSession.prepareMerge(_:appendOnly:history:)` builds it from the introspected tables.
///
/// The versions live in `makini.<table>_versions` (read through the view `<table>_history`, migration 015). A current
/// version may be thin: its version columns only, `raw` NULL, its content being the current row. Before a page or a
/// full refresh changes rows, `snapshotStaged` / `snapshotUnseen` copy the rows about to change whose current version is
/// thin into the session table `prior_<table>`; a thin version's content is read from there, else from the current row
/// (which then did not change), and a thin version is filled from the same place when it is closed. So a closed
/// version always holds its own content. Versions appended by `reconcile` are written thin; the rows of a first load
/// have no stored version until they change (`recordFirstLoad`, `storeFirstLoadedStaged`, `storeFirstLoaded`), and a
/// page that replaces such a row with a newer version stores the old one closed and the new one thin, in one statement,
/// leaving nothing for the two passes below to do for it.
///
/// A version is the row as staged (`valid_from` = its `updated_at`). Its content is `raw` without `_updatedAt`, and the
/// deleted flag: a version whose content equals the version before it is no change and is not written. Two passes:
/// - `fromStage`: every staged version with no history row at its `valid_from` is placed in order among the stored
///   versions (a late one goes before newer ones), closing the version before it; when it has the content of the
///   version after it, that one moves back to begin at this `valid_from`. A staged version with the content of the
///   version before it is no new version, but its stamp goes to `<table>_restamps` (so does the old start of a version
///   that moved back): a late version placed before such a stamp ends there, and the content before it continues
///   from it (migration 017).
/// - `reconcile`: for the rows whose current row changed (`pg_temp.changed_parents`), and those whose newest version
///   is now a staged one (`narrowReconcile`), when the current history version's content differs from the
///   current row (a full-refresh absence, a row back after one, a change sent without a new `_updatedAt`, a late
///   version placed after the newest stored one while the current row is newer: its own version had the content of an
///   older one, so it was never written), the current row is appended: from its `updated_at` when that is later
///   than the newest version's and its `raw` differs (it is the source's version of that stamp), else as observed
///   now (a tombstone set here by a full refresh changes no `raw`).
/// Both take $1 = the connection id, $2 = the run id. Afterwards every written row's newest history version
/// (`is_current`) has the content of its current row; `valid_to` of each version is the next one's `valid_from`.
public struct HistoryStatement: Sendable, Equatable {
    /// The versions table, quoted.
    public let historyTable: String
    /// The table of stamps at which a record was seen again with the content of its version then (migration 017), quoted.
    public let restampsTable: String
    /// The session table holding, during one transaction, the rows about to change whose current version is thin.
    public let createPrior: String
    /// Run as a CTE of the merge statement (`MergeStatement.recordingChanges(andAlso:)`), which makes it see the rows
    /// as they were before the merge: the rows of the stage that will change a row whose current version is not
    /// stored whole. No parameters (the stage holds one connection's page).
    public let snapshotStaged: String
    /// Before a full refresh tombstones the rows it did not see ($1 the connection id): those whose current version is
    /// thin, as they are now. The same rows as the tombstone's `UPDATE` (`pg_temp.seen_ids`).
    public let snapshotUnseen: String
    /// After `fromStage` and `reconcile` in a page ($1 the connection id): the thin versions still current whose row the
    /// page rewrote (a re-send with only a new `_updatedAt`) are filled with the row as it was.
    public let keepRewritten: String
    /// Plans the staged versions into the empty `pg_temp.history_plan` ($1 the connection id). Its row count is how
    /// many versions `writePlaced` has to write; none, and `writePlaced` would change nothing.
    public let placeStaged: Step
    /// After `placeStaged`: close the versions before the placed ones, drop those that moved back, write the placed.
    public let writePlaced: [Step]
    /// Statements placing the staged versions, in order: clear the plan, `placeStaged`, `writePlaced`.
    public var fromStage: [Step] { [Self.clearPlan, placeStaged] + writePlaced }
    /// Empties `pg_temp.history_plan` (within a transaction; it is emptied at commit).
    public static let clearPlan = Step(sql: "DELETE FROM pg_temp.history_plan", parameterCount: 0)
    /// Statements appending the current row where it differs from the newest version, in order.
    public let reconcile: [Step]
    /// In a first load's page (`FirstLoadStatement`): records in `makini.history_first_loads` that the rows of the
    /// connection without a stored version have one, from their `updated_at`, the current row ($1 the connection id,
    /// $2 the run id). The version the two passes above would write for a new row, stored as nothing at all until the
    /// row changes.
    public let recordFirstLoad: String
    /// After `snapshotUnseen` ($1 the connection id): the first-loaded rows in the snapshot, which have no stored
    /// version, get theirs (the row as it was, current), so that `reconcile` finds and closes it.
    public let storeFirstLoaded: String
    /// After `snapshotStaged` and the child tables ($1 the connection id, $2 the run id): the same, but a version the
    /// page's newer one replaces going forward (its content differs, no later re-stamp) is stored closed at once,
    /// ending where the staged one begins, and the staged one is stored thin as the current version (it is the row the
    /// merge wrote). `fromStage` then finds a version at the staged stamp and skips the row; the row leaves
    /// `pg_temp.changed_parents`.
    public let storeFirstLoadedStaged: String
    /// After `snapshotStaged` and the child tables ($1 the connection id, $2 the run id): a row whose current version
    /// is thin and which the page replaces going forward gets that version closed with the row as it was, and the
    /// staged one stored thin as the current version; the row leaves `pg_temp.changed_parents`. Its row count is how
    /// many rows it took.
    public let closeThinStaged: String

    /// One statement and how many of the parameters ($1 connection id, $2 run id) it takes.
    public struct Step: Sendable, Equatable {
        public var sql: String
        public var parameterCount: Int

        /// The parameters of this step out of the connection id and the run id.
        public func parameters(connectionId: String, runId: String?) -> [String?] {
            Array([connectionId, runId].prefix(parameterCount))
        }
    }
    /// The session table both passes plan in.
    public static let planTable = """
        CREATE TEMP TABLE IF NOT EXISTS history_plan (
            id text PRIMARY KEY, valid_from timestamptz NOT NULL, prev_from timestamptz, next_from timestamptz,
            valid_to timestamptz, is_current boolean, kind text NOT NULL, split_at timestamptz
        ) ON COMMIT DELETE ROWS
        """
    /// Run after `fromStage`, turns `pg_temp.changed_parents` (the rows the merge wrote) into the rows `reconcile` must
    /// look at, and returns how many those are. A row the merge wrote whose staged version `fromStage` just made the
    /// newest version is done: that version is the row as written. A row whose newest version is now a staged one
    /// the merge did not write (a late version placed after the newest stored one) is added: the current row may be
    /// newer. The rows the merge wrote without a newest version from the stage stay.
    public static let narrowReconcile = """
        WITH newest AS (SELECT id FROM pg_temp.history_plan WHERE is_current),
             done AS (DELETE FROM pg_temp.changed_parents c USING newest n WHERE c.id = n.id RETURNING c.id),
             added AS (INSERT INTO pg_temp.changed_parents (id) SELECT id FROM newest WHERE id NOT IN (SELECT id FROM done) RETURNING id)
        SELECT (SELECT count(*) FROM pg_temp.changed_parents) - (SELECT count(*) FROM done) + (SELECT count(*) FROM added)
        """
    /// The columns a versions table has besides its base table's.
    public static let versionColumns: Set<String> = ["valid_from", "valid_to", "is_current", "deleted", "run_id"]

    /// The name of the view analysts read the history of `table` through (`work_orders` -> `work_orders_history`).
    public static func tableName(for table: String) -> String { table + "_history" }
    /// The name of the table that stores the versions of `table` (`work_orders` -> `work_orders_versions`).
    public static func versionsTableName(for table: String) -> String { table + "_versions" }
    /// The name of the table that keeps the later stamps at which a version's content was seen again
    /// (`work_orders` -> `work_orders_restamps`, migration 017).
    public static func restampsTableName(for table: String) -> String { table + "_restamps" }

    /// `target`: the table the merge writes; `history`: its versions table; `stage`: the quoted stage table.
    /// Copies the columns both tables have (a column added to the base table after its history table was made is
    /// not kept in history). `quote` quotes an identifier.
    public init(target: TableSchema, history: TableSchema, stage: String, quote: (String) throws -> String) throws {
        let base = try quote(target.schema) + "." + (try quote(target.name))
        let hist = try quote(history.schema) + "." + (try quote(history.name))
        let prior = try quote("prior_" + target.name)
        historyTable = hist
        let restamps = try quote(history.schema) + "." + (try quote(Self.restampsTableName(for: target.name)))
        restampsTable = restamps
        let historyNames = Set(history.columns.map(\.name))
        let sharedNames = target.columns.map(\.name).filter { historyNames.contains($0) && !Self.versionColumns.contains($0) }
        let shared = try sharedNames.map(quote)
        let content = try sharedNames.filter { $0 != "connection_id" && $0 != "id" }.map(quote)
        let columns = (shared + ["valid_from", "valid_to", "is_current", "deleted", "run_id"]).joined(separator: ", ")
        let thinColumns = "connection_id, id, valid_from, valid_to, is_current, deleted, run_id"
        let staged = shared.map { "s.\($0)" }.joined(separator: ", ")
        func same(_ version: String, _ row: String) -> String {
            "(\(version).raw - '_updatedAt') = (\(row).raw - '_updatedAt') AND \(version).deleted = (\(row).deleted_at IS NOT NULL)"
        }
        // A version's raw: its own, or for a thin one the row as it was before this transaction changed it (the
        // snapshot), or the current row when this transaction did not change it.
        func versionRaw(_ h: String) -> String {
            "coalesce(\(h).raw, (SELECT b.raw FROM \(prior) b WHERE b.id = \(h).id AND b.version_from = \(h).valid_from), "
                + "(SELECT t.raw FROM \(base) t WHERE t.connection_id = \(h).connection_id AND t.id = \(h).id))"
        }
        let firstLoads = try quote(history.schema) + ".history_first_loads"
        let tableLiteral = "'" + target.name.replacingOccurrences(of: "'", with: "''") + "'"
        // The current version of the row `t` when it is not stored whole: thin (its valid_from), or not stored at all
        // (a first-loaded row that never changed: from its updated_at). `version_from` and `first_loaded` in the snapshot.
        let notWhole = """
            LEFT JOIN LATERAL (
                SELECT h.valid_from, h.raw IS NULL AS thin FROM \(hist) h
                WHERE h.connection_id = t.connection_id AND h.id = t.id AND h.is_current LIMIT 1
            ) h ON true
            """
        let notWholeCondition = """
            (h.thin OR (h.valid_from IS NULL
                AND EXISTS (SELECT 1 FROM \(firstLoads) f WHERE f.table_name = \(tableLiteral) AND f.connection_id = t.connection_id)
                AND (SELECT true FROM \(hist) x WHERE x.connection_id = t.connection_id AND x.id = t.id LIMIT 1) IS NULL))
            """
        let priorColumns = (shared + ["version_from", "first_loaded"]).joined(separator: ", ")
        let snapshotValues = (shared.map { "t.\($0)" } + ["coalesce(h.valid_from, t.updated_at)", "h.valid_from IS NULL"]).joined(separator: ", ")
        createPrior = """
            CREATE TEMP TABLE IF NOT EXISTS \(prior) (
                LIKE \(base) INCLUDING DEFAULTS, version_from timestamptz NOT NULL, first_loaded boolean NOT NULL, PRIMARY KEY (id)
            ) ON COMMIT DELETE ROWS
            """
        snapshotStaged = """
            INSERT INTO \(prior) (\(priorColumns))
            SELECT \(snapshotValues) FROM \(stage) s
            CROSS JOIN LATERAL (SELECT * FROM \(base) t WHERE t.connection_id = s.connection_id AND t.id = s.id LIMIT 1) t
            \(notWhole)
            WHERE (t.raw IS DISTINCT FROM s.raw OR t.deleted_at IS DISTINCT FROM s.deleted_at)
              AND \(notWholeCondition)
            """
        snapshotUnseen = """
            INSERT INTO \(prior) (\(priorColumns))
            SELECT \(snapshotValues) FROM \(base) t
            \(notWhole)
            WHERE t.connection_id = $1 AND t.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.seen_ids s WHERE s.id = t.id)
              AND \(notWholeCondition)
            """
        let firstLoadRun = "(SELECT f.run_id FROM \(firstLoads) f WHERE f.table_name = \(tableLiteral) AND f.connection_id = $1)"
        let remembered = shared.map { "b.\($0)" }.joined(separator: ", ")
        storeFirstLoaded = """
            INSERT INTO \(hist) (\(columns))
            SELECT \(remembered), b.version_from, NULL, true, b.deleted_at IS NOT NULL, \(firstLoadRun)
            FROM \(prior) b WHERE b.first_loaded
            """
        // The staged version replaces the row's current version going forward: a newer stamp than the row and than
        // that version's start, other content, and no stamp at or after it at which the record was seen again
        // (`fromStage` would split it there). Such a row is the common change of an incremental run.
        let forward = """
            coalesce(s.updated_at > b.updated_at AND s.updated_at > b.version_from
                AND ((s.raw - '_updatedAt') IS DISTINCT FROM (b.raw - '_updatedAt') OR (s.deleted_at IS NULL) <> (b.deleted_at IS NULL))
                AND (SELECT true FROM \(restamps) r WHERE r.connection_id = $1 AND r.id = b.id AND r.stamp >= s.updated_at LIMIT 1) IS NULL,
                false)
            """
        // The end of both statements below: the rows of `source` (id, staged_from, staged_deleted) replaced going
        // forward leave `pg_temp.changed_parents`, and their staged versions are stored thin, current.
        func storedThin(from source: String) -> String {
            """
            , done AS (
                DELETE FROM pg_temp.changed_parents c WHERE c.id = ANY (ARRAY(SELECT f.id FROM \(source) f))
            )
            INSERT INTO \(hist) (\(thinColumns))
            SELECT $1, f.id, f.staged_from, NULL, true, f.staged_deleted, $2 FROM \(source) f
            """
        }
        // A first-loaded row replaced going forward: its old version is stored closed, and the staged version (the
        // row the merge just wrote) is stored thin as the current one, so `fromStage` finds a version at its stamp
        // and leaves it alone. Its id leaves `pg_temp.changed_parents` (run after the child tables): its newest
        // version is the current row. Any other first-loaded row in the snapshot gets its version stored current.
        storeFirstLoadedStaged = """
            WITH b AS MATERIALIZED (
                SELECT b.*, s.updated_at AS staged_from, s.deleted_at IS NOT NULL AS staged_deleted, \(forward) AS replaced
                FROM \(prior) b LEFT JOIN \(stage) s ON s.id = b.id AND s.connection_id = $1
                WHERE b.first_loaded
            ), stored AS (
                INSERT INTO \(hist) (\(columns))
                SELECT \(remembered), b.version_from, CASE WHEN b.replaced THEN b.staged_from END, NOT b.replaced,
                       b.deleted_at IS NOT NULL, \(firstLoadRun)
                FROM b
            )\(storedThin(from: "(SELECT * FROM b WHERE b.replaced)"))
            """
        // The same for a row whose current version is thin: that version is closed with the row as it was (the
        // snapshot), and the staged one stored thin after it (fed by the closing's rows, so the old version is no
        // longer current when the new one is written).
        closeThinStaged = """
            WITH b AS MATERIALIZED (
                SELECT b.*, s.updated_at AS staged_from, s.deleted_at IS NOT NULL AS staged_deleted
                FROM \(prior) b JOIN \(stage) s ON s.id = b.id AND s.connection_id = $1
                WHERE NOT b.first_loaded AND \(forward)
            ), closed AS (
                UPDATE \(hist) h SET valid_to = b.staged_from, is_current = false, \(content.map { "\($0) = b.\($0)" }.joined(separator: ", "))
                FROM b
                WHERE h.connection_id = $1 AND h.id = ANY (ARRAY(SELECT id FROM b)) AND h.id = b.id AND h.valid_from = b.version_from
                  AND h.is_current AND h.raw IS NULL
                RETURNING h.id, b.staged_from, b.staged_deleted
            )\(storedThin(from: "closed"))
            """
        recordFirstLoad = """
            INSERT INTO \(firstLoads) (table_name, connection_id, run_id) VALUES (\(tableLiteral), $1, $2)
            ON CONFLICT (table_name, connection_id) DO UPDATE SET run_id = EXCLUDED.run_id, loaded_at = now()
            WHERE \(firstLoads).run_id IS DISTINCT FROM EXCLUDED.run_id
            """
        // A thin version still current after the page whose row the page rewrote (a re-send with only a new
        // `_updatedAt`) keeps the row as it was: a thin version is always exactly its current row.
        keepRewritten = """
            UPDATE \(hist) h SET \(content.map { "\($0) = b.\($0)" }.joined(separator: ", "))
            FROM \(prior) b
            WHERE h.connection_id = $1 AND h.id = ANY (ARRAY(SELECT id FROM \(prior))) AND h.id = b.id AND h.valid_from = b.version_from
              AND h.is_current AND h.raw IS NULL
            """
        // Every statement is driven by the page (the stage, the plan, the changed ids): lookups into the base and
        // history tables go through their keys, by LATERAL subqueries fenced with LIMIT (so they are not flattened
        // into joins), scalar subqueries with LIMIT (never hashed; a `NOT EXISTS` may become an anti join or a hashed
        // subplan over every version of the connection) or by `= ANY (ARRAY(...))`. A plain join lets the planner,
        // whose statistics lag behind a table being loaded, hash the whole table on every page, which makes an
        // initial load quadratic.
        let closing = "h.connection_id = $1 AND h.id = ANY (ARRAY(SELECT id FROM pg_temp.history_plan WHERE prev_from IS NOT NULL))"
            + " AND h.id = pl.id AND h.valid_from = pl.prev_from"
        let closeStored = Step(sql: """
            UPDATE \(hist) h SET valid_to = pl.valid_from, is_current = false FROM pg_temp.history_plan pl
            WHERE \(closing) AND h.raw IS NOT NULL AND (h.is_current OR h.valid_to IS DISTINCT FROM pl.valid_from)
            """, parameterCount: 1)
        // A thin version is closed with its content: the snapshot's row, else the current row (unchanged then).
        let closeThin = Step(sql: """
            UPDATE \(hist) h SET valid_to = pl.valid_from, is_current = false, \(content.map { "\($0) = f.\($0)" }.joined(separator: ", "))
            FROM pg_temp.history_plan pl
            CROSS JOIN LATERAL (
                SELECT \(content.map { "b.\($0)" }.joined(separator: ", ")) FROM \(prior) b WHERE b.id = pl.id AND b.version_from = pl.prev_from
                UNION ALL
                SELECT \(content.map { "t.\($0)" }.joined(separator: ", ")) FROM \(base) t
                WHERE t.connection_id = $1 AND t.id = pl.id
                  AND NOT EXISTS (SELECT 1 FROM \(prior) b WHERE b.id = pl.id AND b.version_from = pl.prev_from)
            ) f
            WHERE \(closing) AND h.raw IS NULL
            """, parameterCount: 1)
        placeStaged = Step(sql: """
            WITH v AS (
                SELECT s.id, s.updated_at, p.valid_from AS prev_from, n.valid_from AS next_from, n.valid_to AS next_to,
                       n.is_current AS next_current,
                       coalesce(\(same("p", "s")), false) AS same_previous,
                       coalesce(\(same("n", "s")), false) AS same_next
                FROM \(stage) s
                LEFT JOIN LATERAL (
                    SELECT h.valid_from, \(versionRaw("h")) AS raw, h.deleted FROM \(hist) h
                    WHERE h.connection_id = s.connection_id AND h.id = s.id AND h.valid_from < s.updated_at
                    ORDER BY h.valid_from DESC LIMIT 1
                ) p ON true
                LEFT JOIN LATERAL (
                    SELECT h.valid_from, h.valid_to, h.is_current, \(versionRaw("h")) AS raw, h.deleted FROM \(hist) h
                    WHERE h.connection_id = s.connection_id AND h.id = s.id AND h.valid_from > s.updated_at
                    ORDER BY h.valid_from LIMIT 1
                ) n ON true
                -- A version stored at this stamp already (a record read again) is skipped before the two lookups
                -- above: a filter on the stage's scan, so it runs first.
                WHERE s.connection_id = $1
                  AND (SELECT true FROM \(hist) h
                       WHERE h.connection_id = s.connection_id AND h.id = s.id AND h.valid_from = s.updated_at LIMIT 1) IS NULL
            ), placed AS (
                -- A version with the content of the one before it is no new version, but its stamp is kept: a late
                -- version before it ends there. Where the previous version's content was seen again after this stamp
                -- (the first such stamp before the next version), the staged version ends at that stamp (`split_at`),
                -- and the previous version's content continues from it.
                SELECT v.*, CASE WHEN prev_from IS NOT NULL AND NOT same_previous THEN (
                           SELECT r.stamp FROM \(restamps) r
                           WHERE r.connection_id = $1 AND r.id = v.id AND r.stamp > v.updated_at AND (next_from IS NULL OR r.stamp < next_from)
                           ORDER BY r.stamp LIMIT 1) END AS split_at
                FROM v
                -- In a connection with first loads, a row without any stored version that the merge did not write is a
                -- first-loaded row read again unchanged (one it changes was given its version by `storeFirstLoadedStaged`):
                -- its version is the row.
                WHERE (prev_from IS NOT NULL OR next_from IS NOT NULL OR EXISTS (SELECT 1 FROM pg_temp.changed_parents c WHERE c.id = v.id)
                       OR NOT EXISTS (SELECT 1 FROM \(firstLoads) f WHERE f.table_name = \(tableLiteral) AND f.connection_id = $1))
            ), seen_again AS (
                -- The stamps seen with the content of the version open then: a version like the one before it, and the
                -- old start of a version that moves back to begin at a late version with its content.
                INSERT INTO \(restamps) (connection_id, id, stamp)
                SELECT $1, id, updated_at FROM placed WHERE same_previous
                UNION ALL
                SELECT $1, id, next_from FROM placed WHERE NOT same_previous AND split_at IS NULL AND same_next
                ON CONFLICT DO NOTHING
            )
            INSERT INTO pg_temp.history_plan (id, valid_from, prev_from, next_from, valid_to, is_current, kind, split_at)
            SELECT id, updated_at, prev_from, next_from,
                   CASE WHEN split_at IS NOT NULL THEN split_at WHEN same_next THEN next_to ELSE next_from END,
                   CASE WHEN split_at IS NOT NULL THEN false WHEN same_next THEN next_current ELSE next_from IS NULL END,
                   CASE WHEN split_at IS NULL AND same_next THEN 'extend' ELSE 'insert' END,
                   split_at
            FROM placed WHERE NOT same_previous
            """, parameterCount: 1)
        writePlaced = [
            closeStored,
            closeThin,
            Step(sql: """
            DELETE FROM \(hist) h USING pg_temp.history_plan pl
            WHERE h.connection_id = $1 AND h.id = ANY (ARRAY(SELECT id FROM pg_temp.history_plan WHERE kind = 'extend'))
              AND pl.kind = 'extend' AND h.id = pl.id AND h.valid_from = pl.next_from
            """, parameterCount: 1),
            // The staged versions. One that ends where the previous version's content was seen again (`split_at`):
            // that content continues from there, up to the next version (current when there is none), with the
            // previous version's columns (stored whole by now: closed above), written by this run. A stamp that begins
            // a version now leaves the restamps: the split one, and a staged version's own (a change sent under the
            // stamp at which the content before it had been seen again).
            Step(sql: """
            WITH split AS (SELECT id, split_at, prev_from, next_from FROM pg_temp.history_plan WHERE split_at IS NOT NULL),
            begun AS (
                DELETE FROM \(restamps) r WHERE r.connection_id = $1 AND r.id = ANY (ARRAY(SELECT id FROM pg_temp.history_plan))
                  AND r.stamp IN ((SELECT pl.valid_from FROM pg_temp.history_plan pl WHERE pl.id = r.id),
                                  (SELECT sp.split_at FROM split sp WHERE sp.id = r.id))
            ), continued AS (
                INSERT INTO \(hist) (\(columns))
                SELECT \(shared.map { "h.\($0)" }.joined(separator: ", ")), sp.split_at, sp.next_from, sp.next_from IS NULL, h.deleted, $2
                FROM split sp
                CROSS JOIN LATERAL (SELECT * FROM \(hist) h WHERE h.connection_id = $1 AND h.id = sp.id AND h.valid_from = sp.prev_from LIMIT 1) h
            )
            INSERT INTO \(hist) (\(columns))
            SELECT \(staged), pl.valid_from, pl.valid_to, pl.is_current, s.deleted_at IS NOT NULL, $2
            FROM pg_temp.history_plan pl JOIN \(stage) s ON s.id = pl.id AND s.connection_id = $1
            """, parameterCount: 2),
        ]
        reconcile = [
            Self.clearPlan,
            Step(sql: """
            INSERT INTO pg_temp.history_plan (id, valid_from, prev_from, kind)
            SELECT t.id,
                   CASE WHEN h.valid_from IS NULL THEN t.updated_at
                        WHEN t.updated_at > h.valid_from AND (t.raw - '_updatedAt') IS DISTINCT FROM (h.raw - '_updatedAt') THEN t.updated_at
                        ELSE greatest(now(), h.valid_from + interval '1 microsecond') END,
                   h.valid_from, 'observed'
            FROM pg_temp.changed_parents c
            CROSS JOIN LATERAL (SELECT t.id, t.updated_at, t.raw, t.deleted_at FROM \(base) t WHERE t.connection_id = $1 AND t.id = c.id LIMIT 1) t
            LEFT JOIN LATERAL (
                SELECT h.valid_from, \(versionRaw("h")) AS raw, h.deleted FROM \(hist) h WHERE h.connection_id = $1 AND h.id = t.id AND h.is_current LIMIT 1
            ) h ON true
            WHERE h.valid_from IS NULL OR NOT (\(same("h", "t")))
            """, parameterCount: 1),
            closeStored,
            closeThin,
            // The current row is the content of the version appended: written thin.
            Step(sql: """
            INSERT INTO \(hist) (\(thinColumns))
            SELECT $1, pl.id, pl.valid_from, NULL, true, t.deleted_at IS NOT NULL, $2
            FROM pg_temp.history_plan pl
            CROSS JOIN LATERAL (SELECT t.deleted_at FROM \(base) t WHERE t.connection_id = $1 AND t.id = pl.id LIMIT 1) t
            """, parameterCount: 2),
        ]
    }
}
