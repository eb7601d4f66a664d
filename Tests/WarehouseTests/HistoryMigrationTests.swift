import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
import Warehouse

/// Migration 015 on a warehouse whose history tables were written before it: each becomes `<table>_versions` with the
/// view `<table>_history` over it, showing exactly the rows it held, and syncing goes on from there.
@Suite("History tables from before migration 015")
struct HistoryMigrationTests {
    static let base = Date(timeIntervalSince1970: 1_750_000_000)

    static func stamp(_ offset: TimeInterval) -> String { MakiniTimestamp.format(base.addingTimeInterval(offset)) }

    @Test func aHistoryTableFromBeforeBecomesVersionsWithTheSameRowsAndSyncingGoesOn() async throws {
        let url = try await TestDatabase.create(prefix: "histmig")
        let all = try MigrationFile.load(directory: try SQLDirectory.locate())
        let before = all.filter { $0.version < 15 }
        #expect(before.count < all.count)
        let db = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: before).migrate(db)
        await db.close()

        // Written the way makini-sync wrote history before 015: every version with its whole row.
        let old = try await WarehouseSession.connect(url: url)
        let (t0, t1) = (Self.stamp(0), Self.stamp(60))
        let raw0 = #"{"id": "wo1", "status": "open", "_updatedAt": "\#(t0)"}"#
        let raw1 = #"{"id": "wo1", "status": "in progress", "_updatedAt": "\#(t1)"}"#
        _ = try await old.query("""
            WITH w AS (
                INSERT INTO makini.work_orders (connection_id, id, status, updated_at, raw) VALUES ('c1', 'wo1', 'in progress', $2, $4::jsonb)
                RETURNING 1)
            INSERT INTO makini.work_orders_history (connection_id, id, status, updated_at, raw, valid_from, valid_to, is_current, deleted, run_id)
            VALUES ('c1', 'wo1', 'open', $1, $3::jsonb, $1, $2, false, false, 'r0'),
                   ('c1', 'wo1', 'in progress', $2, $4::jsonb, $2, NULL, true, false, 'r1')
            """, [t0, t1, raw0, raw1])
        let versionsQuery = """
            SELECT id, status, raw::text, valid_from::text, coalesce(valid_to::text, '-'), is_current::text, deleted::text, run_id
            FROM makini.work_orders_history ORDER BY valid_from
            """
        let rowsBefore = try await old.query(versionsQuery)
        let statusBefore = try await old.query("SELECT status, entered_at::text, coalesce(left_at::text, '-') FROM makini.work_order_status_history ORDER BY entered_at")
        await old.close()
        #expect(rowsBefore.count == 2)
        #expect(statusBefore.count == 2)

        let again = try await DatabaseSession.connect(url: url)
        let report = try await Migrator(files: all).migrate(again)
        await again.close()
        #expect(report.applied.contains { $0.hasPrefix("015") }, "\(report.applied)")

        let warehouse = try await WarehouseSession.connect(url: url)
        defer { Task { await warehouse.close() } }
        let kinds = try await warehouse.query("""
            SELECT relname, relkind::text FROM pg_class
            WHERE relnamespace = 'makini'::regnamespace AND relname IN ('work_orders_history', 'work_orders_versions') ORDER BY relname
            """)
        #expect(kinds == [["work_orders_history", "v"], ["work_orders_versions", "r"]])
        #expect(try await warehouse.query(versionsQuery) == rowsBefore)
        #expect(try await warehouse.query(
            "SELECT status, entered_at::text, coalesce(left_at::text, '-') FROM makini.work_order_status_history ORDER BY entered_at") == statusBefore)
        // Only a current version may be thin.
        await #expect(throws: (any Error).self) {
            _ = try await warehouse.query("UPDATE makini.work_orders_versions SET raw = NULL WHERE NOT is_current")
        }

        // A change through today's statements closes the stored current version and adds the staged one.
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let statement = try await warehouse.prepareMerge(mapper, history: true)
        let at = Self.base.addingTimeInterval(120)
        let record = IncomingRecord(id: "wo1", updatedAt: at, deletedAt: nil, fields: [
            "id": .string("wo1"), "status": .string("completed"), "_updatedAt": .string(MakiniTimestamp.format(at))])
        _ = try await warehouse.writePage(
            mapper.encodePage([record], connectionId: "c1", children: statement.childEncoders), statement: statement, rejects: [],
            checkpoint: nil, key: StreamKey(job: "j", connectionId: "c1", entity: "work-orders"), runId: "r2", trackSeen: false)
        let after = try await warehouse.query(
            "SELECT status, coalesce(run_id, '-'), is_current::text FROM makini.work_orders_history ORDER BY valid_from")
        #expect(after == [["open", "r0", "false"], ["in progress", "r1", "false"], ["completed", "r2", "true"]])
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_versions WHERE raw IS NULL") == [["0"]])
        #expect(try await warehouse.query(HistoryInvariants.violations(table: "work_orders")).isEmpty)
    }

    @Test func aFirstLoadStoresNoVersionUntilARowChangesThenTheRowAsItWas() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "histthin")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let statement = try await warehouse.prepareMerge(mapper, history: true)
        let key = StreamKey(job: "j", connectionId: "c1", entity: "work-orders")
        func version(_ id: String, _ offset: TimeInterval, _ status: String) -> IncomingRecord {
            let at = Self.base.addingTimeInterval(offset)
            return IncomingRecord(id: id, updatedAt: at, deletedAt: nil, fields: [
                "id": .string(id), "status": .string(status), "_updatedAt": .string(MakiniTimestamp.format(at))])
        }
        func write(_ records: [IncomingRecord], run: String, firstLoad: Bool) async throws -> MergeCounts {
            try await warehouse.writePage(
                mapper.encodePage(records, connectionId: "c1", children: statement.childEncoders), statement: statement, rejects: [],
                checkpoint: nil, key: key, runId: run, trackSeen: false, firstLoad: firstLoad)
        }
        let loaded = try await write([version("a", 0, "open"), version("b", 0, "open"), version("c", 0, "open")], run: "r1", firstLoad: true)
        #expect(loaded.path == .firstLoad)
        // Nothing stored: each row is its own first version.
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_versions") == [["0"]])
        #expect(try await warehouse.query(
            "SELECT id, run_id, is_current::text, (valid_from = updated_at)::text FROM makini.work_orders_history ORDER BY id") == [
                ["a", "r1", "true", "true"], ["b", "r1", "true", "true"], ["c", "r1", "true", "true"],
            ])
        // Read again unchanged: still nothing stored.
        _ = try await write([version("a", 0, "open"), version("c", 0, "open")], run: "r1b", firstLoad: false)
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_versions") == [["0"]])

        // a: a new status; b: the same content under a new _updatedAt; c: untouched.
        _ = try await write([version("a", 60, "in progress"), version("b", 90, "open")], run: "r2", firstLoad: false)
        let stored = try await warehouse.query("""
            SELECT id, coalesce(raw ->> '_updatedAt', 'thin'), is_current::text FROM makini.work_orders_versions ORDER BY id, valid_from
            """)
        // a's old version is stored closed, its new one thin (the current row); b's re-stamp stores its one version whole.
        #expect(stored == [["a", Self.stamp(0), "false"], ["a", "thin", "true"], ["b", Self.stamp(0), "true"]])
        // What the view shows: each version as it was; b's version keeps the stamp it began with.
        let shown = try await warehouse.query(
            "SELECT id, status, raw ->> '_updatedAt', (valid_from = updated_at)::text, run_id FROM makini.work_orders_history ORDER BY id, valid_from")
        #expect(shown == [
            ["a", "open", Self.stamp(0), "true", "r1"], ["a", "in progress", Self.stamp(60), "true", "r2"],
            ["b", "open", Self.stamp(0), "true", "r1"],
            ["c", "open", Self.stamp(0), "true", "r1"],
        ])
        #expect(try await warehouse.query(HistoryInvariants.violations(table: "work_orders")).isEmpty)

        // a changes again: its thin version is closed with the row as it was, the new one is thin.
        _ = try await write([version("a", 120, "done")], run: "r3", firstLoad: false)
        let again = try await warehouse.query("""
            SELECT coalesce(raw ->> '_updatedAt', 'thin'), coalesce(status, '-'), is_current::text, run_id
            FROM makini.work_orders_versions WHERE id = 'a' ORDER BY valid_from
            """)
        #expect(again == [
            [Self.stamp(0), "open", "false", "r1"], [Self.stamp(60), "in progress", "false", "r2"], ["thin", "-", "true", "r3"],
        ])
        #expect(try await warehouse.query(
            "SELECT status, run_id FROM makini.work_orders_history WHERE id = 'a' ORDER BY valid_from") == [
                ["open", "r1"], ["in progress", "r2"], ["done", "r3"],
            ])
        #expect(try await warehouse.query(HistoryInvariants.violations(table: "work_orders")).isEmpty)
    }

    /// A warehouse without migration 017 has no restamps tables: a stream with history is refused with the fix named,
    /// and after `migrate` every versions table has its restamps table and the stream writes.
    @Test func aStreamWithHistoryNeedsMigration017AndMigrateMakesEveryRestampsTable() async throws {
        let url = try await TestDatabase.create(prefix: "histmig17")
        let all = try MigrationFile.load(directory: try SQLDirectory.locate())
        let db = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: all.filter { $0.version < 17 }).migrate(db)
        await db.close()

        let warehouse = try await WarehouseSession.connect(url: url)
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        let mapper = try RowMapper(table: table, entity: "work-orders")
        do {
            _ = try await warehouse.prepareMerge(mapper, history: true)
            Issue.record("a stream with history ran on a warehouse without migration 017")
        } catch {
            #expect("\(error)".contains("017_history_restamps.sql") && "\(error)".contains("makini-sync migrate"), "\(error)")
        }
        _ = try await warehouse.prepareMerge(mapper, history: false)

        let again = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: all).migrate(again)
        await again.close()
        let restamps = try await warehouse.query("""
            SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'makini'::regnamespace AND c.relkind = 'r' AND c.relname LIKE '%\\_restamps' ORDER BY 1
            """)
        #expect(restamps == [["assets_restamps"], ["purchase_orders_restamps"], ["service_requests_restamps"], ["work_orders_restamps"]])
        let statement = try await warehouse.prepareMerge(mapper, history: true)
        #expect(statement.history?.restampsTable == "\"makini\".\"work_orders_restamps\"")
    }
}
