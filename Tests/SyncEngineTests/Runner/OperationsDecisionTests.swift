import Cron
import Foundation
import Observability
import PrometheusTestSupport
import Testing
import Warehouse
@testable import Daemon
@testable import SyncEngine
import Outcomes
@testable import JobFiles

/// The pure decisions behind operations: run outcomes, due slots, the daemon's waiting line, reloads, /healthz, metrics.
@Suite("Operations decisions")
struct OperationsDecisionTests {
    let plan = StreamPlan(
        key: StreamKey(job: "j", connectionId: "c", entity: "work-orders"), platform: nil, fullRefresh: false, pageSize: 100,
        lookbackSeconds: 0, tableOverride: nil)

    func result(_ status: StreamRunStatus) -> StreamResult {
        StreamResult(plan: plan, record: StreamRunRecord(status: status))
    }

    @Test func anInterruptedStreamIsNotAFailure() {
        #expect(RunOutcome(streams: [result(.succeeded), result(.interrupted)]).status == .interrupted)
        #expect(RunOutcome(streams: [result(.succeeded), result(.interrupted)]).failed == 0)
        #expect(RunOutcome(streams: [result(.failed), result(.interrupted)]).status == .partial)
        #expect(RunOutcome(streams: [result(.failed), result(.failed)]).status == .failed)
        #expect(RunOutcome(streams: [result(.succeeded)]).status == .succeeded)
        #expect(ExitStatus.forStreams([result(.succeeded), result(.interrupted)]) == .interrupted)
        #expect(ExitStatus.forStreams([result(.failed), result(.interrupted)]) == .partialFailure)
        #expect(ExitStatus.combine([.interrupted, .lockHeld, .success]) == .interrupted)
        #expect(ExitStatus.combine([.interrupted, .partialFailure]) == .partialFailure)
    }

    @Test func theSummaryHasOneLinePerStreamThatAccountsForEveryRecordRead() {
        var record = StreamRunRecord(status: .succeeded)
        record.recordsRead = 5021
        record.counts.unchanged = 5021
        let report = JobRunReport(job: "j", runId: "r", status: .succeeded, exitStatus: .success, streams: [
            StreamResult(plan: plan, record: record), result(.interrupted),
        ], message: nil)
        let lines = RunSummary.text(report).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].contains("c/work-orders: succeeded, 5021 read, 0 inserted, 0 updated, 5021 unchanged, 0 deleted"))
        #expect(lines[2].contains("interrupted"))
    }

    @Test func aJobIsDueSinceTheFirstSlotAfterItsLastStart() throws {
        let schedule = try CronSchedule(parsing: "*/10 * * * *")
        let hour = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 3600))
        let lastStart = hour.addingTimeInterval(5)
        #expect(DueJobs.dueSince(schedule: schedule, lastStart: lastStart, now: hour.addingTimeInterval(9 * 60)) == nil)
        // Missed three slots: due once, since the first of them.
        #expect(DueJobs.dueSince(schedule: schedule, lastStart: lastStart, now: hour.addingTimeInterval(35 * 60))
            == hour.addingTimeInterval(10 * 60))
        #expect(DueJobs.dueSince(schedule: schedule, lastStart: nil, now: hour) == hour, "never ran: due since now")
        #expect(DueJobs.dueSince(schedule: nil, lastStart: nil, now: hour) == nil)
    }

    @Test func theWaitingLineServesTheLongestDueFirstAndNeverPilesUp() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var queue = DueQueue()
        for name in ["j3", "j1", "j0", "j2"] { queue.enqueue(name, dueSince: t0, foundAt: t0) }
        #expect(queue.take(freeSlots: 2, running: []).map(\.job) == ["j0", "j1"])
        // Next slot: j0 and j1 are due again, but j2 and j3 have waited longer.
        let t1 = t0.addingTimeInterval(60)
        queue.enqueue("j0", dueSince: t1, foundAt: t1)
        queue.enqueue("j1", dueSince: t1, foundAt: t1)
        queue.enqueue("j2", dueSince: t1, foundAt: t1)  // already waiting: keeps its place, queued once
        #expect(queue.waiting.count == 4)
        #expect(queue.take(freeSlots: 1, running: []).map(\.job) == ["j2"])
        #expect(queue.take(freeSlots: 2, running: ["j3"]).map(\.job) == ["j0", "j1"], "a running job keeps its place")
        #expect(queue.take(freeSlots: 0, running: []).isEmpty)
        #expect(queue.take(freeSlots: 4, running: []).map(\.job) == ["j3"])
        #expect(queue.waiting.isEmpty)
    }

    @Test func everyJobRunsInEverySlotWhenTheSlotLeavesTimeForIt() {
        // Ten jobs due every minute, two run slots, each run taking a fifth of a minute: all ten run in every minute.
        var queue = DueQueue()
        var runs: [String: Int] = [:]
        let jobs = (0..<10).map { "j\($0)" }
        for minute in 0..<8 {
            let slot = Date(timeIntervalSince1970: 1_800_000_000 + Double(minute) * 60)
            for job in jobs { queue.enqueue(job, dueSince: slot, foundAt: slot) }
            for _ in 0..<5 {  // five rounds of two jobs fit in a minute
                for entry in queue.take(freeSlots: 2, running: []) { runs[entry.job, default: 0] += 1 }
            }
        }
        #expect(runs == Dictionary(uniqueKeysWithValues: jobs.map { ($0, 8) }))
    }

    @Test func aReloadKeepsTheLastGoodVersionOfABrokenFile() throws {
        func job(_ name: String, _ path: String) -> JobSpec {
            JobSpec(name: name, sourcePath: path, schedule: nil, api: APISettings(), connections: [], streams: [], retry: RetrySettings())
        }
        let previous = [job("a", "jobs/a.yaml"), job("b", "jobs/b.yaml"), job("gone", "jobs/gone.yaml")]
        let broken = [JobFileErrors(errors: [JobFileError(path: "jobs/b.yaml", line: 3, column: 1, message: "bad")])]
        let merged = JobSetReload.merge(previous: previous, loaded: [job("a", "jobs/a.yaml"), job("c", "jobs/c.yaml")], broken: broken)
        #expect(merged.map(\.name) == ["a", "b", "c"])
    }

    @Test func healthzIsValidJSONWhateverTheErrorSays() throws {
        let snapshot = SchedulerState.Snapshot(
            jobs: ["plant-b"], running: ["plant-b"], waiting: [:], outcomes: [:], lastTick: nil,
            jobFileErrors: ["jobs/x.yaml:1:2: \"quoted\" \\ back\nslash"])
        struct Down: Error, CustomStringConvertible { var description: String { "cannot connect: \"x\" \\ y\nz" } }
        let report = HealthReport(state: snapshot, latestRuns: .failure(Down()))
        #expect(report.httpStatus == 503)
        let object = try #require(try JSONSerialization.jsonObject(with: try report.json()) as? [String: Any])
        #expect(object["status"] as? String == "warehouse_unreachable")
        #expect((object["warehouse"] as? [String: Any])?["error"] as? String == "cannot connect: \"x\" \\ y\nz")
        #expect((object["jobs"] as? [[String: Any]])?.first?["name"] as? String == "plant-b")
        #expect((object["job_file_errors"] as? [String])?.first == "jobs/x.yaml:1:2: \"quoted\" \\ back\nslash")
        let healthy = HealthReport(state: snapshot, latestRuns: .success([:]))
        #expect(healthy.httpStatus == 200)
        #expect(healthy.status == "ok")
    }

    @Test func metricsCoverEveryConfiguredStreamAtTheTimeAsked() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_600)
        let ok = StreamKey(job: "j", connectionId: "c", entity: "assets")
        let never = StreamKey(job: "j", connectionId: "c", entity: "sites")
        var totals = StreamTotals(key: ok)
        totals.recordsRead = 42
        totals.requestsByStatus = ["200": 5, "503": 1]
        totals.lastSuccessAt = Date(timeIntervalSince1970: 1_800_000_000)
        totals.durations = ["succeeded": DurationTotals(count: 2, sumSeconds: 3.5, bucketCounts: [1, 2] + Array(repeating: 2, count: 9))]
        let text = MetricsReport.exposition(
            streams: [ok, never], totals: [ok: totals], jobs: ["j"],
            latestRuns: ["j": JobRunOutcome(job: "j", runId: "r", status: "partial", exitCode: 2, host: "h", startDelaySeconds: 12)],
            now: now
        ).render()
        let samples = try PrometheusTextParser.parse(text)
        #expect(samples.value(MetricName.freshness, ["entity": "assets"]) == 600)
        #expect(samples.value(MetricName.freshness, ["entity": "sites"]) == .infinity)
        #expect(samples.value(MetricName.recordsRead, ["entity": "sites"]) == 0)
        #expect(samples.value(MetricName.apiRequests, ["connection": "c", "status": "503"]) == 1)
        #expect(samples.value(MetricName.streamDuration + "_bucket", ["entity": "assets", "le": "1"]) == 1)
        #expect(samples.value(MetricName.streamDuration + "_count", ["entity": "assets", "status": "succeeded"]) == 2)
        #expect(samples.value(MetricName.startDelay, ["sync_job": "j"]) == 12)
        #expect(samples.value(MetricName.lastExitCode, ["sync_job": "j"]) == 2)
        #expect(samples.value(MetricName.freshnessLimit, ["entity": "assets"]) == nil, "no limit given, none reported")
        #expect(!text.contains("{job=") && !text.contains(",job="), "no `job` label: Prometheus' own target label would overwrite it")
    }

    @Test func alertInputsFollowSchedulesFailuresAndReauthorisation() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_600)
        let stream = StreamKey(job: "j", connectionId: "c", entity: "assets")
        var totals = StreamTotals(key: stream)
        totals.rejected = 7
        var latest = JobRunOutcome(job: "j", runId: "r", status: "failed", exitCode: 2, host: "h")
        latest.consecutiveFailures = 3
        let text = MetricsReport.exposition(
            streams: [stream], totals: [stream: totals], jobs: ["j"], latestRuns: ["j": latest], now: now,
            freshnessLimits: ["j": 1800], needsReauth: ["c": true, "d": false]
        ).render()
        let samples = try PrometheusTextParser.parse(text)
        #expect(samples.value(MetricName.rejects, ["sync_job": "j", "entity": "assets"]) == 7)
        #expect(samples.value(MetricName.freshnessLimit, ["sync_job": "j", "connection": "c", "entity": "assets"]) == 1800)
        #expect(samples.value(MetricName.consecutiveFailures, ["sync_job": "j"]) == 3)
        #expect(samples.value(MetricName.needsReauth, ["connection": "c"]) == 1)
        #expect(samples.value(MetricName.needsReauth, ["connection": "d"]) == 0)
    }

    @Test func freshnessLimitIsTwiceTheLongestGapOfTheSchedule() throws {
        func job(_ name: String, _ schedule: String?) throws -> JobSpec {
            JobSpec(
                name: name, sourcePath: "\(name).yaml", schedule: try schedule.map { try CronSchedule(parsing: $0) },
                api: APISettings(), connections: [], streams: [], retry: RetrySettings())
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let limits = MetricsReport.freshnessLimits(
            [try job("quarter", "*/15 * * * *"), try job("weekdays", "0 8,18 * * 1-5"), try job("manual", nil)], at: now)
        #expect(limits["quarter"] == 1800)
        #expect(limits["weekdays"] == Double(2 * 62 * 3600), "Friday 18:00 to Monday 08:00, twice")
        #expect(limits["manual"] == nil)
    }
}
