import Cron
import Foundation
import LibPQ
import LocalPostgres
import Logging
import MakiniSimulator
import PostgresTestSupport
import SyncEngine
import Testing
import Warehouse
import JobFiles

/// The fixed cost of a stream in a fleet, counted in statements PostgreSQL executed (`pg_stat_statements`, on a
/// cluster of the test's own): a no-change pass over many small streams is bookkeeping, so every statement per stream
/// is paid thousands of times. Counts, never times.
@Suite("Fleet: statements per stream")
struct StreamStatementBudgetTests {
    static let connections = (0..<8).map { "budget-\($0)" }
    static let streams = [StreamSpec(entity: "sites"), StreamSpec(entity: "assets"), StreamSpec(entity: "work-orders")]
    /// Statements per stream a no-change scheduled pass may send, everything counted: the run's own bookkeeping,
    /// the connection's lease, check and health rows, the stream's start and end, and the page transaction that
    /// re-reads the lookback window (with history for work orders). This fleet sends 14.2 (the run's own statements
    /// spread over 24 streams); before the per-run table cache and the combined stream bookkeeping it sent 33.
    static let budgetPerStream = 16.0

    static func world() -> SimulatorConfiguration {
        let template = SimulatorConfiguration.defaultWorld(seed: 5, workOrders: 20, assets: 20).connections[0]
        return SimulatorConfiguration(connections: connections.enumerated().map { index, id in
            var connection = template
            connection.id = id
            connection.token = "sim-token-\(id)"
            connection.seed = 500 &+ UInt64(index)
            return connection
        })
    }

    /// One cluster with `pg_stat_statements` loaded, a migrated database on it, and the simulator.
    struct Setup {
        let cluster: ThrowawayPostgres
        let harness: SyncHarness

        static func start() async throws -> Setup {
            let cluster = try ThrowawayPostgres.start()
            try cluster.restart(addingServerOptions: "-c shared_preload_libraries=pg_stat_statements")
            let admin = try await DatabaseSession.connect(url: cluster.url())
            _ = try await admin.run { try $0.execute("CREATE DATABASE budget") }
            await admin.close()
            let url = cluster.url(database: "budget")
            let session = try await DatabaseSession.connect(url: url)
            _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(session)
            _ = try await session.run { try $0.execute("CREATE EXTENSION pg_stat_statements") }
            await session.close()
            let server = try await SimulatorServer.start(world(), logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
            return Setup(cluster: cluster, harness: SyncHarness(server: server, databaseURL: url, secretDirectory: try SyncHarness.secretDirectory()))
        }

        func stop() async {
            await harness.stop()
            cluster.stop()
        }

        /// A scheduled job over `connections`, every minute.
        func job(_ name: String, connections: [String]) throws -> JobSpec {
            var job = try harness.job(name, connections: connections, streams: StreamStatementBudgetTests.streams, pageSize: 500)
            job.schedule = try CronSchedule(parsing: "* * * * *")
            return job
        }

        /// Runs `job` as `run --due` does at `now` (one process, concurrency 1: no two streams introspect at once).
        func runDue(_ job: JobSpec, at now: Date) async -> JobRunReport {
            var options = harness.options(concurrency: 1)
            options.onlyIfDueAt = now
            return await JobRunner(options: options).run(job)
        }

        /// Forgets the statements counted so far.
        func resetCounts() async throws {
            _ = try await harness.query("SELECT pg_stat_statements_reset()")
        }

        /// Statements executed in this database since the last reset (the counting queries themselves left out):
        /// all of them, and those reading `information_schema.columns` (table introspection).
        func counts() async throws -> (all: Int, introspection: Int) {
            let row = try await harness.query("""
                SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query LIKE '%information_schema.columns%'), 0)
                FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
                """)
            return (Int(row.first?[0] ?? "") ?? -1, Int(row.first?[1] ?? "") ?? -1)
        }
    }

    @Test func aNoChangePassSendsAFewStatementsPerStreamAndIntrospectsEachTableOncePerRun() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.stop() } }
        let start = Date()
        let streamCount = Self.connections.count * Self.streams.count

        // A job of one connection: how many introspection statements one stream of each entity needs.
        let solo = try setup.job("budget-solo", connections: [Self.connections[0]])
        try await setup.resetCounts()
        #expect(await setup.runDue(solo, at: start).exitStatus == .success)
        let soloCounts = try await setup.counts()
        #expect(soloCounts.introspection > 0, "the counting sees the introspection of the first run")

        let fleet = try setup.job("budget-fleet", connections: Self.connections)
        let full = await setup.runDue(fleet, at: start)
        #expect(full.exitStatus == .success && full.streams.count == streamCount && full.streams.allSatisfy(\.succeeded))

        // The no-change pass, in the next schedule slot.
        try await setup.resetCounts()
        let again = await setup.runDue(fleet, at: start.addingTimeInterval(120))
        let counts = try await setup.counts()
        #expect(again.exitStatus == .success && again.streams.count == streamCount && again.streams.allSatisfy(\.succeeded))
        #expect(again.streams.allSatisfy { $0.record.counts.inserted == 0 && $0.record.counts.updated == 0 }, "nothing changed")
        // What it re-read is the lookback window the rules ask for (`_updatedAt >= checkpoint - 300 s`), no more.
        let reread = again.streams.reduce(0) { $0 + $1.record.recordsRead }
        var window = 0
        for (entity, table) in [("sites", "sites"), ("assets", "assets"), ("work-orders", "work_orders")] {
            let rows = try await setup.harness.query("""
                SELECT count(*) FROM makini.\(table) t JOIN makini.sync_state s ON s.connection_id = t.connection_id
                WHERE s.job = $1 AND s.entity = $2
                  AND t.updated_at >= date_trunc('milliseconds', s.cursor_updated_at - interval '300 seconds')
                """, [fleet.name, entity])
            window += Int(rows.first?[0] ?? "") ?? 0
        }
        #expect(reread > 0 && reread == window, "re-read \(reread) records; the lookback windows hold \(window)")

        // Introspection per run, not per stream: eight connections cost what one does.
        #expect(counts.introspection == soloCounts.introspection, "\(counts.introspection) introspections for \(streamCount) streams")
        let perStream = Double(counts.all) / Double(streamCount)
        #expect(perStream <= Self.budgetPerStream, "\(counts.all) statements for \(streamCount) streams: \(perStream) per stream")

        // The bookkeeping the combined statements write: each stream done once in each slot, lease rows gone, outcomes.
        let slots = try await setup.harness.query(
            "SELECT count(*), count(DISTINCT slot) FROM makini.stream_slots WHERE job = $1 AND status = 'succeeded'", [fleet.name])
        #expect(slots.first == ["\(2 * streamCount)", "2"])
        let leases = try await setup.harness.query("SELECT count(*) FROM makini.stream_leases")
        #expect(leases.first == ["0"])
        let runs = try await setup.harness.query("""
            SELECT count(*) FILTER (WHERE s.status = 'succeeded' AND s.finished_at IS NOT NULL), count(DISTINCT st.entity)
            FROM makini.sync_stream_runs s JOIN makini.sync_state st USING (job, connection_id, entity)
            WHERE s.run_id = $1 AND st.last_success_at >= s.started_at AND st.cursor_id IS NOT NULL
            """, [again.runId])
        #expect(runs.first == ["\(streamCount)", "3"])
        for connection in Self.connections {
            for (entity, table) in [("sites", "sites"), ("assets", "assets"), ("work-orders", "work_orders")] {
                let problems = try await setup.harness.mismatches(table: table, connection: connection, entity: entity)
                #expect(problems.isEmpty, "\(connection)/\(entity): \(problems.prefix(3))")
            }
        }
    }
}
