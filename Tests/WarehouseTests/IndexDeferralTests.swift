import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
@testable import Warehouse

/// Index deferral against a real PostgreSQL: a first load sets the table's non-unique secondary indexes aside and the
/// last loader to leave builds them again exactly as they were; an orphan left by a session that died is built again
/// by the next run or migrate and never while a load runs; a table that is not small, a table an analyst holds, and
/// the unique indexes are left alone. The expected index sets are written out here from sql/001_core.sql, not read
/// from the code under test.
@Suite("Index deferral: secondary indexes set aside during a first load")
struct IndexDeferralTests {
    /// The secondary indexes of makini.work_orders (sql/001_core.sql) that may be set aside: none is unique.
    static let workOrderSecondary = [
        "work_orders_asset_idx", "work_orders_key_idx", "work_orders_open_idx", "work_orders_site_idx", "work_orders_updated_at_idx",
    ]
    /// The foreign keys of work_orders' child tables (sql/006_eam_model.sql, PostgreSQL's default names).
    static let workOrderChildKeys = [
        "work_orders__documents_connection_id_parent_id_fkey", "work_orders__resources_connection_id_parent_id_fkey",
        "work_orders__tasks_connection_id_parent_id_fkey",
    ]
    /// What a first load into work_orders sets aside, in the order the join reports it (indexes, then foreign keys).
    static let workOrderSetAside = workOrderSecondary + workOrderChildKeys.map { "foreign key " + $0 }

    /// The foreign keys that point at makini.work_orders now: name -> validated.
    static func childKeys(_ session: WarehouseSession) async throws -> [String: Bool] {
        var byName: [String: Bool] = [:]
        for row in try await session.query(
            "SELECT conname::text, convalidated FROM pg_constraint WHERE contype = 'f' AND confrelid = 'makini.work_orders'::regclass") {
            byName[row[0] ?? ""] = row[1] == "t"
        }
        return byName
    }
    static let allChildKeysValid = Dictionary(uniqueKeysWithValues: workOrderChildKeys.map { ($0, true) })

    /// A migrated database and a session factory on it.
    struct Warehouse {
        let url: String
        func session() async throws -> WarehouseSession { try await WarehouseSession.connect(url: url) }

        static func make() async throws -> Warehouse {
            let url = try await TestDatabase.create(prefix: "deferral")
            let db = try await DatabaseSession.connect(url: url)
            _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(db)
            await db.close()
            return Warehouse(url: url)
        }
    }

    /// The deferral of a table of schema makini, its names quoted here (not by the code under test).
    static func deferral(_ table: String) -> IndexDeferral {
        IndexDeferral(schema: "makini", table: table) { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    }

    /// Every index of a table: name -> definition.
    static func indexes(_ session: WarehouseSession, table: String = "work_orders") async throws -> [String: String] {
        var byName: [String: String] = [:]
        for row in try await session.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'makini' AND tablename = $1", [table]) {
            byName[row[0] ?? ""] = row[1] ?? ""
        }
        return byName
    }

    static func ledger(_ session: WarehouseSession) async throws -> [[String?]] {
        try await session.query("SELECT table_name, index_name, definition FROM makini.deferred_indexes ORDER BY index_name")
    }

    /// Writes `count` work orders for `connection` through the first-load path, as a stream's pages.
    static func load(_ session: WarehouseSession, connection: String, ids: Range<Int>, statuses: [String]) async throws {
        let table = try await session.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let statement = try await session.prepareMerge(mapper, history: true)
        let key = StreamKey(job: "j", connectionId: connection, entity: "work-orders")
        let versions = ids.map { number in
            FirstLoadTests.Version(id: "wo-\(number)", offset: number, status: statuses[number % statuses.count], tasks: number % 3, deleted: false)
        }
        for page in stride(from: 0, to: versions.count, by: 50).map({ Array(versions[$0..<min($0 + 50, versions.count)]) }) {
            let counts = try await session.writePage(
                mapper.encodePage(page.map { $0.record() }, connectionId: connection, children: statement.childEncoders),
                statement: statement, rejects: [], checkpoint: nil, key: key, runId: "r", trackSeen: false, firstLoad: true)
            #expect(counts.path == .firstLoad)
        }
    }

    /// Shared advisory locks on index deferral keys held now, by any session.
    static func sharedLocks(_ session: WarehouseSession) async throws -> Int {
        Int(try await session.query("""
            SELECT count(*)::text FROM pg_locks l WHERE l.locktype = 'advisory' AND l.mode = 'ShareLock' AND l.granted
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended('makini-index-deferral:' || '"makini"."work_orders"', 0)
            """)[0][0] ?? "0") ?? 0
    }

    /// Waits until no session holds the table's shared lock: a closed session's backend lets its locks go a moment
    /// after the client hangs up, and the exclusive lock is granted exactly then.
    static func waitUntilNoLoader(_ session: WarehouseSession) async throws {
        let key = "hashtextextended('makini-index-deferral:' || '\"makini\".\"work_orders\"', 0)"
        _ = try await session.query("SELECT pg_advisory_lock(\(key))")
        _ = try await session.query("SELECT pg_advisory_unlock(\(key))")
    }

    @Test func twoLoadersSetTheIndexesAsideAndTheLastToLeaveBuildsThemAgainAsTheyWere() async throws {
        let warehouse = try await Warehouse.make()
        let (a, b, reader) = (try await warehouse.session(), try await warehouse.session(), try await warehouse.session())
        defer { Task { await a.close(); await b.close(); await reader.close() } }
        let before = try await Self.indexes(reader)
        #expect(Set(before.keys) == Set(Self.workOrderSecondary + ["work_orders_pkey"]))
        let deferral = Self.deferral("work_orders")

        #expect(try await Self.childKeys(reader) == Self.allChildKeysValid)
        #expect(try await a.joinIndexDeferral(deferral, runId: "run-a") == .deferred(Self.workOrderSetAside))
        #expect(try await Self.indexes(reader).keys.sorted() == ["work_orders_pkey"], "only the primary key stays")
        #expect(try await Self.childKeys(reader).isEmpty, "the child tables' foreign keys are set aside too")
        let ledger = try await Self.ledger(reader)
        #expect(ledger.map { $0[1] ?? "" }.sorted() == (Self.workOrderSecondary + Self.workOrderChildKeys).sorted())
        let indexRows = ledger.filter { Self.workOrderSecondary.contains($0[1] ?? "") }
        #expect(indexRows.count == 5 && indexRows.allSatisfy { $0[0] == "work_orders" && $0[2] == before[$0[1] ?? ""] }, "each definition recorded as it was")
        #expect(ledger.first { $0[1] == "work_orders__tasks_connection_id_parent_id_fkey" }?[2] == """
            ALTER TABLE makini.work_orders__tasks ADD CONSTRAINT work_orders__tasks_connection_id_parent_id_fkey \
            FOREIGN KEY (connection_id, parent_id) REFERENCES makini.work_orders(connection_id, id) ON DELETE CASCADE NOT VALID
            """)
        let shown = try await reader.indexesSetAside()
        #expect(shown.map(\.table) == ["makini.work_orders"] && shown.first?.indexes == 5 && shown.first?.foreignKeys == 3 && shown.first?.runId == "run-a")
        #expect(try await b.joinIndexDeferral(deferral, runId: "run-b") == .alreadyDeferred)
        #expect(try await Self.sharedLocks(reader) == 2)

        let statuses = ["open", "in progress", "on hold", "completed"]
        try await Self.load(a, connection: "plant-a", ids: 0..<300, statuses: statuses)
        try await Self.load(b, connection: "plant-b", ids: 0..<120, statuses: statuses)

        #expect(try await a.leaveIndexDeferral(deferral) == nil, "plant-b still loads: the indexes wait for it")
        #expect(try await Self.indexes(reader).count == 1)
        #expect(try await b.leaveIndexDeferral(deferral)?.sorted() == Self.workOrderSetAside.sorted())
        #expect(try await Self.indexes(reader) == before, "every index back under its name with its definition")
        #expect(try await Self.childKeys(reader) == Self.allChildKeysValid, "every foreign key back, validated")
        #expect(try await Self.ledger(reader).isEmpty)
        #expect(try await reader.indexesSetAside().isEmpty)
        #expect(try await Self.sharedLocks(reader) == 0)
        #expect(try await reader.query("SELECT count(*)::text FROM pg_index WHERE indrelid = 'makini.work_orders'::regclass AND NOT indisvalid") == [["0"]])

        // The rebuilt partial index answers as the table does: open work orders per connection, computed here.
        let plan = try await reader.query("""
            SET enable_seqscan = off; SET enable_bitmapscan = off;
            EXPLAIN SELECT count(*) FROM makini.work_orders WHERE connection_id = 'plant-a' AND status = 'open' AND deleted_at IS NULL
            """).map { $0[0] ?? "" }.joined()
        #expect(plan.contains("work_orders_open_idx"), "\(plan)")
        let counted = try await reader.query(
            "SELECT count(*)::text FROM makini.work_orders WHERE connection_id = 'plant-a' AND status = 'open' AND deleted_at IS NULL")
        _ = try await reader.query("RESET enable_seqscan; RESET enable_bitmapscan")
        #expect(counted == [[String((0..<300).filter { $0 % 4 == 0 }.count)]])
    }

    @Test func anOrphanIsBuiltAgainByTheNextRunOrMigrateAndNeverWhileALoadRuns() async throws {
        let warehouse = try await Warehouse.make()
        let observer = try await warehouse.session()
        defer { Task { await observer.close() } }
        let before = try await Self.indexes(observer)
        let deferral = Self.deferral("work_orders")

        let loader = try await warehouse.session()
        #expect(try await loader.joinIndexDeferral(deferral, runId: "run-1") == .deferred(Self.workOrderSetAside))
        try await Self.load(loader, connection: "plant-a", ids: 0..<80, statuses: ["open"])
        #expect(try await observer.restoreOrphanedIndexes(deferral) == nil, "the loader is alive: its indexes are not an orphan")
        #expect(try await observer.restoreAllOrphanedIndexes().isEmpty)
        #expect(try await Self.indexes(observer).count == 1)

        await loader.close()  // the process died: its session and its shared lock are gone, the ledger stays
        try await Self.waitUntilNoLoader(observer)
        #expect(try await Self.ledger(observer).count == Self.workOrderSetAside.count)
        #expect(try await observer.restoreOrphanedIndexes(deferral)?.sorted() == Self.workOrderSetAside.sorted())
        #expect(try await Self.indexes(observer) == before)
        #expect(try await Self.childKeys(observer) == Self.allChildKeysValid)
        #expect(try await Self.ledger(observer).isEmpty)
        #expect(try await observer.restoreOrphanedIndexes(deferral) == [], "nothing left to build")

        // The same through migrate (which runs before every deploy's migrations).
        let second = try await warehouse.session()
        _ = try await second.query("DELETE FROM makini.work_orders")
        #expect(try await second.joinIndexDeferral(deferral, runId: "run-2") == .deferred(Self.workOrderSetAside))
        await second.close()
        try await Self.waitUntilNoLoader(observer)
        let report = try await observer.migrate(sqlDirectory: nil)
        #expect(report.restoredIndexes.mapValues { $0.sorted() } == [deferral.qualifiedTable: Self.workOrderSetAside.sorted()])
        #expect(try await Self.indexes(observer) == before)
        #expect(try await Self.childKeys(observer) == Self.allChildKeysValid)
        #expect(try await Self.ledger(observer).isEmpty)
    }

    @Test func aTableThatIsNotSmallAndATableAnAnalystHoldsKeepTheirIndexes() async throws {
        let warehouse = try await Warehouse.make()
        let (loader, analyst) = (try await warehouse.session(), try await warehouse.session())
        defer { Task { await loader.close(); await analyst.close() } }
        let before = try await Self.indexes(analyst)
        let deferral = Self.deferral("work_orders")

        // An analyst's open transaction that has read the table: the drop may not wait for it.
        _ = try await analyst.query("BEGIN")
        _ = try await analyst.query("SELECT count(*) FROM makini.work_orders")
        #expect(try await loader.joinIndexDeferral(deferral, runId: "r") == .declined(.tableBusy))
        _ = try await analyst.query("COMMIT")
        #expect(try await Self.indexes(analyst) == before)
        #expect(try await Self.sharedLocks(analyst) == 0, "a declined join holds no lock")

        // Another connection's rows, one more than a small table holds.
        _ = try await analyst.query("""
            INSERT INTO makini.work_orders (connection_id, id, updated_at, raw)
            SELECT 'other', 'wo-' || n, now(), '{}'::jsonb FROM generate_series(0, \(IndexDeferral.smallTableRows)) AS n
            """)
        #expect(try await loader.joinIndexDeferral(deferral, runId: "r") == .declined(.tableNotSmall))
        #expect(try await Self.indexes(analyst) == before)
        #expect(try await Self.ledger(analyst).isEmpty)
        _ = try await analyst.query("DELETE FROM makini.work_orders WHERE id <> 'wo-0'")
        #expect(try await loader.joinIndexDeferral(deferral, runId: "r") == .deferred(Self.workOrderSetAside), "one row is small")
        #expect(try await loader.leaveIndexDeferral(deferral)?.sorted() == Self.workOrderSetAside.sorted())
        #expect(try await Self.indexes(analyst) == before)
        #expect(try await Self.childKeys(analyst) == Self.allChildKeysValid)
    }

    @Test func aForeignKeyWhoseRowsLostTheirParentComesBackNotValidAndStillChecksNewRows() async throws {
        let warehouse = try await Warehouse.make()
        let session = try await warehouse.session()
        defer { Task { await session.close() } }
        let deferral = Self.deferral("work_orders")
        #expect(try await session.joinIndexDeferral(deferral, runId: "r") == .deferred(Self.workOrderSetAside))
        // A parent deleted by hand while its foreign key was set aside: its child row stays behind.
        try await Self.load(session, connection: "plant-a", ids: 0..<3, statuses: ["open"])
        _ = try await session.query("DELETE FROM makini.work_orders WHERE id = 'wo-1'")
        #expect(try await session.query("SELECT count(*)::text FROM makini.work_orders__tasks WHERE parent_id = 'wo-1'") == [["1"]])
        let restored = try await session.leaveIndexDeferral(deferral) ?? []
        #expect(restored.contains("foreign key work_orders__tasks_connection_id_parent_id_fkey (NOT VALID: rows without a parent exist)"), "\(restored)")
        #expect(try await Self.childKeys(session) == Self.allChildKeysValid.merging(["work_orders__tasks_connection_id_parent_id_fkey": false]) { $1 })
        #expect(try await Self.ledger(session).isEmpty)
        #expect(try await Self.indexes(session).count == 6, "the indexes are built even so")
        await #expect(throws: (any Error).self, "a NOT VALID key still checks new rows") {
            _ = try await session.query("""
                INSERT INTO makini.work_orders__tasks (connection_id, parent_id, ordinal, parent_updated_at, raw)
                VALUES ('plant-a', 'no-such-parent', 0, now(), '{}')
                """)
        }
    }

    @Test func onlyNonUniqueIndexesOfAHostileNamedTableAreSetAside() async throws {
        let warehouse = try await Warehouse.make()
        let session = try await warehouse.session()
        defer { Task { await session.close() } }
        let name = #"odd "table's" name"#
        _ = try await session.query(#"""
            CREATE TABLE makini."odd ""table's"" name" (connection_id text NOT NULL, id text NOT NULL, k text, v int, PRIMARY KEY (connection_id, id));
            CREATE UNIQUE INDEX "uniq ""k""" ON makini."odd ""table's"" name" (k);
            CREATE INDEX "plain 'v'" ON makini."odd ""table's"" name" (connection_id, v) WHERE v > 0;
            ALTER TABLE makini."odd ""table's"" name" ADD CONSTRAINT "no overlap" EXCLUDE USING btree (v WITH =);
            """#)
        let before = try await Self.indexes(session, table: name)
        #expect(before.count == 4)
        let deferral = Self.deferral(name)
        #expect(try await session.joinIndexDeferral(deferral, runId: "r") == .deferred(["plain 'v'"]))
        #expect(Set(try await Self.indexes(session, table: name).keys) == Set(before.keys).subtracting(["plain 'v'"]))
        #expect(try await session.leaveIndexDeferral(deferral) == ["plain 'v'"])
        #expect(try await Self.indexes(session, table: name) == before)
    }

    @Test func aWarehouseWithoutTheLedgerSyncsWithItsIndexesInPlace() async throws {
        let warehouse = try await Warehouse.make()
        let session = try await warehouse.session()
        defer { Task { await session.close() } }
        _ = try await session.query("DROP TABLE makini.deferred_indexes")  // a warehouse migrated before 014
        let before = try await Self.indexes(session)
        let deferral = Self.deferral("work_orders")
        #expect(try await session.joinIndexDeferral(deferral, runId: "r") == .declined(.noLedger))
        #expect(try await session.restoreOrphanedIndexes(deferral) == [])
        #expect(try await session.restoreAllOrphanedIndexes().isEmpty)
        #expect(try await session.indexesSetAside().isEmpty)
        #expect(try await Self.indexes(session) == before)
        #expect(try await Self.sharedLocks(session) == 0)
        try await Self.load(session, connection: "plant-a", ids: 0..<60, statuses: ["open"])
    }

    @Test func theSummaryCountsIndexesAndForeignKeysApart() {
        #expect(IndexDeferral.summary(Self.workOrderSetAside) == "5 secondary indexes and 3 child-table foreign keys")
        #expect(IndexDeferral.summary(Self.workOrderSecondary) == "5 secondary indexes")
        #expect(IndexDeferral.summary(["plain 'v'", "foreign key k"]) == "1 secondary index and 1 child-table foreign key")
        #expect(IndexDeferral.summary(indexes: 0, foreignKeys: 2) == "0 secondary indexes and 2 child-table foreign keys")
    }

    @Test func aStreamTriesOnlyWhenItsFirstLoadGoesBeyondOnePage() {
        #expect(IndexDeferral.shouldTry(firstLoad: true, pagesWritten: 1, moreToCome: true))
        #expect(!IndexDeferral.shouldTry(firstLoad: true, pagesWritten: 1, moreToCome: false))
        #expect(!IndexDeferral.shouldTry(firstLoad: false, pagesWritten: 1, moreToCome: true))
        #expect(!IndexDeferral.shouldTry(firstLoad: true, pagesWritten: 0, moreToCome: true))
        #expect(IndexDeferral.Joined.deferred([]).holdsShare && IndexDeferral.Joined.alreadyDeferred.holdsShare)
        #expect(!IndexDeferral.Joined.declined(.tableBusy).holdsShare)
    }
}
