import Demo
import Foundation
import Logging
import MakiniRecords
import MakiniSimulator
import PostgresTestSupport
import SyncEngine
import JobFiles
import Outcomes
import Testing

@Suite("The demo flow, in-process with small counts")
struct DemoFlowTests {
    @Test func demoEndsEqualToTheSimulatorAndTheViewsAnswer() async throws {
        let server = try await SimulatorServer.start(
            DemoWorld.configuration(seed: 5, workOrders: 300, assets: 60), logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        let url = try await TestDatabase.create(prefix: "demo")
        let harness = SyncHarness(server: server, databaseURL: url, secretDirectory: NSTemporaryDirectory())
        defer { Task { await server.stop() } }
        for (variable, connection) in DemoWorld.tokenVariables {
            setenv(variable, try #require(server.world.currentAccessToken(connection: connection)), 1)
        }
        let output = LineCollector()
        let status = try await DemoFlow(
            serverURL: server.baseURL, world: server.world, databaseURL: url,
            logger: Logger(label: "demo", factory: { _ in SwiftLogNoOpLogHandler() }), output: { output.append($0) }
        ).run(jobs: try DemoWorld.jobs(directory: nil))
        #expect(status == .success)
        let printed = output.all.joined(separator: "\n")
        for query in DemoQueries.all { #expect(printed.contains(query.title)) }
        #expect(!printed.contains("query failed"))
        #expect(printed.contains("job jde-plant-a: succeeded"))
        #expect(printed.contains("ioffice-hq/locations: succeeded") && printed.contains("3 deleted"))
        let streams = [
            ("jde-plant-a", "assets", "assets"), ("jde-plant-a", "work-orders", "work_orders"), ("jde-plant-a", "sites", "sites"),
            ("jde-plant-a", "locations", "locations"), ("ioffice-hq", "work-orders", "work_orders"), ("ioffice-hq", "sites", "sites"),
            ("ioffice-hq", "locations", "locations"),
        ]
        for (connection, entity, table) in streams {
            let problems = try await harness.mismatches(table: table, connection: connection, entity: entity)
            #expect(problems.isEmpty, "\(connection)/\(entity): \(problems.prefix(3))")
        }
        // Every entity of the EAM model, for both connections, equals the simulator (in its own table when the
        // warehouse has one, else in entity_records), and the output summarises them in one line per job run.
        for connection in ["jde-plant-a", "ioffice-hq"] {
            for entity in KnownEntities.all {
                let name = StreamSpec.tableName(forEntity: entity)
                let typed = try await harness.query("SELECT to_regclass($1) IS NOT NULL", ["makini." + name]).first?[0] == "t"
                let table = typed ? name : "entity_records"
                #expect(try harness.snapshot(connection, entity).count > 0, "\(connection)/\(entity) has no source records")
                let problems = try await harness.mismatches(table: table, connection: connection, entity: entity)
                #expect(problems.isEmpty, "\(connection)/\(entity) in \(table): \(problems.prefix(3))")
            }
        }
        #expect(printed.contains("more entities of the EAM model succeeded"))
        #expect(printed.range(of: #"work order \S+ changed at the source; in PostgreSQL after \d+ ms \(webhook\)"#, options: .regularExpression) != nil,
            "one change travels by webhook")
        #expect(output.all.count < 120, "the demo output stays short: \(output.all.count) lines")
        // The open-work-orders view holds exactly the live, unfinished work orders of the source.
        let closed: Set<String> = ["completed", "closed", "cancelled", "canceled", "done"]
        var expectedOpen = 0
        for connection in ["jde-plant-a", "ioffice-hq"] {
            for record in try harness.snapshot(connection, "work-orders").values {
                let live = record["_deletedAt"]?.isNull ?? true
                let status = record["status"]?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased()
                let finished = !(record["completedAt"]?.isNull ?? true) || status.map(closed.contains) == true
                if live && !finished { expectedOpen += 1 }
            }
        }
        let open = try await harness.query("SELECT count(*) FROM makini.open_work_orders")
        #expect(open.first?[0] == String(expectedOpen))
        #expect(expectedOpen > 0)
        let freshness = try await harness.query("SELECT count(*) FROM makini.stream_freshness WHERE last_status = 'succeeded'")
        #expect(freshness.first?[0] == String(2 * KnownEntities.all.count))
        let deletedInView = try await harness.query("""
            SELECT count(*) FROM makini.open_work_orders o JOIN makini.work_orders w USING (connection_id, id) WHERE w.deleted_at IS NOT NULL
            """)
        #expect(deletedInView.first?[0] == "0")
        // History: the work orders whose status the simulator changed between the runs have a closed status interval
        // per status they left, and the history agrees with the current table.
        for table in ["work_orders", "assets", "purchase_orders", "service_requests"] {
            let broken = try await harness.query(HistoryInvariants.violations(table: table))
            #expect(broken.isEmpty, "\(table)_history: \(broken.prefix(3))")
        }
        // Status intervals computed here from the versions: a new one where status or deletion differs from the version
        // before; every one but the last of a work order is closed, deleted ones are no interval.
        let versions = try await harness.query(
            "SELECT connection_id || '/' || id, coalesce(status, '-'), deleted::text FROM makini.work_orders_history ORDER BY connection_id, id, valid_from")
        var closedIntervals = 0
        var movedOn = Set<String>()
        for (index, version) in versions.enumerated() {
            let next = index + 1 < versions.count ? versions[index + 1] : nil
            guard let next, next[0] == version[0], next[1] != version[1] || next[2] != version[2] else { continue }
            if version[2] == "false" { closedIntervals += 1 }
            if version[2] == "false" && next[2] == "false" { movedOn.insert(version[0] ?? "") }
        }
        let left = try await harness.query("SELECT coalesce(sum(closed_intervals), 0) FROM makini.time_in_status")
        #expect(!movedOn.isEmpty, "no work order changed status between the runs")
        #expect(left.first?[0] == String(closedIntervals), "every status left between the runs is one closed interval")
        for view in ["mttr_by_asset", "pm_compliance", "time_in_status"] {
            #expect(try await harness.query("SELECT count(*) > 0 FROM makini.\(view)").first?[0] == "t", "\(view) is empty")
        }
    }
}
