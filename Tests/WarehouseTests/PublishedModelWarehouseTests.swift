import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
@testable import Warehouse

/// Child tables, append-only merges, the backfill of added columns and field coverage, against a real PostgreSQL.
@Suite("Published model in the warehouse")
struct PublishedModelWarehouseTests {
    static let base = Date(timeIntervalSince1970: 1_750_000_000)

    func record(_ id: String, at offset: TimeInterval, _ fields: [String: JSONValue]) -> IncomingRecord {
        let at = Self.base.addingTimeInterval(offset)
        var all = fields
        all["id"] = .string(id)
        all["_updatedAt"] = .string(MakiniTimestamp.format(at))
        return IncomingRecord(id: id, updatedAt: at, deletedAt: nil, fields: all)
    }

    @discardableResult
    func write(
        _ warehouse: WarehouseSession, _ entity: String, _ records: [IncomingRecord], connection: String = "c1", appendOnly: Bool = false
    ) async throws -> MergeCounts {
        let table = try await warehouse.targetTable(entity: entity, override: nil)
        var mapper = try RowMapper(table: table, entity: entity)
        let statement = try await warehouse.prepareMerge(mapper, appendOnly: appendOnly)
        return try await warehouse.writePage(
            mapper.encodePage(records, connectionId: connection, children: statement.childEncoders), statement: statement, rejects: [], checkpoint: nil,
            key: StreamKey(job: "j", connectionId: connection, entity: entity), runId: "r1", trackSeen: false)
    }

    static func task(_ key: String, _ title: String) -> JSONValue {
        .object(["key": .string(key), "title": .string(title), "checkList": .array([.string("a")])])
    }

    @Test func childRowsAreReplacedWithTheirParentsVersionOnlyWhenTheParentChanges() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "children")
        defer { Task { await warehouse.close() } }
        try await write(warehouse, "work-orders", [
            record("wo1", at: 0, ["tasks": .array([Self.task("T1", "a"), Self.task("T2", "b"), Self.task("T3", "c")])]),
            record("wo2", at: 0, ["tasks": .array([Self.task("U1", "x")]), "resources": .array([.object(["laborKey": .string("L1"), "estimatedTime": .string("2.5")])])]),
        ])
        let first = try await warehouse.query(
            "SELECT parent_id, ordinal::text, key, title, check_list::text FROM makini.work_orders__tasks ORDER BY parent_id, ordinal")
        #expect(first == [
            ["wo1", "0", "T1", "a", "[\"a\"]"], ["wo1", "1", "T2", "b", "[\"a\"]"], ["wo1", "2", "T3", "c", "[\"a\"]"],
            ["wo2", "0", "U1", "x", "[\"a\"]"],
        ])
        #expect(try await warehouse.query("SELECT labor_key, estimated_time::text FROM makini.work_orders__resources") == [["L1", "2.5"]])
        let wo2Version = try await warehouse.query("SELECT xmin::text FROM makini.work_orders__tasks WHERE parent_id = 'wo2'")
        // wo1 changes (two tasks now), wo2 is sent again unchanged: its child rows stay as they were.
        let counts = try await write(warehouse, "work-orders", [
            record("wo1", at: 10, ["tasks": .array([Self.task("T9", "z"), Self.task("T2", "b")])]),
            record("wo2", at: 0, ["tasks": .array([Self.task("U1", "x")]), "resources": .array([.object(["laborKey": .string("L1"), "estimatedTime": .string("2.5")])])]),
        ])
        #expect(counts.updated == 1 && counts.unchanged == 1)
        let second = try await warehouse.query(
            "SELECT parent_id, ordinal::text, key, parent_updated_at = (SELECT updated_at FROM makini.work_orders w WHERE w.id = parent_id)::timestamptz FROM makini.work_orders__tasks ORDER BY parent_id, ordinal")
        #expect(second == [["wo1", "0", "T9", "t"], ["wo1", "1", "T2", "t"], ["wo2", "0", "U1", "t"]])
        #expect(try await warehouse.query("SELECT xmin::text FROM makini.work_orders__tasks WHERE parent_id = 'wo2'") == wo2Version)
        // An older version never replaces the parent, so it never replaces the children either.
        try await write(warehouse, "work-orders", [record("wo1", at: 5, ["tasks": .array([])])])
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders__tasks WHERE parent_id = 'wo1'") == [["2"]])
        // A parent whose array is gone (or not an array) keeps no children.
        try await write(warehouse, "work-orders", [record("wo1", at: 20, ["tasks": .string("none")])])
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders__tasks WHERE parent_id = 'wo1'") == [["0"]])
    }

    @Test func aPageThatInsertsSomeParentsAndUpdatesOthersReplacesOnlyTheChangedParentsChildrenOfItsConnection() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "childmixed")
        defer { Task { await warehouse.close() } }
        // The same parent ids under two connections: each connection's children are its own.
        for connection in ["c1", "c2"] {
            try await write(warehouse, "work-orders", [
                record("wo1", at: 0, ["tasks": .array([Self.task("T1-\(connection)", "a"), Self.task("T2-\(connection)", "b")])]),
                record("wo2", at: 0, ["tasks": .array([Self.task("U1-\(connection)", "x")])]),
            ], connection: connection)
        }
        // One c1 page: wo1 updated (one task now), wo2 unchanged, wo3 new. Only inserts: no child delete needed for wo3.
        let counts = try await write(warehouse, "work-orders", [
            record("wo1", at: 10, ["tasks": .array([Self.task("T9", "z")])]),
            record("wo2", at: 0, ["tasks": .array([Self.task("U1-c1", "x")])]),
            record("wo3", at: 10, ["tasks": .array([Self.task("V1", "n"), Self.task("V2", "m")])]),
        ], connection: "c1")
        #expect(counts.inserted == 1 && counts.updated == 1 && counts.unchanged == 1)
        // A c1 page of new parents only: the insert-only path (no delete) still writes their children.
        try await write(warehouse, "work-orders", [record("wo4", at: 10, ["tasks": .array([Self.task("W1", "w")])])], connection: "c1")
        let rows = try await warehouse.query(
            "SELECT connection_id, parent_id, ordinal::text, key FROM makini.work_orders__tasks ORDER BY connection_id, parent_id, ordinal")
        #expect(rows == [
            ["c1", "wo1", "0", "T9"], ["c1", "wo2", "0", "U1-c1"], ["c1", "wo3", "0", "V1"], ["c1", "wo3", "1", "V2"], ["c1", "wo4", "0", "W1"],
            ["c2", "wo1", "0", "T1-c2"], ["c2", "wo1", "1", "T2-c2"], ["c2", "wo2", "0", "U1-c2"],
        ])
    }

    /// The child statements read the page (the child rows staged from it) and probe the child table's key: never a
    /// join with the parent or child table whose size grows with the load (the planner hashed the whole table on every page).
    @Test func childStatementsAreDrivenByThePageNotByTheTables() throws {
        let column = { (name: String, type: String) in
            ColumnInfo(name: name, dataType: type, kind: ColumnKind(dataType: type), isNullable: true, hasDefault: false)
        }
        let parent = TableSchema(schema: "makini", name: "work_orders", columns: [column("id", "text")], primaryKey: ["connection_id", "id"])
        let child = TableSchema(
            schema: "makini", name: "work_orders__tasks",
            columns: [column("connection_id", "text"), column("parent_id", "text"), column("ordinal", "integer"), column("key", "text")],
            primaryKey: ["connection_id", "parent_id", "ordinal"])
        let collection = ChildCollection(parent: parent, field: "tasks", child: child, fields: ["key": "key"])
        let statements = try ChildCollection.statements(collection, quote: { "⟨\($0)⟩" })
        #expect(statements.insert.contains("FROM ⟨stage_work_orders__tasks⟩ s"))
        #expect(statements.insert.contains("WHERE s.connection_id = $1 AND s.parent_id IN (SELECT id FROM pg_temp.changed_parents)"))
        #expect(!statements.insert.contains("⟨work_orders⟩"))
        #expect(statements.copyTable == "COPY ⟨makini⟩.⟨work_orders__tasks⟩ (⟨connection_id⟩, ⟨parent_id⟩, ⟨ordinal⟩, ⟨parent_updated_at⟩, ⟨raw⟩, ⟨key⟩) FROM STDIN")
        #expect(statements.delete.contains("WHERE c.connection_id = $1 AND c.parent_id = ANY (ARRAY(SELECT id FROM pg_temp.changed_parents))"))
        #expect(!statements.delete.contains("USING"))
    }

    @Test func purchaseOrderLineItemsLandInTheirChildTable() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "polines")
        defer { Task { await warehouse.close() } }
        let line: (String, String) -> JSONValue = { key, quantity in
            .object(["key": .string(key), "quantity": .string(quantity), "dueAt": .string("2025-01-02T03:04:05Z"), "price": .number("12.5")])
        }
        try await write(warehouse, "purchase-orders", [record("po1", at: 0, ["lineItems": .array([line("L1", "3"), line("L2", "many")])])])
        let rows = try await warehouse.query(
            "SELECT key, quantity::text, price::text, due_at = '2025-01-02T03:04:05Z'::timestamptz FROM makini.purchase_orders__line_items ORDER BY ordinal")
        #expect(rows == [["L1", "3", "12.5", "t"], ["L2", nil, "12.5", "t"]], "a value that is not a number leaves the column NULL")
    }

    @Test func appendOnlyEntitiesInsertOnceAndNeverOverwrite() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "appendonly")
        defer { Task { await warehouse.close() } }
        let first = try await write(warehouse, "meter-readings", [record("r1", at: 0, ["reading": .string("10.5"), "meterKey": .string("M1")])], appendOnly: true)
        #expect(first.inserted == 1)
        let again = try await write(
            warehouse, "meter-readings",
            [record("r1", at: 60, ["reading": .string("99")]), record("r2", at: 60, ["reading": .number("11")])], appendOnly: true)
        #expect(again.inserted == 1 && again.updated == 0)
        let rows = try await warehouse.query("SELECT id, reading::text, meter_key FROM makini.meter_readings ORDER BY id")
        #expect(rows == [["r1", "10.5", "M1"], ["r2", "11", nil]])
    }

    @Test func migrateFillsAnAddedColumnFromRawInResumableBatches() async throws {
        let url = try await TestDatabase.create(prefix: "backfill")
        let directory = NSTemporaryDirectory() + "makini-sql-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in try FileManager.default.contentsOfDirectory(atPath: try SQLDirectory.locate()) where name.hasSuffix(".sql") {
            try FileManager.default.copyItem(atPath: try SQLDirectory.locate() + "/" + name, toPath: directory + "/" + name)
        }
        let warehouse = try await WarehouseSession.connect(url: url)
        defer { Task { await warehouse.close() } }
        _ = try await warehouse.migrate(sqlDirectory: directory)
        let records = (0..<23).map { index in
            record(String(format: "wo%03d", index), at: Double(index), index % 4 == 0 ? ["title": .string("t")] : ["x_costCenter": .string("CC-\(index)"), "x_hours": .string("\(index).5")])
        }
        try await write(warehouse, "work-orders", Array(records.prefix(12)), connection: "a")
        try await write(warehouse, "work-orders", Array(records.suffix(11)), connection: "b")
        try """
            ALTER TABLE makini.work_orders ADD COLUMN x_cost_center text, ADD COLUMN x_hours numeric;
            """.write(toFile: directory + "/900_test_added_columns.sql", atomically: true, encoding: .utf8)
        let db = try await DatabaseSession.connect(url: url)
        defer { Task { await db.close() } }
        _ = try await Migrator(files: try MigrationFile.load(directory: directory)).migrate(db)
        // A migrate killed after two batches of 5 rows: progress is recorded, the rest is still empty.
        _ = try await ColumnBackfill(batchSize: 5, maxBatches: 2).run(db)
        let partial = try await warehouse.query(
            "SELECT after_connection_id, after_id, finished_at IS NULL FROM makini.column_backfill WHERE table_name = 'work_orders' AND column_name = 'x_cost_center'")
        #expect(partial == [["a", "wo009", "t"]])
        #expect(try await warehouse.query("SELECT count(x_cost_center)::text FROM makini.work_orders") == [["7"]])
        let report = try await warehouse.migrate(sqlDirectory: directory)
        #expect(report.backfilled.contains { $0.table == "work_orders" && $0.columns == ["x_cost_center", "x_hours"] })
        let wrong = try await warehouse.query("""
            SELECT id FROM makini.work_orders WHERE x_cost_center IS DISTINCT FROM raw ->> 'x_costCenter'
               OR x_hours IS DISTINCT FROM (raw ->> 'x_hours')::numeric
            """)
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(try await warehouse.query("SELECT count(x_cost_center)::text, count(x_hours)::text FROM makini.work_orders") == [["17", "17"]])
        let done = try await warehouse.query(
            "SELECT count(*)::text FROM makini.column_backfill WHERE table_name = 'work_orders' AND finished_at IS NULL")
        #expect(done == [["0"]])
        #expect(try await warehouse.query("SELECT count(*)::text FROM makini.work_orders WHERE synced_at > now()") == [["0"]])
    }

    @Test func valuesThatDoNotFitTheirColumnTypeBecomeNullWithoutFailingThePage() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "misfits")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "inventories", override: nil)
        var mapper = try RowMapper(table: table, entity: "inventories")
        let statement = try await warehouse.prepareMerge(mapper)
        let page = mapper.encodePage([
            record("i1", at: 0, ["quantity": .string("12"), "unitCost": .number("7"), "createdAt": .string("2025-01-02"), "name": .number("5")]),
            record("i2", at: 0, ["quantity": .string("lots"), "unitCost": .number("1.5"), "createdAt": .string("yesterday"), "name": .object(["a": .bool(true)])]),
        ], connectionId: "c1", children: statement.childEncoders)
        #expect(page.conversionNulls == 3)
        _ = try await warehouse.writePage(
            page, statement: statement, rejects: [], checkpoint: nil, key: StreamKey(job: "j", connectionId: "c1", entity: "inventories"),
            runId: "r1", trackSeen: false)
        let rows = try await warehouse.query(
            "SELECT id, quantity::text, unit_cost::text, source_created_at = '2025-01-02T00:00:00Z', name, raw ->> 'quantity' FROM makini.inventories ORDER BY id")
        #expect(rows == [["i1", "12", "7", "t", "5", "12"], ["i2", nil, nil, nil, "{\"a\":true}", "lots"]])
    }

    @Test func upgradingAWarehouseOfEarlierMigrationsConvertsAndFillsColumns() async throws {
        let url = try await TestDatabase.create(prefix: "upgrade")
        let all = try MigrationFile.load(directory: try SQLDirectory.locate())
        let db = try await DatabaseSession.connect(url: url)
        defer { Task { await db.close() } }
        _ = try await Migrator(files: all.filter { $0.version < 6 }).migrate(db)
        try await db.run { conn in
            for (id, time, labor) in [("w1", "2.5", "L7"), ("w2", "n/a", "L8"), ("w3", " 4 ", nil)] {
                let raw = "{\"id\":\"\(id)\",\"estimatedTime\":\"\(time)\"" + (labor.map { ",\"laborAssignedKey\":\"\($0)\"" } ?? "") + "}"
                try conn.execute(
                    "INSERT INTO makini.work_orders (connection_id, id, estimated_time, updated_at, raw) VALUES ('c', $1, $2, now(), $3::jsonb)",
                    [id, time, raw])
            }
        }
        // A status too long for its index entry (the mapper stores NULL for it) must not fail the backfill.
        let long = (0..<200).map { _ in UUID().uuidString }.joined()
        try await db.run { conn in
            try conn.execute(
                "INSERT INTO makini.work_orders (connection_id, id, updated_at, raw) VALUES ('c', 'w4', now(), jsonb_build_object('id', 'w4', 'status', $1::text, 'title', 'long'))",
                [long])
        }
        _ = try await Migrator(files: all).migrate(db)
        let filled = try await ColumnBackfill().run(db)
        #expect(filled.contains { $0.table == "work_orders" && $0.rows == 3 }, "\(filled)")
        let rows = try await db.run {
            try $0.execute("SELECT id, estimated_time::text, labor_assigned_key, status, title FROM makini.work_orders ORDER BY id").rows
        }
        #expect(rows == [["w1", "2.5", "L7", nil, nil], ["w2", nil, "L8", nil, nil], ["w3", "4", nil, nil, nil], ["w4", nil, nil, nil, "long"]])
    }

    @Test func fieldCoverageCountsFilledColumnsAndFieldsWithoutAColumn() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "fields")
        defer { Task { await warehouse.close() } }
        var written: [String: [IncomingRecord]] = [:]
        for (connection, count) in [("c1", 7), ("c2", 3)] {
            let records = (0..<count).map { index -> IncomingRecord in
                var fields: [String: JSONValue] = ["name": .string("asset \(index)")]
                if index % 2 == 0 { fields["serialNumber"] = .string("SN\(index)") }
                if index % 3 == 0 { fields["x_color"] = .string("red") }
                if index == 1 { fields["isActive"] = .string("perhaps") }
                return record("\(connection)-\(index)", at: Double(index), fields)
            }
            written[connection] = records
            try await write(warehouse, "assets", records, connection: connection)
        }
        let table = try await warehouse.targetTable(entity: "assets", override: nil)
        let expected = ["c1", "c2"].map { connection -> FieldCoverage in
            let records = written[connection] ?? []
            let columns = table.columns.map(\.name).filter { !["connection_id", "entity", "id", "updated_at", "deleted_at", "raw", "synced_at"].contains($0) }
                .map { column in
                    FieldCoverage.Column(name: column, filled: records.filter { record in
                        record.fields.contains { ColumnNaming.column(forField: $0.key) == column && !$0.value.isNull && !($0.key == "isActive") }
                    }.count)
                }
            let unmapped = Set(records.flatMap(\.fields.keys)).filter { table.column(ColumnNaming.column(forField: $0)) == nil }.sorted()
                .map { field in FieldCoverage.Field(name: field, rows: records.filter { $0.fields[field] != nil }.count) }
            return FieldCoverage(entity: "assets", table: "assets", connectionId: connection, rows: records.count, columns: columns, unmapped: unmapped)
        }
        let coverage = try await warehouse.fieldCoverage(entity: "assets")
        #expect(coverage == expected)
        #expect(try await warehouse.fieldCoverage(entity: "assets", connectionId: "c2") == [expected[1]])
        let text = FieldCoverage.render(coverage)
        #expect(text.contains("assets (assets), connection c1: 7 rows"))
        #expect(text.contains("x_color  3 rows (42.9%)"))
        #expect(FieldCoverage.percent(2, of: 3) == "66.7%")
    }
}
