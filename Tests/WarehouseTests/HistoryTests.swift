import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
@testable import Warehouse

/// The history of every observed version (SCD type 2), written through the real page path against a real PostgreSQL:
/// a scripted sequence of updates, re-reads, late versions, source deletes and full-refresh absences gives exactly
/// the expected versions, and the status history derived from them.
@Suite("History of every observed version")
struct HistoryTests {
    static let base = Date(timeIntervalSince1970: 1_750_000_000)

    /// One version of a work order, as the API sends it.
    static func order(_ id: String, at offset: TimeInterval, _ status: String, deleted: Bool = false, title: String = "Pumpe") -> IncomingRecord {
        let at = base.addingTimeInterval(offset)
        var fields: [String: JSONValue] = [
            "id": .string(id), "_updatedAt": .string(MakiniTimestamp.format(at)), "status": .string(status), "title": .string(title),
        ]
        if deleted { fields["_deletedAt"] = .string(MakiniTimestamp.format(at)) }
        return IncomingRecord(id: id, updatedAt: at, deletedAt: deleted ? at : nil, fields: fields)
    }

    struct Writer {
        let warehouse: WarehouseSession
        let statement: MergeStatement
        let table: TableSchema
        var mapper: RowMapper
        static let key = StreamKey(job: "j", connectionId: "c1", entity: "work-orders")

        static func open(_ warehouse: WarehouseSession) async throws -> Writer {
            let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
            let mapper = try RowMapper(table: table, entity: "work-orders")
            let statement = try await warehouse.prepareMerge(mapper, history: true)
            return Writer(warehouse: warehouse, statement: statement, table: table, mapper: mapper)
        }

        @discardableResult
        mutating func write(_ records: [IncomingRecord], run: String, trackSeen: Bool = false) async throws -> MergeCounts {
            try await warehouse.writePage(
                mapper.encodePage(records, connectionId: "c1", children: statement.childEncoders), statement: statement, rejects: [], checkpoint: nil, key: Self.key,
                runId: run, trackSeen: trackSeen)
        }
    }

    /// A version as the test expects it: offsets in seconds from `base` (nil: open-ended / observed at run time).
    struct Version: Equatable, CustomStringConvertible {
        var id: String
        var status: String
        var deleted: Bool
        var from: Double?
        var to: Double?
        var current: Bool
        var run: String?
        var description: String { "\(id) \(status)\(deleted ? " deleted" : "") [\(from.map { "\($0)" } ?? "?"), \(to.map { "\($0)" } ?? "∞")) \(current ? "current " : "")\(run ?? "-")" }
    }

    /// The stored versions, offsets from `base`; a time later than `observedAfter` (a version observed at run time,
    /// not stamped by the source) is shown as nil.
    static func versions(_ warehouse: WarehouseSession, observedAfter limit: Double = 100_000) async throws -> [Version] {
        let rows = try await warehouse.query("""
            SELECT id, status, deleted::text, extract(epoch FROM valid_from)::text, extract(epoch FROM valid_to)::text, is_current::text, run_id
            FROM makini.work_orders_history WHERE connection_id = 'c1' ORDER BY id, valid_from
            """)
        let origin = base.timeIntervalSince1970
        func offset(_ text: String?) -> Double? {
            guard let text, let seconds = Double(text) else { return nil }
            let value = seconds - origin
            return value > limit ? nil : value
        }
        return rows.map { row in
            Version(
                id: row[0] ?? "", status: row[1] ?? "", deleted: row[2] == "true", from: offset(row[3]), to: offset(row[4]),
                current: row[5] == "true", run: row[6])
        }
    }

    static func expectConsistent(_ warehouse: WarehouseSession, _ context: String) async throws {
        let broken = try await warehouse.query(HistoryInvariants.violations(table: "work_orders"))
        #expect(broken.isEmpty, "\(context): \(broken)")
    }

    @Test func aScriptedSequenceGivesExactlyTheExpectedVersions() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "history")
        defer { Task { await warehouse.close() } }
        var writer = try await Writer.open(warehouse)

        // Two new work orders.
        try await writer.write([Self.order("wo1", at: 0, "open"), Self.order("wo2", at: 0, "open")], run: "r1")
        var expected = [
            Version(id: "wo1", status: "open", deleted: false, from: 0, to: nil, current: true, run: "r1"),
            Version(id: "wo2", status: "open", deleted: false, from: 0, to: nil, current: true, run: "r1"),
        ]
        #expect(try await Self.versions(warehouse) == expected)

        // A re-read of an unchanged record adds nothing; wo2 moves on.
        let reread = try await writer.write([Self.order("wo1", at: 0, "open"), Self.order("wo2", at: 100, "in progress")], run: "r2")
        #expect(reread.unchanged == 1 && reread.updated == 1)
        expected[1].to = 100
        expected[1].current = false
        expected.append(Version(id: "wo2", status: "in progress", deleted: false, from: 100, to: nil, current: true, run: "r2"))
        expected.sort { ($0.id, $0.from ?? .infinity) < ($1.id, $1.from ?? .infinity) }
        #expect(try await Self.versions(warehouse) == expected)

        // wo1 is seen again after a gap (the source's versions at 100 and 200 were never read): one version, none made up.
        // wo2 arrives late and out of order: a version at 50, older than the stored one, goes between 0 and 100.
        let late = try await writer.write([Self.order("wo1", at: 300, "on hold"), Self.order("wo2", at: 50, "waiting")], run: "r3")
        #expect(late.updated == 1 && late.unchanged == 1, "the late version does not replace the current row")
        expected = [
            Version(id: "wo1", status: "open", deleted: false, from: 0, to: 300, current: false, run: "r1"),
            Version(id: "wo1", status: "on hold", deleted: false, from: 300, to: nil, current: true, run: "r3"),
            Version(id: "wo2", status: "open", deleted: false, from: 0, to: 50, current: false, run: "r1"),
            Version(id: "wo2", status: "waiting", deleted: false, from: 50, to: 100, current: false, run: "r3"),
            Version(id: "wo2", status: "in progress", deleted: false, from: 100, to: nil, current: true, run: "r2"),
        ]
        #expect(try await Self.versions(warehouse) == expected)
        try await Self.expectConsistent(warehouse, "after the late version")

        // A source delete closes the open version and records a deleted one. A late version of wo1 with the content of
        // its newer version moves that version's start back (no two alike in a row); a newer _updatedAt with the same
        // content is no change.
        try await writer.write([Self.order("wo2", at: 200, "in progress", deleted: true), Self.order("wo1", at: 200, "on hold")], run: "r4")
        try await writer.write([Self.order("wo1", at: 400, "on hold")], run: "r5")
        expected = [
            Version(id: "wo1", status: "open", deleted: false, from: 0, to: 200, current: false, run: "r1"),
            Version(id: "wo1", status: "on hold", deleted: false, from: 200, to: nil, current: true, run: "r4"),
            Version(id: "wo2", status: "open", deleted: false, from: 0, to: 50, current: false, run: "r1"),
            Version(id: "wo2", status: "waiting", deleted: false, from: 50, to: 100, current: false, run: "r3"),
            Version(id: "wo2", status: "in progress", deleted: false, from: 100, to: 200, current: false, run: "r2"),
            Version(id: "wo2", status: "in progress", deleted: true, from: 200, to: nil, current: true, run: "r4"),
        ]
        #expect(try await Self.versions(warehouse) == expected)
        #expect(try await warehouse.query("SELECT extract(epoch FROM updated_at - $1::timestamptz)::bigint::text FROM makini.work_orders WHERE id = 'wo1'",
            [MakiniTimestamp.format(Self.base)]) == [["400"]], "the current row still takes the newer stamp")
        try await Self.expectConsistent(warehouse, "after the delete")

        // A full refresh that does not see wo1 tombstones it: a deleted version observed at that time.
        try await warehouse.beginFullRefresh()
        try await writer.write([Self.order("wo2", at: 200, "in progress", deleted: true)], run: "r6", trackSeen: true)
        let gone = try await warehouse.finishFullRefresh(table: writer.table, key: Writer.key, history: writer.statement.history, runId: "r6")
        #expect(gone == 1)
        var now = try await Self.versions(warehouse)
        #expect(now.filter { $0.id == "wo1" } == [
            expected[0], Version(id: "wo1", status: "on hold", deleted: false, from: 200, to: nil, current: false, run: "r4"),
            Version(id: "wo1", status: "on hold", deleted: true, from: nil, to: nil, current: true, run: "r6"),
        ])
        try await Self.expectConsistent(warehouse, "after the full refresh")

        // wo1 comes back unchanged (same _updatedAt): it lives again, a version observed now, after the deletion.
        let back = try await writer.write([Self.order("wo1", at: 400, "on hold")], run: "r7")
        #expect(back.updated == 1)
        now = try await Self.versions(warehouse)
        let wo1 = now.filter { $0.id == "wo1" }
        #expect(wo1.map(\.deleted) == [false, false, true, false])
        #expect(wo1.map(\.current) == [false, false, false, true])
        #expect(wo1.last?.run == "r7")
        let times = try await warehouse.query(
            "SELECT valid_from < valid_to FROM makini.work_orders_history WHERE id = 'wo1' AND valid_to IS NOT NULL ORDER BY valid_from")
        #expect(times == [["t"], ["t"], ["t"]])
        try await Self.expectConsistent(warehouse, "after wo1 came back")

        // Nothing changes when everything is read again: the history does not grow.
        let before = try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_history")
        try await writer.write([Self.order("wo1", at: 400, "on hold"), Self.order("wo2", at: 200, "in progress", deleted: true)], run: "r8")
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_history") == before)
    }

    /// Found by the first-load property test: a newer version with the content of the stored one is no new version,
    /// so a late version older than the current row used to become the newest version and stay current.
    @Test func aLateVersionAfterACollapsedNewerOneIsFollowedByTheCurrentRow() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "history")
        defer { Task { await warehouse.close() } }
        var writer = try await Writer.open(warehouse)
        try await writer.write([Self.order("wo1", at: 177, "completed")], run: "r1")
        try await writer.write([Self.order("wo1", at: 894, "completed")], run: "r2")
        #expect(try await Self.versions(warehouse).count == 1, "the same content at a newer stamp is no new version")
        let late = try await writer.write([Self.order("wo1", at: 195, "in progress")], run: "r3")
        #expect(late.updated == 0 && late.unchanged == 1, "the late version does not replace the current row")
        #expect(try await Self.versions(warehouse) == [
            Version(id: "wo1", status: "completed", deleted: false, from: 177, to: 195, current: false, run: "r1"),
            Version(id: "wo1", status: "in progress", deleted: false, from: 195, to: 894, current: false, run: "r3"),
            Version(id: "wo1", status: "completed", deleted: false, from: 894, to: nil, current: true, run: "r3"),
        ])
        try await Self.expectConsistent(warehouse, "after the late version")
    }

    /// Found by the first-load property test's history model: a stamp seen again with the same content is an
    /// observation, so a late version before it ends there and the content seen again continues from it, also when
    /// that version is no longer the newest (wo1), and when the stamp was the start of a version that moved back to
    /// a late version with its content (wo2).
    @Test func aLateVersionEndsWhereTheContentBeforeItWasSeenAgain() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "history")
        defer { Task { await warehouse.close() } }
        var writer = try await Writer.open(warehouse)
        try await writer.write([Self.order("wo1", at: 470, "on hold"), Self.order("wo2", at: 100, "open"), Self.order("wo3", at: 100, "open")], run: "r1")
        try await writer.write([Self.order("wo1", at: 653, "on hold"), Self.order("wo2", at: 300, "completed"), Self.order("wo3", at: 200, "open")], run: "r2")
        func stamps() async throws -> [[String?]] {
            try await warehouse.query("SELECT id, (extract(epoch FROM stamp)::bigint - 1750000000)::text FROM makini.work_orders_restamps WHERE connection_id = 'c1' ORDER BY id")
        }
        #expect(try await stamps() == [["wo1", "653"], ["wo3", "200"]], "a stamp with the content before it")
        // wo3 changes without a new stamp: its version begins at the stamp, which leaves the restamps.
        try await writer.write([Self.order("wo1", at: 726, "in progress"), Self.order("wo2", at: 200, "completed"), Self.order("wo3", at: 200, "completed")], run: "r3")
        #expect(try await stamps() == [["wo1", "653"], ["wo2", "300"]], "a start moved back to a late version; wo3's stamp begins a version")
        try await writer.write([Self.order("wo1", at: 531, "completed"), Self.order("wo2", at: 250, "on hold")], run: "r4")
        #expect(try await Self.versions(warehouse) == [
            Version(id: "wo1", status: "on hold", deleted: false, from: 470, to: 531, current: false, run: "r1"),
            Version(id: "wo1", status: "completed", deleted: false, from: 531, to: 653, current: false, run: "r4"),
            Version(id: "wo1", status: "on hold", deleted: false, from: 653, to: 726, current: false, run: "r4"),
            Version(id: "wo1", status: "in progress", deleted: false, from: 726, to: nil, current: true, run: "r3"),
            Version(id: "wo2", status: "open", deleted: false, from: 100, to: 200, current: false, run: "r1"),
            Version(id: "wo2", status: "completed", deleted: false, from: 200, to: 250, current: false, run: "r3"),
            Version(id: "wo2", status: "on hold", deleted: false, from: 250, to: 300, current: false, run: "r4"),
            Version(id: "wo2", status: "completed", deleted: false, from: 300, to: nil, current: true, run: "r4"),
            Version(id: "wo3", status: "open", deleted: false, from: 100, to: 200, current: false, run: "r1"),
            Version(id: "wo3", status: "completed", deleted: false, from: 200, to: nil, current: true, run: "r3"),
        ])
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_restamps WHERE connection_id = 'c1'") == [["0"]],
                "both stamps begin versions now")
        try await Self.expectConsistent(warehouse, "after the late versions")
    }

    @Test func statusHistoryOfAWorkOrderThatMovedThroughFourStatuses() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "statushist")
        defer { Task { await warehouse.close() } }
        var writer = try await Writer.open(warehouse)
        // open → in progress (a title change while in progress is no new interval) → on hold → completed.
        let script: [(TimeInterval, String, String)] = [
            (0, "open", "Pumpe"), (3_600, "in progress", "Pumpe"), (5_400, "in progress", "Pumpe, Dichtung"),
            (9_000, "on hold", "Pumpe, Dichtung"), (12_600, "completed", "Pumpe, Dichtung"),
        ]
        for (index, step) in script.enumerated() {
            try await writer.write([Self.order("wo9", at: step.0, step.1, title: step.2)], run: "r\(index)")
        }
        let intervals = try await warehouse.query("""
            SELECT status, extract(epoch FROM entered_at - $1::timestamptz)::bigint::text,
                   extract(epoch FROM left_at - $1::timestamptz)::bigint::text, extract(epoch FROM duration)::bigint::text, is_current::text
            FROM makini.work_order_status_history WHERE connection_id = 'c1' AND work_order_id = 'wo9' ORDER BY entered_at
            """, [MakiniTimestamp.format(Self.base)])
        // Expected independently from the script: an interval starts where the status differs from the step before.
        var expected: [[String?]] = []
        for (index, step) in script.enumerated() where index == 0 || script[index - 1].1 != step.1 {
            let next = script[(index + 1)...].first { $0.1 != step.1 }
            expected.append([
                step.1, String(Int(step.0)), next.map { String(Int($0.0)) }, next.map { String(Int($0.0 - step.0)) },
                next == nil ? "true" : "false",
            ])
        }
        #expect(intervals == expected)
        #expect(intervals.map { $0[0] } == ["open", "in progress", "on hold", "completed"])
        let versions = try await warehouse.query("SELECT count(*)::text FROM makini.work_orders_history WHERE id = 'wo9'")
        #expect(versions == [["5"]], "the title change is a version of its own, but no status interval")
    }

    @Test func statementsPlaceStagedVersionsThenReconcileTheCurrentRow() throws {
        let columns = ["connection_id", "id", "status", "updated_at", "deleted_at", "raw", "synced_at"].map {
            ColumnInfo(name: $0, dataType: "text", kind: .text, isNullable: true, hasDefault: false)
        }
        let target = TableSchema(schema: "makini", name: "work_orders", columns: columns, primaryKey: ["connection_id", "id"])
        let versionColumns = ["valid_from", "valid_to", "is_current", "deleted", "run_id"].map {
            ColumnInfo(name: $0, dataType: "text", kind: .text, isNullable: true, hasDefault: false)
        }
        // A column the history table lacks (added to the base table later) is not copied.
        let history = TableSchema(
            schema: "makini", name: "work_orders_versions", columns: columns.filter { $0.name != "status" } + versionColumns,
            primaryKey: ["connection_id", "id", "valid_from"])
        let statement = try HistoryStatement(target: target, history: history, stage: "\"stage_work_orders\"", quote: { "\"\($0)\"" })
        #expect(statement.historyTable == "\"makini\".\"work_orders_versions\"")
        #expect(statement.restampsTable == "\"makini\".\"work_orders_restamps\"")
        #expect(statement.fromStage.map(\.parameterCount) == [0, 1, 1, 1, 1, 2])
        // The plan keeps the stamps seen again, and a version split at one of them continues from it.
        #expect(statement.fromStage[1].sql.contains("INSERT INTO \"makini\".\"work_orders_restamps\" (connection_id, id, stamp)"))
        #expect(statement.fromStage[5].sql.contains("DELETE FROM \"makini\".\"work_orders_restamps\" r"))
        #expect(statement.fromStage[5].sql.contains("WHERE h.connection_id = $1 AND h.id = sp.id AND h.valid_from = sp.prev_from LIMIT 1"))
        #expect(statement.reconcile.map(\.parameterCount) == [0, 1, 1, 1, 2])
        let insert = statement.fromStage[5].sql
        #expect(insert.contains("INSERT INTO \"makini\".\"work_orders_versions\" (\"connection_id\", \"id\", \"updated_at\", \"deleted_at\", \"raw\", \"synced_at\", valid_from"))
        #expect(!insert.contains("\"status\""))
        #expect(statement.fromStage[1].sql.contains("(p.raw - '_updatedAt') = (s.raw - '_updatedAt')"))
        #expect(statement.reconcile[1].sql.contains("FROM pg_temp.changed_parents c"))
        // Page-driven: the base and history tables are reached through their keys (LATERAL ... LIMIT, = ANY), never
        // by a plain join the planner could answer by hashing the whole table on every page.
        // Nor by an EXISTS over the versions, which the planner may turn into an anti join or a hashed subplan over
        // every version of the connection when the table's statistics lag (as right after a first load).
        let pageStatements = (statement.fromStage + statement.reconcile).map(\.sql)
            + [statement.snapshotStaged, statement.snapshotUnseen, statement.storeFirstLoadedStaged, statement.keepRewritten]
        for sql in pageStatements {
            #expect(!sql.contains("JOIN \"makini\".\"work_orders\" "), "\(sql)")
            #expect(!sql.contains("JOIN \"makini\".\"work_orders_versions\" "), "\(sql)")
            let spaced = sql.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
                .replacingOccurrences(of: "( ", with: "(")
            #expect(!spaced.contains("EXISTS (SELECT 1 FROM \"makini\".\"work_orders_versions\""), "\(sql)")
        }
        #expect(statement.fromStage[2].sql.contains("h.id = ANY (ARRAY(SELECT id FROM pg_temp.history_plan WHERE prev_from IS NOT NULL))"))
        // A thin current version (raw NULL) is closed with the content the page is about to overwrite, or the current row.
        #expect(statement.fromStage[2].sql.contains("AND h.raw IS NOT NULL"))
        #expect(statement.fromStage[3].sql.contains("\"raw\" = f.\"raw\""))
        #expect(!statement.fromStage[3].sql.contains("\"status\""), "a column the versions table lacks is not filled")
        #expect(statement.fromStage[3].sql.contains("FROM \"prior_work_orders\" b WHERE b.id = pl.id"))
        #expect(statement.fromStage[3].sql.hasSuffix("AND h.raw IS NULL"))
        #expect(statement.snapshotStaged.hasPrefix("INSERT INTO \"prior_work_orders\""))
        #expect(statement.recordFirstLoad.hasPrefix("INSERT INTO \"makini\".history_first_loads (table_name, connection_id, run_id) VALUES ('work_orders', $1, $2)"))
        #expect(statement.storeFirstLoaded.contains("FROM \"prior_work_orders\" b WHERE b.first_loaded"))
        #expect(statement.storeFirstLoadedStaged.contains("coalesce(s.updated_at > b.updated_at"))
        // A replaced first-loaded row: its old version closed where the staged one begins, the staged one thin and current.
        #expect(statement.storeFirstLoadedStaged.contains("CASE WHEN b.replaced THEN b.staged_from END, NOT b.replaced"))
        #expect(statement.storeFirstLoadedStaged.hasSuffix(
            "INSERT INTO \"makini\".\"work_orders_versions\" (connection_id, id, valid_from, valid_to, is_current, deleted, run_id)\n"
                + "SELECT $1, f.id, f.staged_from, NULL, true, f.staged_deleted, $2 FROM (SELECT * FROM b WHERE b.replaced) f"))
        #expect(statement.closeThinStaged.hasSuffix("$2 FROM closed f"))
        #expect(statement.fromStage.map(\.sql) == [HistoryStatement.clearPlan.sql, statement.placeStaged.sql] + statement.writePlaced.map(\.sql))
        #expect(statement.writePlaced.count == 4)
        #expect(statement.reconcile[4].sql.hasPrefix("INSERT INTO \"makini\".\"work_orders_versions\" (connection_id, id, valid_from"))
        #expect(HistoryStatement.Step(sql: "", parameterCount: 1).parameters(connectionId: "c", runId: "r") == ["c"])
    }

    @Test func aStreamWithHistoryOnAnotherTypedTableMakesItsHistoryTableFromTheRowsAlreadySynced() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "historymake")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "sites", override: nil)
        var mapper = try RowMapper(table: table, entity: "sites")
        let key = StreamKey(job: "j", connectionId: "c1", entity: "sites")
        let site = { (id: String, offset: TimeInterval, name: String) -> IncomingRecord in
            let at = Self.base.addingTimeInterval(offset)
            return IncomingRecord(id: id, updatedAt: at, deletedAt: nil, fields: [
                "id": .string(id), "_updatedAt": .string(MakiniTimestamp.format(at)), "name": .string(name)])
        }
        let plain = try await warehouse.prepareMerge(mapper)
        _ = try await warehouse.writePage(
            mapper.encodePage([site("s1", 0, "Werk Nord")], connectionId: "c1", children: plain.childEncoders), statement: plain, rejects: [], checkpoint: nil,
            key: key, runId: "r1", trackSeen: false)
        #expect(try await warehouse.query("SELECT to_regclass('makini.sites_history')::text") == [[nil]])
        let withHistory = try await warehouse.prepareMerge(mapper, history: true)
        _ = try await warehouse.writePage(
            mapper.encodePage([site("s1", 60, "Werk Nord-Ost")], connectionId: "c1", children: withHistory.childEncoders), statement: withHistory, rejects: [],
            checkpoint: nil, key: key, runId: "r2", trackSeen: false)
        let rows = try await warehouse.query("SELECT name, is_current::text, coalesce(run_id, '-') FROM makini.sites_history ORDER BY valid_from")
        #expect(rows == [["Werk Nord", "false", "-"], ["Werk Nord-Ost", "true", "r2"]])
        let uncommented = try await warehouse.query("""
            SELECT a.attname FROM pg_attribute a WHERE a.attrelid = 'makini.sites_history'::regclass
            AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL
            """)
        #expect(uncommented.isEmpty, "history columns without a comment: \(uncommented)")
        let generic = try await warehouse.targetTable(entity: "x-things", override: nil)
        await #expect(throws: WarehouseError.self) {
            _ = try await warehouse.prepareMerge(try RowMapper(table: generic, entity: "x-things"), history: true)
        }
    }
}
