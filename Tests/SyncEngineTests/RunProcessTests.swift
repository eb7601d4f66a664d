import Foundation
import MakiniSimulator
import Observability
import PrometheusTestSupport
import SyncEngine
import Testing
import Outcomes

/// `makini-sync run` as cron and systemd drive it: the metrics textfile, broken job files, signals, dead runs.
@Suite("The real run process")
struct RunProcessTests {
    static func harness(workOrders: Int = 120, latencyMs: Int = 0) async throws -> SyncHarness {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 61, workOrders: workOrders, assets: 12)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        configuration.connections[0].faults.latencyMs = latencyMs
        return try await SyncHarness.start(configuration)
    }

    @Test func dueWithNothingDueStillWritesEveryStreamAndABrokenFileFailsOnlyItself() async throws {
        let harness = try await Self.harness()
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("hourly", streams: ["work-orders", "assets"], pageSize: 50, schedule: "0 * * * *")
        try "connections: [{id: x, token_env: X}]\nstreams: [work_order]\n".write(
            toFile: fixture.jobsDirectory + "/broken.yaml", atomically: true, encoding: .utf8)
        let metrics = fixture.outputDirectory + "/makini-sync.prom"
        let first = try await fixture.run(["run", "--due", "--metrics-file", metrics, "--quiet"], name: "first")
        #expect(first.status == ExitStatus.configuration.rawValue, "the broken file is reported: \(first.output)")
        #expect(first.output.contains("broken.yaml:2:"), "\(first.output)")
        #expect(try await harness.query("SELECT status FROM makini.sync_runs WHERE job = 'hourly'").map { $0[0] } == ["succeeded"],
                "the valid job ran anyway")
        let afterRun = try PrometheusTextParser.parse(try String(contentsOfFile: metrics, encoding: .utf8))

        // The same minute again: nothing is due, and the file still holds every stream with the same cumulative values.
        let second = try await fixture.run(["run", "--due", "--metrics-file", metrics], name: "second")
        #expect(second.status == ExitStatus.configuration.rawValue)
        #expect(second.output.contains("No job is due.") && second.output.contains("broken.yaml"), "\(second.output)")
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_runs").first?[0] == "1")
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        let samples = try PrometheusTextParser.parse(text)
        for entity in ["work-orders", "assets"] {
            let labels = ["sync_job": "hourly", "connection": "jde-plant-a", "entity": entity]
            let read = try await harness.query(
                "SELECT sum(records_read), sum(pages) FROM makini.sync_stream_runs WHERE job = 'hourly' AND entity = $1", [entity])
            #expect(samples.value(MetricName.recordsRead, labels) == Double(read.first?[0] ?? ""), "\(entity)")
            #expect(samples.value(MetricName.pages, labels) == Double(read.first?[1] ?? ""), "\(entity)")
            #expect(samples.value(MetricName.recordsRead, labels) == afterRun.value(MetricName.recordsRead, labels))
            #expect(samples.value(MetricName.lastSuccess, labels) == afterRun.value(MetricName.lastSuccess, labels))
            #expect(try #require(samples.value(MetricName.freshness, labels)) >= 0)
        }
        let status = try await fixture.runPlain(["status", "--json", "--database-url", harness.databaseURL], name: "status")
        let streams = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [[String: Any]], "\(status.output)")
        #expect(streams.count == 2 && streams.allSatisfy { ($0["startDelaySeconds"] as? Double).map { $0 >= 0 } == true },
                "status shows how late the --due run started: \(status.output)")
        // Naming the valid job: the broken file is only a warning.
        let named = try await fixture.run(["run", "hourly", "--quiet"], name: "named")
        #expect(named.status == 0, "\(named.output)")
        #expect(named.output.contains("warning") && named.output.contains("broken.yaml"))
    }

    @Test func incrementalPagesOverlapUnlessNoOverlapPagesIsGiven() async throws {
        let harness = try await Self.harness(workOrders: 400)
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant", streams: ["work-orders"], pageSize: 50)
        let logged = ["--log-format", "json", "--log-level", "info", "--quiet"]
        let load = try await fixture.run(["run", "plant"] + logged, name: "load")
        #expect(load.status == 0, "\(load.output)")
        #expect(load.output.contains(#""overlap_pages":"false""#), "a first load writes its pages one after the other")
        for (name, flags, overlapping) in [("overlapping", [String](), "true"), ("sequential", ["--no-overlap-pages"], "false")] {
            _ = try harness.server.world.mutate(
                connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 200, shareTimestamp: false))
            let run = try await fixture.run(["run", "plant"] + flags + logged, name: name)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("\"overlap_pages\":\"\(overlapping)\""), "\(name): \(run.output.prefix(2000))")
            let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
            #expect(problems.isEmpty, "\(name): \(problems.prefix(5))")
        }
    }

    @Test func anUnwritableMetricsFileIsAnError() async throws {
        let harness = try await Self.harness(workOrders: 20)
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant", streams: ["sites"])
        let path = fixture.outputDirectory + "/no-such-directory/makini-sync.prom"
        let result = try await fixture.run(["run", "--metrics-file", path, "--quiet"], name: "unwritable")
        #expect(result.status == ExitStatus.configuration.rawValue, "\(result.output)")
        #expect(result.output.contains(path))
        #expect(try await harness.query("SELECT status FROM makini.sync_runs").first?[0] == "succeeded", "the job itself ran")
    }

    @Test func sigtermFinishesThePageRecordsInterruptedAndExits130() async throws {
        let harness = try await Self.harness(workOrders: 2_000, latencyMs: 40)
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("stoppable", streams: ["work-orders"], pageSize: 40)
        let metrics = fixture.outputDirectory + "/m.prom"
        let process = try fixture.start(["run", "--metrics-file", metrics, "--log-format", "json"], name: "sigterm")
        #expect(try await eventually {
            try await harness.query("SELECT 1 FROM makini.sync_state WHERE job = 'stoppable' AND cursor_id IS NOT NULL").count == 1
        }, "a page was committed")
        kill(process.process.processIdentifier, SIGTERM)
        let status = await process.exitStatus()
        #expect(status == ExitStatus.interrupted.rawValue, "\(process.output)")
        #expect(!process.wasKilledBySignal)
        #expect(try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE job = 'stoppable'").first
            == ["interrupted", "130"])
        #expect(try await harness.query("SELECT status FROM makini.sync_stream_runs WHERE job = 'stoppable'").first?[0] == "interrupted")
        let checkpoint = try await harness.checkpointProblems(
            job: "stoppable", table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(checkpoint.isEmpty, "the checkpoint claims only committed rows: \(checkpoint.prefix(5))")
        let samples = try PrometheusTextParser.parse(try String(contentsOfFile: metrics, encoding: .utf8))
        let labels = ["sync_job": "stoppable", "entity": "work-orders", "status": "interrupted"]
        #expect(samples.value(MetricName.streamDuration + "_count", labels) == 1)
        #expect(samples.value(MetricName.freshness, ["sync_job": "stoppable"]) == .infinity, "never succeeded")
    }

    @Test func aRunLeftRunningByADeadProcessIsClosedAsAbandoned() async throws {
        let harness = try await Self.harness(workOrders: 1_000, latencyMs: 30)
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("mortal", streams: ["work-orders"], pageSize: 40)
        let doomed = try fixture.start(["run"], name: "doomed")
        #expect(try await eventually {
            try await harness.query("SELECT 1 FROM makini.sync_state WHERE job = 'mortal' AND cursor_id IS NOT NULL").count == 1
        })
        doomed.kill9()
        _ = await doomed.exitStatus()
        #expect(try await harness.query("SELECT running, abandoned FROM makini.sync_health WHERE job = 'mortal'").first == ["1", "0"])
        let next = try await fixture.run(["run", "--quiet"], name: "next")
        #expect(next.status == 0, "\(next.output)")
        let runs = try await harness.query("SELECT status, message FROM makini.sync_runs WHERE job = 'mortal' ORDER BY started_at")
        #expect(runs.map { $0[0] } == ["abandoned", "succeeded"])
        #expect(runs.first?[1]?.contains("closed by run") == true)
        #expect(try await harness.query("SELECT status FROM makini.sync_stream_runs WHERE job = 'mortal' ORDER BY started_at").map { $0[0] }
            == ["abandoned", "succeeded"])
        #expect(try await harness.query("SELECT running, abandoned FROM makini.sync_health WHERE job = 'mortal'").first == ["0", "1"])
    }
}
