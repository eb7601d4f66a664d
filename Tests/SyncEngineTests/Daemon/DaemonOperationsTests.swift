import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MakiniSimulator
import Observability
import PrometheusTestSupport
import SyncEngine
import Testing
import Outcomes

/// The real daemon process: listening, /healthz, /metrics, and fair scheduling of more due jobs than run slots.
@Suite("The real daemon: endpoints and scheduling")
struct DaemonOperationsTests {
    static func harness(workOrders: Int = 60) async throws -> SyncHarness {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 71, workOrders: workOrders, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        return try await SyncHarness.start(configuration)
    }

    /// The address the daemon logged as listening on, once it did.
    static func listenAddress(_ process: SyncProcess) async throws -> String? {
        var address: String?
        _ = try await eventually {
            for line in process.output.split(separator: "\n") where line.contains("\"daemon started\"") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                address = object?["listen"] as? String
            }
            return address != nil || !process.isRunning
        }
        return address
    }

    static func get(_ address: String, _ path: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: "http://\(address)\(path)")))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test func aTakenListenAddressFailsFastWithExit78() async throws {
        let harness = try await Self.harness()
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant", streams: ["sites"], schedule: "* * * * *")
        let taken = try #require(harness.server.baseURL.split(separator: "/").last.map(String.init))
        let result = try await fixture.run(["daemon", "--listen", taken], name: "taken")
        #expect(result.status == ExitStatus.configuration.rawValue, "\(result.output)")
        #expect(result.output.contains("cannot listen on \(taken)"), "\(result.output)")
        #expect(!result.output.contains("daemon started"))
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_runs").first?[0] == "0", "no job ran")
    }

    @Test func healthzAndMetricsTellTheWarehousesTruth() async throws {
        let harness = try await Self.harness()
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant-b", streams: ["work-orders", "sites"], pageSize: 20, schedule: "0 0 * * *")
        let daemon = try fixture.start(["daemon", "--listen", "127.0.0.1:0", "--log-format", "json"], name: "daemon")
        let address = try #require(try await Self.listenAddress(daemon), "\(daemon.output)")
        #expect(try await eventually {
            try await harness.query("SELECT 1 FROM makini.sync_runs WHERE job = 'plant-b' AND status = 'succeeded'").count == 1
        }, "\(daemon.output)")
        let health = try await Self.get(address, "/healthz")
        #expect(health.status == 200)
        let report = try #require(try JSONSerialization.jsonObject(with: health.body) as? [String: Any])
        #expect(report["status"] as? String == "ok")
        #expect((report["warehouse"] as? [String: Any])?["reachable"] as? Bool == true)
        let jobs = try #require(report["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["name"] as? String } == ["plant-b"])
        #expect((jobs.first?["last_run"] as? [String: Any])?["status"] as? String == "succeeded")

        let first = try PrometheusTextParser.parse(String(decoding: try await Self.get(address, "/metrics").body, as: UTF8.self))
        let second = try PrometheusTextParser.parse(String(decoding: try await Self.get(address, "/metrics").body, as: UTF8.self))
        for entity in ["work-orders", "sites"] {
            let labels = ["sync_job": "plant-b", "connection": "jde-plant-a", "entity": entity]
            let sums = try await harness.query("""
                SELECT sum(records_read), extract(epoch FROM max(st.last_success_at))::float8
                FROM makini.sync_stream_runs r JOIN makini.sync_state st USING (job, connection_id, entity)
                WHERE r.job = 'plant-b' AND r.entity = $1
                """, [entity])
            #expect(first.value(MetricName.recordsRead, labels) == Double(sums.first?[0] ?? ""))
            let lastSuccess = try #require(Double(sums.first?[1] ?? ""))
            #expect(abs(try #require(first.value(MetricName.lastSuccess, labels)) - lastSuccess) < 0.001)
            let earlier = try #require(first.value(MetricName.freshness, labels))
            let later = try #require(second.value(MetricName.freshness, labels))
            #expect(earlier >= 0 && later >= earlier, "freshness keeps growing between runs")
        }
        #expect(first.value(MetricName.startDelay, ["sync_job": "plant-b"]) != nil)
        #expect(first.value(MetricName.warehouseUp) == 1)
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await daemon.exitStatus() == 0, "\(daemon.output)")
    }

    @Test func healthzIs503WhenTheWarehouseIsUnreachable() async throws {
        let harness = try await Self.harness()
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        try fixture.writeJob("plant", streams: ["sites"], schedule: "0 0 * * *")
        let daemon = try SyncProcess(
            [
                "daemon", "--jobs-dir", fixture.jobsDirectory, "--database-url", "postgresql://makini@127.0.0.1:1/none",
                "--api-base-url", harness.server.baseURL, "--listen", "127.0.0.1:0", "--log-format", "json",
            ],
            directory: fixture.outputDirectory, name: "no-warehouse")
        let address = try #require(try await Self.listenAddress(daemon), "\(daemon.output)")
        let health = try await Self.get(address, "/healthz")
        #expect(health.status == 503)
        let report = try #require(try JSONSerialization.jsonObject(with: health.body) as? [String: Any], "valid JSON")
        #expect(report["status"] as? String == "warehouse_unreachable")
        let warehouse = try #require(report["warehouse"] as? [String: Any])
        #expect(warehouse["reachable"] as? Bool == false)
        #expect((warehouse["error"] as? String)?.contains("127.0.0.1") == true)
        #expect((report["jobs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["plant"])
        #expect(try await Self.get(address, "/metrics").status == 503)
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await daemon.exitStatus() == 0, "\(daemon.output)")
    }

    @Test func moreDueJobsThanRunSlotsAllRunInTheSameSlot() async throws {
        let harness = try await Self.harness(workOrders: 30)
        defer { Task { await harness.stop() } }
        let fixture = try ProcessFixture(harness)
        let names = ["j0", "j1", "j2", "j3"]
        for name in names { try fixture.writeJob(name, streams: ["sites"], schedule: "* * * * *") }
        let daemon = try fixture.start(
            ["daemon", "--listen", "127.0.0.1:0", "--max-concurrent-jobs", "1", "--log-format", "json"], name: "fair")
        defer { kill(daemon.process.processIdentifier, SIGKILL) }
        let address = try #require(try await Self.listenAddress(daemon), "\(daemon.output)")
        // Some minute slot in which every job ran: wait for it (a slot right after start-up may be shared with
        // jobs still finishing the start-up round; the next one then has them all).
        let everyJobInOneSlot = try await eventually(attempts: 4_000) {
            let slots = try await harness.query("""
                SELECT scheduled_for FROM makini.sync_runs
                WHERE status = 'succeeded' AND extract(second FROM scheduled_for) = 0
                GROUP BY scheduled_for HAVING count(DISTINCT job) = 4
                """)
            return !slots.isEmpty
        }
        let history = try await harness.query("SELECT job, scheduled_for, started_at, status FROM makini.sync_runs ORDER BY started_at")
        #expect(everyJobInOneSlot, "\(history)")
        let runs = try await harness.query("""
            SELECT job, extract(epoch FROM started_at)::float8, extract(epoch FROM finished_at)::float8
            FROM makini.sync_runs WHERE finished_at IS NOT NULL ORDER BY started_at
            """)
        #expect(Set(runs.compactMap { $0[0] }) == Set(names), "every job ran")
        for (earlier, later) in zip(runs, runs.dropFirst()) {
            #expect(Double(later[1] ?? "") ?? 0 >= Double(earlier[2] ?? "") ?? .infinity, "never more than one job at a time")
        }
        // The daemon keeps starting runs every minute: read the delays before and after the scrape, and compare only a
        // scrape no run started around (the metric is read from the same table at scrape time).
        func latestDelays() async throws -> [String: String] {
            var delays: [String: String] = [:]
            for name in names {
                let delay = try await harness.query("""
                    SELECT extract(epoch FROM started_at - scheduled_for)::float8 FROM makini.sync_runs
                    WHERE job = $1 AND scheduled_for IS NOT NULL ORDER BY started_at DESC LIMIT 1
                    """, [name])
                delays[name] = delay.first?[0] ?? nil
            }
            return delays
        }
        var compared = false
        for _ in 0..<20 where !compared {
            let before = try await latestDelays()
            let body = try await Self.get(address, "/metrics").body
            guard try await latestDelays() == before else { continue }
            let metrics = try PrometheusTextParser.parse(String(decoding: body, as: UTF8.self))
            for name in names {
                let reported = try #require(metrics.value(MetricName.startDelay, ["sync_job": name]), "start delay of \(name)")
                #expect(abs(reported - (Double(before[name] ?? "") ?? -1)) < 0.001, "\(name)")
            }
            compared = true
        }
        #expect(compared, "a scrape with no run starting around it")
    }
}
