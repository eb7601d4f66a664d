import Foundation

/// Setting a table's secondary indexes aside while a first load fills it, and building them again when it ends
/// (`makini.deferred_indexes`, migration 014). The SQL and the decisions, pure so they are unit-tested; each
/// `MergeStatement` carries its table's, and the session runs them (`WarehouseSession.joinIndexDeferral`, `leaveIndexDeferral`, `restoreOrphanedIndexes`).
///
/// The rules:
/// - Only non-unique, valid secondary indexes that back no constraint are dropped. The primary key and every unique
///   index stay, so the first-load path still meets an existing row on its primary key and the merge is unchanged.
/// - With them, the foreign keys of the table's child tables (`<table>__<field>`) to it (migration 016): a first load
///   writes each parent in the same transaction as its children, and the keys come back NOT VALID and are validated
///   in one join instead of a lookup and a row lock per child row.
/// - Only when the table holds at most `smallTableRows` rows: building the indexes again costs a scan of the table,
///   which a load into a (nearly) empty table pays back many times; a table that already holds another connection's
///   rows keeps its indexes.
/// - The drop and the ledger rows commit together, so after a crash the ledger lists exactly what is missing.
/// - Every loader holds the table's advisory lock in shared mode while it loads. Whoever gets it in exclusive mode
///   (the last loader to finish, or a later run that finds an orphan) builds the indexes again and empties the ledger,
///   in one transaction.
public struct IndexDeferral: Sendable, Equatable {
    /// The table at most this many rows may hold for its indexes to be set aside.
    public static let smallTableRows = 10_000
    /// The table's heap at most this size (64 MiB), checked first: it costs no scan.
    public static let smallTableBytes = 64 << 20
    /// How long the drop waits for the table's lock (analysts' open transactions on the table) before giving up
    /// and loading with the indexes in place.
    public static let lockTimeout = "2s"
    /// SQLSTATE lock_not_available: `lock_timeout` expired.
    public static let lockNotAvailable = "55P03"
    /// SQLSTATE foreign_key_violation: a foreign key's VALIDATE found a row without its parent.
    public static let foreignKeyViolation = "23503"
    /// SQLSTATE undefined_table: the warehouse predates migration 014 (no `makini.deferred_indexes`).
    public static let undefinedTable = "42P01"

    /// The table, schema-qualified and quoted (`"makini"."work_orders"`).
    public let qualifiedTable: String
    public let schema: String
    public let table: String

    /// `schema`, `table`: unquoted names; `quote` quotes an identifier.
    public init(schema: String, table: String, quote: (String) throws -> String) rethrows {
        self.schema = schema
        self.table = table
        qualifiedTable = try quote(schema) + "." + (try quote(table))
    }

    /// SQL of the table's advisory-lock key (bigint), from `$1`: the quoted qualified table name.
    static let lockKeySQL = "hashtextextended('makini-index-deferral:' || $1::text, 0)"
    /// The parameter of every statement that takes the lock key.
    var lockParameters: [String?] { [qualifiedTable] }

    /// Takes the table's lock in shared mode without waiting (false: someone is building the indexes again).
    static let tryShare = "SELECT pg_try_advisory_lock_shared(\(lockKeySQL))"
    /// Gives the shared lock back when this session holds it (after a reconnect it does not, and unlocking a lock
    /// not held would only draw a warning).
    static let unshareIfHeld = """
        SELECT pg_advisory_unlock_shared(k.key) FROM (SELECT \(lockKeySQL) AS key) AS k
        WHERE EXISTS (
            SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.mode = 'ShareLock'
              AND l.objsubid = 1 AND l.granted AND \(WarehouseSession.pgLocksKeySQL) = k.key)
        """
    /// Takes the table's lock in exclusive mode without waiting (false: a load is running).
    static let tryExclusive = "SELECT pg_try_advisory_lock(\(lockKeySQL))"
    /// Gives the exclusive lock back.
    static let unlockExclusive = "SELECT pg_advisory_unlock(\(lockKeySQL))"

    /// The ledger's rows of the table: `$1` schema, `$2` table. Columns: schema, name, definition, kind (index or
    /// foreign_key; read through `to_jsonb` so a ledger from before migration 016 reads as indexes), the foreign
    /// key's table.
    static let ledgerRows = """
        SELECT index_schema, index_name, definition, coalesce(to_jsonb(d) ->> 'kind', 'index'), to_jsonb(d) ->> 'on_table'
        FROM makini.deferred_indexes d
        WHERE table_schema = $1 AND table_name = $2 ORDER BY index_name FOR UPDATE
        """
    /// Whether the ledger records foreign keys too (migration 016).
    static let ledgerHoldsForeignKeys = """
        SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('makini.deferred_indexes') AND attname = 'kind'
                       AND NOT attisdropped)
        """
    /// Records one dropped foreign key: `$1` schema, `$2` constraint name, `$3` table schema, `$4` table,
    /// `$5` definition (ADD CONSTRAINT ... NOT VALID), `$6` run id, `$7` the child table it is on (quoted).
    static let recordForeignKey = """
        INSERT INTO makini.deferred_indexes (index_schema, index_name, table_schema, table_name, definition, run_id, kind, on_table)
        VALUES ($1, $2, $3, $4, $5, $6, 'foreign_key', $7)
        """
    /// Whether a foreign key exists: `$1` its table (quoted qualified name), `$2` its name.
    static let foreignKeyExists = """
        SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2 AND contype = 'f')
        """

    /// Whether the ledger holds rows of the table: `$1` schema, `$2` table.
    static let isDeferred = "SELECT EXISTS (SELECT 1 FROM makini.deferred_indexes WHERE table_schema = $1 AND table_name = $2)"
    /// The tables the ledger holds rows of (for `migrate`).
    static let deferredTables = "SELECT DISTINCT table_schema, table_name FROM makini.deferred_indexes ORDER BY 1, 2"
    /// Empties the ledger of the table: `$1` schema, `$2` table.
    static let forget = "DELETE FROM makini.deferred_indexes WHERE table_schema = $1 AND table_name = $2"
    /// Records one dropped index: `$1` index schema, `$2` index name, `$3` table schema, `$4` table, `$5` definition,
    /// `$6` run id.
    static let record = """
        INSERT INTO makini.deferred_indexes (index_schema, index_name, table_schema, table_name, definition, run_id)
        VALUES ($1, $2, $3, $4, $5, $6)
        """
    /// Per table set aside now: schema, table, how many indexes, since when, by which run, how many foreign keys.
    static let setAside = """
        SELECT table_schema, table_name, count(*) FILTER (WHERE coalesce(to_jsonb(d) ->> 'kind', 'index') = 'index'),
               min(deferred_at), min(run_id), count(*) FILTER (WHERE to_jsonb(d) ->> 'kind' = 'foreign_key')
        FROM makini.deferred_indexes d GROUP BY 1, 2 ORDER BY 1, 2
        """
    /// A table whose secondary indexes are set aside now.
    public struct SetAside: Sendable, Equatable {
        /// `schema.table`.
        public var table: String
        public var indexes: Int
        public var since: Date?
        public var runId: String
        /// Foreign keys of the table's child tables set aside with them.
        public var foreignKeys = 0

        /// Creates a row of `status`'s list.
        public init(table: String, indexes: Int, since: Date?, runId: String, foreignKeys: Int = 0) {
            self.table = table
            self.indexes = indexes
            self.since = since
            self.runId = runId
            self.foreignKeys = foreignKeys
        }
    }

    /// Raises `maintenance_work_mem` to 256 MB for the rebuild's transaction, unless it is set higher: the sort of a
    /// million keys then stays in memory, and PostgreSQL may give the build parallel workers.
    static let buildMemory = """
        SELECT set_config('maintenance_work_mem', '262144kB', true) FROM pg_settings
        WHERE name = 'maintenance_work_mem' AND setting::bigint < 262144
        """

    /// Whether an index or table exists: `$1` its quoted qualified name.
    static let relationExists = "SELECT to_regclass($1) IS NOT NULL"

    /// Locks the table against every other session (the drop needs it), waiting at most `lockTimeout`.
    var lockTable: [String] {
        ["SET LOCAL lock_timeout = '\(Self.lockTimeout)'", "LOCK TABLE \(qualifiedTable) IN ACCESS EXCLUSIVE MODE"]
    }
    /// The table as a `regclass` literal.
    private var regclass: String { "'" + qualifiedTable.replacingOccurrences(of: "'", with: "''") + "'::regclass" }

    /// Whether the table is small: at most `smallTableBytes` on disk (read from the file size, without a scan), and
    /// at most `smallTableRows` rows (counted up to one more).
    var isSmall: String {
        """
        SELECT pg_relation_size(\(regclass)) <= \(Self.smallTableBytes)
           AND (SELECT count(*) FROM (SELECT 1 FROM \(qualifiedTable) LIMIT \(Self.smallTableRows + 1)) AS t) <= \(Self.smallTableRows)
        """
    }
    /// The indexes that may be set aside (schema, name, definition): non-unique, valid, backing no constraint.
    var secondaryIndexes: String {
        """
        SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.indrelid = \(regclass)
          AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion AND i.indisvalid AND i.indisready
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """
    }

    /// The foreign keys of a table's child tables (`<table>__<field>` in its schema) that point at it and may be set
    /// aside: schema, name, the child table (quoted), and the statement that adds it again, NOT VALID (the restore
    /// validates it afterwards, in one join). `$1` schema, `$2` table, `$3` the quoted qualified table.
    static let childForeignKeys = """
        SELECT n.nspname, k.conname, quote_ident(n.nspname) || '.' || quote_ident(ch.relname),
               'ALTER TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(ch.relname) || ' ADD CONSTRAINT '
                   || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid) || ' NOT VALID'
        FROM pg_constraint k JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_namespace n ON n.oid = ch.relnamespace
        WHERE k.contype = 'f' AND k.confrelid = $3::regclass AND k.convalidated
          AND n.nspname = $1 AND left(ch.relname, length($2) + 2) = $2 || '__'
        ORDER BY k.conname
        """
    /// The parameters of `childForeignKeys`.
    var childForeignKeyParameters: [String?] { [schema, table, qualifiedTable] }

    /// The statement that drops a child table's foreign key: `on` its table (quoted), `name` quoted.
    static func dropForeignKey(on table: String, name: String) -> String { "ALTER TABLE \(table) DROP CONSTRAINT \(name)" }
    /// The statement that checks every row of a foreign key added NOT VALID.
    static func validateForeignKey(on table: String, name: String) -> String { "ALTER TABLE \(table) VALIDATE CONSTRAINT \(name)" }

    /// How a foreign key is named in the lists of what was set aside or built again (an index by its name alone).
    public static let foreignKeyPrefix = "foreign key "

    /// "5 secondary indexes and 3 child-table foreign keys": what a list of names set aside or built again holds.
    public static func summary(_ names: [String]) -> String {
        let keys = names.filter { $0.hasPrefix(foreignKeyPrefix) }.count
        return summary(indexes: names.count - keys, foreignKeys: keys)
    }

    /// "5 secondary indexes and 3 child-table foreign keys" ("5 secondary indexes" without keys).
    public static func summary(indexes: Int, foreignKeys: Int) -> String {
        let described = "\(indexes) secondary index\(indexes == 1 ? "" : "es")"
        return foreignKeys == 0 ? described : described + " and \(foreignKeys) child-table foreign key\(foreignKeys == 1 ? "" : "s")"
    }

    /// Whether a stream should try to set the indexes aside: it takes the first-load path, and its first page was
    /// followed by another (a load of one page gains nothing from rebuilding indexes).
    public static func shouldTry(firstLoad: Bool, pagesWritten: Int, moreToCome: Bool) -> Bool {
        firstLoad && pagesWritten >= 1 && moreToCome
    }

    /// What `joinIndexDeferral` found.
    public enum Joined: Sendable, Equatable {
        /// This stream dropped these indexes and child-table foreign keys (names), and holds the table's shared lock.
        case deferred([String])
        /// Another loader had set them aside already; this stream holds the shared lock too.
        case alreadyDeferred
        /// The indexes stay (why), and this stream holds no lock.
        case declined(Declined)

        /// Whether the stream holds the shared lock and must `leaveIndexDeferral` when it ends.
        public var holdsShare: Bool {
            if case .declined = self { return false }
            return true
        }
    }

    /// Why the indexes stay in place.
    public enum Declined: Sendable, Equatable, CustomStringConvertible {
        /// The table holds more than `smallTableRows` rows.
        case tableNotSmall
        /// It has no secondary index (nor child-table foreign key) to set aside.
        case noSecondaryIndex
        /// Another session held the table (an analyst's open transaction) longer than `lockTimeout`.
        case tableBusy
        /// Someone was building the indexes again at that moment.
        case rebuilding
        /// The warehouse has no `makini.deferred_indexes` yet (`makini-sync migrate` adds it).
        case noLedger

        public var description: String {
            switch self {
            case .tableNotSmall: return "the table holds more than \(IndexDeferral.smallTableRows) rows"
            case .noSecondaryIndex: return "the table has no secondary index to set aside"
            case .tableBusy: return "another session held the table for longer than \(IndexDeferral.lockTimeout)"
            case .rebuilding: return "its indexes were being built again"
            case .noLedger: return "the warehouse has no makini.deferred_indexes table yet (run makini-sync migrate)"
            }
        }
    }
}
