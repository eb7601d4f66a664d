import Foundation
import Logging
import MakiniSimulator
import Synchronization
@testable import SyncEngine
import Testing
import Warehouse
import JobFiles

/// Index deferral in real runs against the simulator: a multi-page first load sets the secondary indexes of its
/// table aside and ends with every index back as it was and the rows equal to the simulator's; a run that finds
/// indexes an interrupted load left set aside builds them again before it writes.
@Suite("Index deferral end to end")
struct IndexDeferralEndToEndTests {
    /// Collects the messages a run logs.
    final class Messages: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }

        var logger: Logger {
            Logger(label: "test") { _ in Handler(messages: self) }
        }

        struct Handler: LogHandler {
            let messages: Messages
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .info
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) { messages.append(event.message.description) }
        }
    }

    static func indexes(_ harness: SyncHarness) async throws -> [[String?]] {
        try await harness.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'makini' AND tablename = 'work_orders' ORDER BY 1")
    }

    static func harness(workOrders: Int) async throws -> SyncHarness {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 23, workOrders: workOrders, assets: 30)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        return try await SyncHarness.start(configuration)
    }

    @Test func aMultiPageFirstLoadSetsTheIndexesAsideAndEndsWithThemBack() async throws {
        let harness = try await Self.harness(workOrders: 1_000)
        defer { Task { await harness.stop() } }
        let before = try await Self.indexes(harness)
        #expect(before.count == 6, "the primary key and five secondary indexes (sql/001_core.sql)")
        let job = try harness.job("deferral", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        let messages = Messages()
        var options = harness.options()
        options.logger = messages.logger
        let report = await JobRunner(options: options).run(job)
        #expect(report.exitStatus == .success, "\(report.streams.map { $0.record.lastErrorMessage ?? "" })")
        #expect(messages.all.contains("first load: 5 secondary indexes and 3 child-table foreign keys of work_orders set aside; they are built again when the load ends"),
                "\(messages.all)")
        #expect(messages.all.contains("5 secondary indexes and 3 child-table foreign keys of work_orders built again"), "\(messages.all)")
        #expect(try await Self.indexes(harness) == before)
        #expect(try await harness.query("SELECT count(*) FROM makini.deferred_indexes") == [["0"]])
        #expect(try await harness.query("""
            SELECT conname::text FROM pg_constraint WHERE contype = 'f' AND convalidated AND confrelid = 'makini.work_orders'::regclass ORDER BY 1
            """) == [["work_orders__documents_connection_id_parent_id_fkey"], ["work_orders__resources_connection_id_parent_id_fkey"],
                     ["work_orders__tasks_connection_id_parent_id_fkey"]], "the child tables' foreign keys are back, validated")
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")

        // A load of one page has nothing to gain: the indexes stay.
        let small = try await Self.harness(workOrders: 40)
        defer { Task { await small.stop() } }
        let quiet = Messages()
        var smallOptions = small.options()
        smallOptions.logger = quiet.logger
        let one = await JobRunner(options: smallOptions).run(
            try small.job("deferral", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100))
        #expect(one.exitStatus == .success)
        #expect(!quiet.all.contains { $0.contains("set aside") }, "\(quiet.all)")
    }

    /// Two new connections synced one after the other: without the run's hold the first load's indexes came back when it
    /// ended, and the second set them aside and built them again. With it they are set aside once, the second load
    /// joins, and the run builds them once, after its last connection.
    @Test func aRunOfSeveralConnectionsSetsTheIndexesAsideOnceAndBuildsThemOnce() async throws {
        let harness = try await SyncHarness.start(SimulatorConfiguration.defaultWorld(seed: 29, workOrders: 400, assets: 30))
        defer { Task { await harness.stop() } }
        let before = try await Self.indexes(harness)
        let connections = ["jde-plant-a", "ioffice-hq"]
        let job = try harness.job("deferral", connections: connections, streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        let messages = Messages()
        var options = harness.options(concurrency: 1)
        options.logger = messages.logger
        let report = await JobRunner(options: options).run(job)
        #expect(report.exitStatus == .success, "\(report.streams.map { $0.record.lastErrorMessage ?? "" })")
        let all = messages.all
        #expect(all.filter { $0.hasSuffix("of work_orders set aside; they are built again when the load ends") }.count == 1, "\(all)")
        #expect(all.filter { $0 == "first load: the secondary indexes of work_orders are set aside by another load already" }.count == 1, "\(all)")
        #expect(all.contains("the secondary indexes of work_orders stay set aside until the run's connections are done"), "\(all)")
        #expect(all.filter { $0 == "5 secondary indexes and 3 child-table foreign keys of work_orders built again" }.count == 1, "\(all)")
        let joined = all.firstIndex(of: "first load: the secondary indexes of work_orders are set aside by another load already")
        let built = all.firstIndex(of: "5 secondary indexes and 3 child-table foreign keys of work_orders built again")
        #expect(joined != nil && built != nil && built! > joined!, "built after the second load joined: \(all)")
        #expect(try await Self.indexes(harness) == before)
        #expect(try await harness.query("SELECT count(*) FROM makini.deferred_indexes") == [["0"]])
        #expect(try await harness.query("""
            SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND confrelid = 'makini.work_orders'::regclass
            """) == [["3"]], "the child tables' foreign keys are back, validated")
        #expect(try await harness.query("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('makini-index-deferral:' || '"makini"."work_orders"', 0)
            """) == [["0"]], "no session holds the table's lock after the run")
        for connection in connections {
            let problems = try await harness.mismatches(table: "work_orders", connection: connection, entity: "work-orders")
            #expect(problems.isEmpty, "\(connection): \(problems.prefix(5))")
        }
    }

    @Test func aRunBuildsAgainTheIndexesAnInterruptedLoadLeftSetAside() async throws {
        let harness = try await Self.harness(workOrders: 300)
        defer { Task { await harness.stop() } }
        let before = try await Self.indexes(harness)
        let job = try harness.job("deferral", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        #expect(await harness.run(job).exitStatus == .success)

        // A loader that died after its drop committed: the ledger lists the indexes, no session holds the table.
        let dead = try await WarehouseSession.connect(url: harness.databaseURL)
        _ = try await dead.query("DELETE FROM makini.work_orders")
        let table = try await dead.targetTable(entity: "work-orders", override: nil)
        let statement = try await dead.prepareMerge(try RowMapper(table: table, entity: "work-orders"))
        #expect(try await dead.joinIndexDeferral(statement.indexDeferral, runId: "dead") == .deferred([
            "work_orders_asset_idx", "work_orders_key_idx", "work_orders_open_idx", "work_orders_site_idx", "work_orders_updated_at_idx",
            "foreign key work_orders__documents_connection_id_parent_id_fkey", "foreign key work_orders__resources_connection_id_parent_id_fkey",
            "foreign key work_orders__tasks_connection_id_parent_id_fkey",
        ]))
        await dead.close()
        #expect(try await harness.query("SELECT count(*) FROM makini.deferred_indexes") == [["8"]])
        #expect(try await Self.indexes(harness).count == 1)
        // Its backend lets the lock go a moment after the hang-up: wait for exactly that.
        _ = try await harness.query("""
            SELECT pg_advisory_lock(hashtextextended('makini-index-deferral:' || '"makini"."work_orders"', 0)),
                   pg_advisory_unlock(hashtextextended('makini-index-deferral:' || '"makini"."work_orders"', 0))
            """)

        let messages = Messages()
        var options = harness.options()
        options.logger = messages.logger
        #expect(await JobRunner(options: options).run(job).exitStatus == .success)
        #expect(messages.all.contains("5 secondary indexes and 3 child-table foreign keys of work_orders left set aside by an interrupted load built again"), "\(messages.all)")
        #expect(try await Self.indexes(harness) == before)
        #expect(try await harness.query("SELECT count(*) FROM makini.deferred_indexes") == [["0"]])
        #expect(try await harness.query("""
            SELECT conname::text FROM pg_constraint WHERE contype = 'f' AND convalidated AND confrelid = 'makini.work_orders'::regclass ORDER BY 1
            """) == [["work_orders__documents_connection_id_parent_id_fkey"], ["work_orders__resources_connection_id_parent_id_fkey"],
                     ["work_orders__tasks_connection_id_parent_id_fkey"]], "the child tables' foreign keys are back, validated")
    }
}

/// The book of what a run holds: each table is asked for once, however many streams join at once.
@Suite("Run deferral hold book")
struct DeferralHoldBookTests {
    static func deferral(_ table: String) -> IndexDeferral {
        IndexDeferral(schema: "makini", table: table) { "\"\($0)\"" }
    }

    @Test func aTableIsAskedForOnceAndLetGoAtTheEnd() {
        var book = DeferralHoldBook()
        let reserved1 = book.reserve("\"makini\".\"work_orders\"")
        #expect(reserved1)
        let reserved2 = book.reserve("\"makini\".\"work_orders\"")
        #expect(!reserved2, "a second stream joining meanwhile does not ask again")
        book.hold(Self.deferral("work_orders"))
        let reserved3 = book.reserve("\"makini\".\"assets\"")
        #expect(reserved3)
        book.forget("\"makini\".\"assets\"")
        let reserved4 = book.reserve("\"makini\".\"assets\"")
        #expect(reserved4, "a lock not taken may be asked for again")
        book.hold(Self.deferral("assets"))
        #expect(book.heldTables == ["\"makini\".\"assets\"", "\"makini\".\"work_orders\""])
        #expect(book.releaseAll().map(\.table) == ["assets", "work_orders"])
        #expect(book.heldTables.isEmpty)
        let reserved5 = book.reserve("\"makini\".\"work_orders\"")
        #expect(reserved5, "the next round asks again")
    }
}
