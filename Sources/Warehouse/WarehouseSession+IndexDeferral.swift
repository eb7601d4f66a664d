import LibPQ

extension WarehouseSession {
    /// A first load joins the table's index deferral: it takes the table's advisory lock in shared mode and, when no
    /// other loader has done so, drops the table's secondary indexes (recording them in `makini.deferred_indexes`
    /// in the same transaction) if the table is small enough. Unless the answer is `declined`, the session holds the
    /// shared lock until `leaveIndexDeferral`.
    public func joinIndexDeferral(_ deferral: IndexDeferral, runId: String) async throws -> IndexDeferral.Joined {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                guard try conn.execute(IndexDeferral.tryShare, deferral.lockParameters).row(0).bool(0) == true else {
                    return .declined(.rebuilding)
                }
                do {
                    let joined = try Self.deferIndexes(deferral, runId: runId, on: conn)
                    if !joined.holdsShare { try Self.unshare(deferral, on: conn) }
                    return joined
                } catch {
                    if conn.isHealthy { try? Self.unshare(deferral, on: conn) }
                    throw error
                }
            }
        }
    }

    /// A run that has more connections to sync keeps the table's deferral alive between their loads: it takes the
    /// table's advisory lock in shared mode without waiting, and keeps it until `leaveIndexDeferral` (`RunDeferralHold`).
    /// False: someone is building the indexes again at this moment.
    public func holdIndexDeferral(_ deferral: IndexDeferral) async throws -> Bool {
        try await DatabaseFailure.wrap {
            try await database.run { conn in try conn.execute(IndexDeferral.tryShare, deferral.lockParameters).row(0).bool(0) == true }
        }
    }

    /// A loader is done (finished, failed or stopped): it gives its shared lock back and, when no other loader holds
    /// one, builds the set-aside indexes again and empties the ledger, in one transaction. Returns the names of the
    /// indexes built; nil when another loader is still at work (it builds them when it leaves).
    public func leaveIndexDeferral(_ deferral: IndexDeferral) async throws -> [String]? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try Self.unshare(deferral, on: conn)
                return try Self.restoreUnlessLoading(deferral, on: conn)
            }
        }
    }

    /// Builds again the indexes of `deferral`'s table that a process which died left set aside (no session holds the
    /// table's shared lock). Returns the names built (empty when nothing was set aside); nil when a load is running.
    public func restoreOrphanedIndexes(_ deferral: IndexDeferral) async throws -> [String]? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in try Self.restoreUnlessLoading(deferral, on: conn) }
        }
    }

    /// `restoreOrphanedIndexes` for every table the ledger names (`migrate` runs it before it applies migrations).
    public func restoreAllOrphanedIndexes() async throws -> [String: [String]] {
        try await DatabaseFailure.wrap { try await Self.restoreAllOrphanedIndexes(on: database) }
    }

    /// `restoreOrphanedIndexes` for every table the ledger names, on a plain database session. Returns the names
    /// built per table (quoted qualified name); tables a load is running on are left to it.
    public static func restoreAllOrphanedIndexes(on database: DatabaseSession) async throws -> [String: [String]] {
        try await database.run { conn in
            guard try TableSchema.exists(conn, schema: "makini", name: "deferred_indexes") else { return [:] }
            var built: [String: [String]] = [:]
            for row in try conn.execute(IndexDeferral.deferredTables).rows {
                guard let schema = row[0], let table = row[1] else { continue }
                let deferral = try IndexDeferral(schema: schema, table: table) { try conn.quoteIdentifier($0) }
                if let names = try restoreUnlessLoading(deferral, on: conn), !names.isEmpty { built[deferral.qualifiedTable] = names }
            }
            return built
        }
    }

    /// Tables whose secondary indexes are set aside now (`makini.deferred_indexes`), for `status`.
    public func indexesSetAside() async throws -> [IndexDeferral.SetAside] {
        let schema = self.schema
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                guard try TableSchema.exists(conn, schema: schema, name: "deferred_indexes") else { return [] }
                return try conn.execute(IndexDeferral.setAside).rows.map { row in
                    IndexDeferral.SetAside(
                        table: (row[0] ?? "") + "." + (row[1] ?? ""), indexes: Int(row[2] ?? "") ?? 0,
                        since: row[3].flatMap(PGText.timestamp), runId: row[4] ?? "", foreignKeys: Int(row[5] ?? "") ?? 0)
                }
            }
        }
    }

    /// The drop, under the table's lock: nothing when the ledger names the table already, the table is not small,
    /// or it has no secondary index.
    private static func deferIndexes(_ deferral: IndexDeferral, runId: String, on conn: PGConnection) throws -> IndexDeferral.Joined {
        let names: [String?] = [deferral.schema, deferral.table]
        guard let deferred = try isDeferred(deferral, on: conn) else { return .declined(.noLedger) }
        if deferred { return .alreadyDeferred }
        // Checked first without the lock, so a load into a table other connections fill never stalls their pages.
        guard try conn.execute(deferral.isSmall).row(0).bool(0) == true else { return .declined(.tableNotSmall) }
        do {
            return try conn.transaction { conn in
                for sql in deferral.lockTable { try conn.execute(sql) }
                if try conn.execute(IndexDeferral.isDeferred, names).row(0).bool(0) == true { return .alreadyDeferred }
                guard try conn.execute(deferral.isSmall).row(0).bool(0) == true else {
                    return .declined(.tableNotSmall)
                }
                let indexes = try conn.execute(deferral.secondaryIndexes).rows
                let foreignKeys = try conn.execute(IndexDeferral.ledgerHoldsForeignKeys).row(0).bool(0) == true
                    ? try conn.execute(IndexDeferral.childForeignKeys, deferral.childForeignKeyParameters).rows : []
                guard !indexes.isEmpty || !foreignKeys.isEmpty else { return .declined(.noSecondaryIndex) }
                var dropped: [String] = []
                for index in indexes {
                    guard let schema = index[0], let name = index[1], let definition = index[2] else { continue }
                    try conn.execute(IndexDeferral.record, [schema, name, deferral.schema, deferral.table, definition, runId])
                    try conn.execute("DROP INDEX \(try conn.quoteIdentifier(schema)).\(try conn.quoteIdentifier(name))")
                    dropped.append(name)
                }
                for key in foreignKeys {
                    guard let schema = key[0], let name = key[1], let child = key[2], let definition = key[3] else { continue }
                    try conn.execute(IndexDeferral.recordForeignKey, [schema, name, deferral.schema, deferral.table, definition, runId, child])
                    try conn.execute(IndexDeferral.dropForeignKey(on: child, name: try conn.quoteIdentifier(name)))
                    dropped.append(IndexDeferral.foreignKeyPrefix + name)
                }
                return .deferred(dropped)
            }
        } catch let failure as PostgresError where failure.sqlState == IndexDeferral.lockNotAvailable {
            return .declined(.tableBusy)
        }
    }

    /// Builds the ledger's indexes of the table again, unless a loader holds the shared lock (nil).
    private static func restoreUnlessLoading(_ deferral: IndexDeferral, on conn: PGConnection) throws -> [String]? {
        let names: [String?] = [deferral.schema, deferral.table]
        guard try isDeferred(deferral, on: conn) == true else { return [] }
        guard try conn.execute(IndexDeferral.tryExclusive, deferral.lockParameters).row(0).bool(0) == true else { return nil }
        defer { if conn.isHealthy { _ = try? conn.execute(IndexDeferral.unlockExclusive, deferral.lockParameters) } }
        return try conn.transaction { conn in
            try conn.execute(IndexDeferral.buildMemory)
            var built: [String] = []
            for row in try conn.execute(IndexDeferral.ledgerRows, names).rows {
                guard let schema = row[0], let name = row[1], let definition = row[2] else { continue }
                if row[3] == "foreign_key" {
                    if let added = try restoreForeignKey(name: name, on: row[4], definition: definition, on: conn) { built.append(added) }
                    continue
                }
                let qualified = try conn.quoteIdentifier(schema) + "." + (try conn.quoteIdentifier(name))
                if try conn.execute(IndexDeferral.relationExists, [qualified]).row(0).bool(0) != true {
                    try conn.execute(definition)
                    built.append(name)
                }
            }
            try conn.execute(IndexDeferral.forget, names)
            return built
        }
    }

    /// Adds a child table's foreign key again (unless it exists, or its table is gone), NOT VALID, then validates it in
    /// one join. Should a row have lost its parent meanwhile (a parent deleted by hand during the load), the key stays
    /// NOT VALID, still checking every new row, and the name it returns (with `IndexDeferral.foreignKeyPrefix`) says
    /// so. Nil when nothing was added.
    private static func restoreForeignKey(name: String, on table: String?, definition: String, on conn: PGConnection) throws -> String? {
        guard let table, try conn.execute(IndexDeferral.relationExists, [table]).row(0).bool(0) == true else { return nil }
        guard try conn.execute(IndexDeferral.foreignKeyExists, [table, name]).row(0).bool(0) != true else { return nil }
        try conn.execute(definition)
        try conn.execute("SAVEPOINT makini_validate_foreign_key")
        do {
            try conn.execute(IndexDeferral.validateForeignKey(on: table, name: try conn.quoteIdentifier(name)))
            try conn.execute("RELEASE SAVEPOINT makini_validate_foreign_key")
        } catch let failure as PostgresError where failure.sqlState == IndexDeferral.foreignKeyViolation {
            try conn.execute("ROLLBACK TO SAVEPOINT makini_validate_foreign_key")
            try conn.execute("RELEASE SAVEPOINT makini_validate_foreign_key")
            return IndexDeferral.foreignKeyPrefix + name + " (NOT VALID: rows without a parent exist)"
        }
        return IndexDeferral.foreignKeyPrefix + name
    }

    /// Whether the ledger names the table; nil when the warehouse has no ledger (it predates migration 014, and a
    /// binary newer than the schema must still sync).
    private static func isDeferred(_ deferral: IndexDeferral, on conn: PGConnection) throws -> Bool? {
        do {
            return try conn.execute(IndexDeferral.isDeferred, [deferral.schema, deferral.table]).row(0).bool(0) == true
        } catch let failure as PostgresError where failure.sqlState == IndexDeferral.undefinedTable {
            return nil
        }
    }

    /// Gives the table's shared lock back if this session holds it (it does not after a reconnect).
    private static func unshare(_ deferral: IndexDeferral, on conn: PGConnection) throws {
        try conn.execute(IndexDeferral.unshareIfHeld, deferral.lockParameters)
    }
}
