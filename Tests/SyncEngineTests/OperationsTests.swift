import Cron
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

@Suite("Operations: locks, --due, metrics, JSON logs")
struct OperationsTests {
    static func singleConnection(seed: UInt64, workOrders: Int) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: workOrders, assets: 20)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        return configuration
    }

    @Test func aStreamHeldByAnotherHostIsSkippedWithTheHolderNamed() async throws {
        let harness = try await SyncHarness.start(Self.singleConnection(seed: 1, workOrders: 50))
        defer { Task { await harness.stop() } }
        let job = try harness.job("locked", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")])
        let otherHost = try await WarehouseSession.connect(url: harness.databaseURL)
        #expect(try await otherHost.tryLeaseConnection(job: "locked", connectionId: "jde-plant-a"))
        try await otherHost.recordStreamLease(
            StreamKey(job: "locked", connectionId: "jde-plant-a", entity: "work-orders"), host: "plant-runner-2", pid: 4242,
            runId: "other-run", slot: nil)
        let skipped = await harness.run(job)
        #expect(skipped.exitStatus == .lockHeld)
        #expect(skipped.message?.contains("plant-runner-2") == true)
        #expect(skipped.message?.contains("4242") == true)
        #expect(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] == "0")
        #expect(try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE job = 'locked'").first == ["skipped", "3"])
        // A crashed holder's lock goes with its session.
        await otherHost.close()
        let ran = await harness.run(job)
        #expect(ran.exitStatus == .success)
        #expect(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] == "50")
    }

    @Test func twoConcurrentRunsOfOneJobSyncOnce() async throws {
        var configuration = Self.singleConnection(seed: 2, workOrders: 400)
        configuration.connections[0].faults.latencyMs = 40
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let job = try harness.job("twice", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 20)
        async let first = harness.run(job)
        async let second = harness.run(job)
        let statuses = [await first.exitStatus, await second.exitStatus].map(\.rawValue).sorted()
        #expect(statuses == [ExitStatus.success.rawValue, ExitStatus.lockHeld.rawValue])
        let runs = try await harness.query("SELECT status FROM makini.sync_runs WHERE job = 'twice' ORDER BY status")
        #expect(runs.map { $0[0] ?? "" } == ["skipped", "succeeded"])
        #expect(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] == "400")
    }

    @Test func dueRuleRunsAMissedJobOnce() throws {
        let schedule = try CronSchedule(parsing: "*/15 * * * *")
        let base = Date(timeIntervalSince1970: 1_795_000_000 - 1_795_000_000.truncatingRemainder(dividingBy: 3600))
        #expect(DueJobs.isDue(schedule: schedule, lastStart: nil, now: base))
        #expect(!DueJobs.isDue(schedule: schedule, lastStart: base.addingTimeInterval(1), now: base.addingTimeInterval(14 * 60)))
        #expect(DueJobs.isDue(schedule: schedule, lastStart: base.addingTimeInterval(1), now: base.addingTimeInterval(15 * 60)))
        #expect(DueJobs.isDue(schedule: schedule, lastStart: base.addingTimeInterval(1), now: base.addingTimeInterval(5 * 3600)))
        #expect(!DueJobs.isDue(schedule: nil, lastStart: nil, now: base))
    }

    @Test func runDueRunsEachDueJobOnce() async throws {
        let harness = try await SyncHarness.start(Self.singleConnection(seed: 3, workOrders: 30))
        defer { Task { await harness.stop() } }
        var scheduled = try harness.job("every-minute", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")])
        scheduled.schedule = try CronSchedule(parsing: "* * * * *")
        var unscheduled = try harness.job("by-hand", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "sites")])
        unscheduled.schedule = nil
        var options = harness.options()
        let now = Date()
        options.onlyIfDueAt = now
        let due = try await DueJobs(options: options).select([scheduled, unscheduled], now: now)
        #expect(due.map(\.name) == ["every-minute"])
        #expect(await JobRunner(options: options).run(scheduled).status == .succeeded)
        // Same instant again: it already ran for this slot, both by the pre-filter and under the lock.
        #expect(try await DueJobs(options: options).select([scheduled], now: now).isEmpty)
        let again = await JobRunner(options: options).run(scheduled)
        #expect(again.status == .notDue)
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_runs WHERE job = 'every-minute'").first?[0] == "1")
    }

    @Test func aStreamsRetryTimeIsBoundedByItsBudget() async throws {
        let harness = try await SyncHarness.start(Self.singleConnection(seed: 5, workOrders: 10))
        defer { Task { await harness.stop() } }
        let job = try harness.job(
            "unreachable", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")],
            retry: RetrySettings(maxAttempts: 100, baseDelaySeconds: 0.05, maxDelaySeconds: 0.05, maxRetryAfterSeconds: 1, budgetSeconds: 0.3))
        var options = harness.options()
        options.apiBaseURLOverride = "http://127.0.0.1:1"
        let report = await JobRunner(options: options).run(job)
        #expect(report.exitStatus == .partialFailure)
        let record = try #require(report.streams.first?.record)
        #expect(record.lastErrorCode == "CONNECT_FAILED")
        let message = record.lastErrorMessage ?? ""
        #expect(message.contains("retry budget of 0.3s is spent"), "\(message)")
        #expect(record.retries < 99, "the budget, not max_attempts, ended it")
        let stored = try await harness.query("SELECT requests_by_status::text, api_requests FROM makini.sync_stream_runs WHERE job = 'unreachable'")
        #expect(stored.first?[1] == String(record.retries + 1), "every attempt is a request without an answer")
        #expect(stored.first?[0] == "{\"transport\": \(record.retries + 1)}")
    }

    @Test func metricsTextfileParsesAndJSONLogsCarryNoToken() async throws {
        let harness = try await SyncHarness.start(Self.singleConnection(seed: 4, workOrders: 120))
        defer { Task { await harness.stop() } }
        let token = try #require(harness.server.world.currentAccessToken(connection: "jde-plant-a"))
        let lines = LineCollector()
        var options = harness.options()
        options.logger = Logger(label: "test") { label in
            LogSetup.makeHandler(label: label, format: .json, level: .debug, output: .custom { lines.append($0) })
        }
        let job = try harness.job("observed", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        #expect(await JobRunner(options: options).run(job).exitStatus == .success)
        let path = NSTemporaryDirectory() + "makini-metrics-\(UUID().uuidString).prom"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await WarehouseMetrics(databaseURL: harness.databaseURL).read([job]).exposition(now: Date()).writeTextfile(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let samples = try PrometheusTextParser.parse(text)
        #expect(samples.value(MetricName.pages, ["sync_job": "observed", "connection": "jde-plant-a", "entity": "work-orders"]) == 3)
        let logged = lines.all
        #expect(logged.count > 3)
        for line in logged {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["message"] != nil && object?["level"] != nil && object?["time"] != nil, "\(line)")
            #expect(!line.contains(token), "a log line carries the token")
        }
        #expect(logged.contains { $0.contains("\"job\":\"observed\"") && $0.contains("\"entity\":\"work-orders\"") && $0.contains("\"run_id\"") })
        let objects = try logged.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let finished = try #require(objects.first { $0["message"] as? String == "stream finished" })
        #expect(try #require(finished["records"] as? Int) >= 120, "counts are JSON numbers")
        #expect(finished["inserted"] as? Int == 120)
        #expect(finished["unchanged"] as? Int == 0)
        #expect(finished["status"] as? String == "succeeded")
        // --log-level debug adds every request and every committed page.
        let requests = objects.filter { $0["message"] as? String == "request" }
        #expect(requests.count == 3 && requests.allSatisfy { $0["status"] as? String == "200" && $0["duration_ms"] is Int })
        let pages = objects.filter { $0["message"] as? String == "page committed" }
        #expect(pages.count == 3 && pages.allSatisfy { $0["inserted"] is Int && $0["checkpoint"] is String })
        #expect(objects.filter { $0["message"] as? String == "request" || $0["message"] as? String == "page committed" }
            .allSatisfy { $0["level"] as? String == "debug" })
        #expect(!text.contains(token))
    }
}

/// Collects log lines from any thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) {
        lock.lock()
        lines.append(contentsOf: line.split(separator: "\n").map(String.init))
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}
