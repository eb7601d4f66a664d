import Foundation
import Logging
import MakiniSimulator
import Observability
import PrometheusTestSupport
import SyncEngine
import Testing
import Warehouse
import Outcomes
import JobFiles

/// The metrics the engine reports, parsed as Prometheus text and checked against the warehouse's run history and the
/// simulator's count of what it served, after successful, failed and interrupted runs.
@Suite("Metrics tell the truth")
struct MetricsTruthTests {
    static let connection = "jde-plant-a"
    static let entities = ["work-orders", "assets", "sites"]

    /// Parses the metrics of `job` at `now` and checks every stream against the warehouse.
    static func checkAgainstWarehouse(_ harness: SyncHarness, _ job: JobSpec, now: Date) async throws -> [PrometheusTextParser.Sample] {
        let text = try await WarehouseMetrics(databaseURL: harness.databaseURL).read([job]).exposition(now: now).render()
        let samples = try PrometheusTextParser.parse(text)
        for entity in entities {
            let labels = ["sync_job": job.name, "connection": connection, "entity": entity]
            let sums = try #require(try await harness.query("""
                SELECT coalesce(sum(records_read), 0), coalesce(sum(inserted), 0), coalesce(sum(updated), 0),
                       coalesce(sum(unchanged), 0), coalesce(sum(deleted), 0), coalesce(sum(pages), 0),
                       coalesce(sum(rejected), 0)
                FROM makini.sync_stream_runs WHERE job = $1 AND connection_id = $2 AND entity = $3
                """, [job.name, connection, entity]).first).map { Double($0 ?? "") }
            #expect(samples.value(MetricName.recordsRead, labels) == sums[0], "\(entity) records read")
            for (index, op) in ["inserted", "updated", "unchanged", "deleted"].enumerated() {
                #expect(samples.value(MetricName.recordsWritten, labels.merging(["op": op]) { $1 }) == sums[index + 1], "\(entity) \(op)")
            }
            #expect(samples.value(MetricName.pages, labels) == sums[5], "\(entity) pages")
            #expect(samples.value(MetricName.rejects, labels) == sums[6], "\(entity) rejects")
            let durations = try await harness.query("""
                SELECT status, count(*) FROM makini.sync_stream_runs
                WHERE job = $1 AND connection_id = $2 AND entity = $3 AND duration_ms IS NOT NULL GROUP BY status
                """, [job.name, connection, entity])
            for row in durations {
                let status = try #require(row[0])
                #expect(samples.value(MetricName.streamDuration + "_count", labels.merging(["status": status]) { $1 }) == Double(row[1] ?? ""))
            }
            let lastSuccess = try await harness.query("""
                SELECT extract(epoch FROM last_success_at)::float8 FROM makini.sync_state
                WHERE job = $1 AND connection_id = $2 AND entity = $3 AND last_success_at IS NOT NULL
                """, [job.name, connection, entity]).first?[0].flatMap(Double.init)
            if let lastSuccess {
                let reported = try #require(samples.value(MetricName.lastSuccess, labels))
                #expect(abs(reported - lastSuccess) < 0.001, "\(entity) last success")
                let freshness = try #require(samples.value(MetricName.freshness, labels))
                #expect(abs(freshness - (now.timeIntervalSince1970 - lastSuccess)) < 0.001, "\(entity) freshness = now - last success")
            } else {
                #expect(samples.value(MetricName.lastSuccess, labels) == nil)
                #expect(samples.value(MetricName.freshness, labels) == .infinity, "\(entity) never succeeded")
            }
        }
        // Requests by the status they really got: what the simulator served, nothing more (no circuit-open waits). A
        // request a stop cancelled is counted as "cancelled": the simulator may or may not have answered it with a 200.
        let served = harness.server.world.served(connection: connection).byStatus.mapValues(Double.init)
        var reported = Dictionary(uniqueKeysWithValues: samples.named(MetricName.apiRequests)
            .filter { $0.labels["connection"] == connection }.map { ($0.labels["status"] ?? "", $0.value) })
        let cancelled = reported.removeValue(forKey: "cancelled") ?? 0
        #expect(reported.filter { $0.key != "200" } == served.filter { $0.key != "200" })
        // The connection check before the streams (GET /api/integrations/current) is not a stream's request.
        let checks = Double(harness.server.world.served(connection: connection).integrationChecks)
        let (served200, reported200) = ((served["200"] ?? 0) - checks, reported["200"] ?? 0)
        #expect(served200 >= reported200 && served200 <= reported200 + cancelled, "served \(served), reported \(reported) + \(cancelled) cancelled")
        let requestSum = try await harness.query("SELECT coalesce(sum(api_requests), 0) FROM makini.sync_stream_runs WHERE job = $1", [job.name])
        #expect(Double(requestSum.first?[0] ?? "") == reported.values.reduce(cancelled, +), "api_requests column = the requests counted")
        let retries = try await harness.query("""
            SELECT t.entity, e.key, sum(e.value::int) FROM makini.sync_stream_runs t, jsonb_each_text(t.retries_by_code) e
            WHERE t.job = $1 GROUP BY t.entity, e.key
            """, [job.name])
        #expect(retries.count == samples.named(MetricName.retries).count)
        for row in retries {
            #expect(samples.value(MetricName.retries, ["entity": row[0] ?? "", "code": row[1] ?? ""]) == Double(row[2] ?? ""))
        }
        // Failures in a row, counted here from the run history, newest first: failed and partial runs count, a
        // success ends the count, the other statuses are passed over.
        var inARow = 0
        for row in try await harness.query(
            "SELECT status FROM makini.sync_runs WHERE job = $1 AND status <> 'running' ORDER BY started_at DESC", [job.name]) {
            if row[0] == "succeeded" { break }
            if row[0] == "failed" || row[0] == "partial" { inARow += 1 }
        }
        #expect(samples.value(MetricName.consecutiveFailures, ["sync_job": job.name]) == Double(inARow))
        #expect(samples.value(MetricName.needsReauth, ["connection": connection]) == 0)
        return samples
    }

    @Test func successfulFailedAndInterruptedRunsMatchTheRunHistory() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 16, workOrders: 240, assets: 30)
        configuration.connections = configuration.connections.filter { $0.id == Self.connection }
        configuration.connections[0].faults.scheduled = [2: 502, 5: 500]
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let job = try harness.job(
            "truth", connections: [Self.connection], streams: Self.entities.map { StreamSpec(entity: $0) }, pageSize: 40,
            retry: RetrySettings(maxAttempts: 3, baseDelaySeconds: 0.001, maxDelaySeconds: 0.002, maxRetryAfterSeconds: 1, budgetSeconds: 60))

        // 1. Success, with two retried 5xx answers.
        #expect(await harness.run(job).exitStatus == .success)
        let first = try await Self.checkAgainstWarehouse(harness, job, now: Date())
        let stream = ["sync_job": "truth", "connection": Self.connection]
        #expect(try #require(first.value(MetricName.recordsRead, stream.merging(["entity": "work-orders"]) { $1 })) >= 240)
        #expect(first.value(MetricName.apiRequests, ["status": "502"]) == 1)
        #expect(first.value(MetricName.consecutiveFailures, ["sync_job": "truth"]) == 0)
        #expect(first.value(MetricName.apiRequests, ["status": "500"]) == 1)
        let assetsSuccess = first.value(MetricName.lastSuccess, stream.merging(["entity": "assets"]) { $1 })

        // 2. assets fails with 500s; the others succeed. Its last success stays; its freshness grows from it.
        var broken = FaultSettings()
        broken.statusRates = ["500": 1]
        try harness.server.world.setFaults(connection: Self.connection, entity: "assets", broken)
        _ = try harness.server.world.mutate(connection: Self.connection, entity: "work-orders", MutationRequest(updates: 30))
        #expect(await harness.run(job).exitStatus == .partialFailure)
        let later = Date().addingTimeInterval(3600)
        let second = try await Self.checkAgainstWarehouse(harness, job, now: later)
        let assets = stream.merging(["entity": "assets"]) { $1 }
        #expect(second.value(MetricName.lastSuccess, assets) == assetsSuccess, "a failure keeps the last success")
        #expect(try #require(second.value(MetricName.freshness, assets)) >= 3600)
        #expect(second.value(MetricName.streamDuration + "_count", assets.merging(["status": "failed"]) { $1 }) == 1)
        #expect(second.value(MetricName.apiRequests, ["status": "500"]) == 4, "one scheduled 500, three for assets")
        #expect(second.value(MetricName.lastExitCode, ["sync_job": "truth"]) == 2)
        #expect(second.value(MetricName.consecutiveFailures, ["sync_job": "truth"]) == 1, "a partial run counts")

        // 3. Interrupted after its first committed page: counted, not a success, recorded as interrupted.
        try harness.server.world.setFaults(connection: Self.connection, entity: "assets", FaultSettings())
        _ = try harness.server.world.mutate(connection: Self.connection, entity: "work-orders", MutationRequest(updates: 200))
        let stop = StopSignal()
        var options = harness.options(stop: stop)
        options.progress = ProgressDisplay(enabled: true, output: .custom { _ in stop.stop() }, terminalWidth: 200)
        let interrupted = await JobRunner(options: options).run(job)
        #expect(interrupted.exitStatus == .interrupted)
        #expect(interrupted.status == .interrupted)
        #expect(try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE run_id = $1", [interrupted.runId]).first
            == ["interrupted", "130"])
        let third = try await Self.checkAgainstWarehouse(harness, job, now: later)
        let workOrders = stream.merging(["entity": "work-orders"]) { $1 }
        #expect(third.value(MetricName.streamDuration + "_count", workOrders.merging(["status": "interrupted"]) { $1 }) == 1)
        #expect(third.value(MetricName.consecutiveFailures, ["sync_job": "truth"]) == 1, "an interrupted run neither counts nor resets")
        #expect(third.value(MetricName.lastSuccess, workOrders) == second.value(MetricName.lastSuccess, workOrders))
        #expect(try #require(third.value(MetricName.pages, workOrders)) > second.value(MetricName.pages, workOrders) ?? 0,
                "the interrupted run's committed page counts")

        // A stream configured but never run is reported too: no last success, freshness +Inf.
        var grown = job
        grown.streams.append(StreamSpec(entity: "locations"))
        let text = try await WarehouseMetrics(databaseURL: harness.databaseURL).read([grown]).exposition(now: later).render()
        let locations = stream.merging(["entity": "locations"]) { $1 }
        #expect(try PrometheusTextParser.parse(text).value(MetricName.freshness, locations) == .infinity)
        #expect(try PrometheusTextParser.parse(text).value(MetricName.recordsRead, locations) == 0)
    }
}
