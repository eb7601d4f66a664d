import Cron
import Foundation
import MakiniAPI
import Observability
import Warehouse
import JobFiles

/// Decides what the metrics say, from the warehouse's totals: a pure function of the configured streams, their
/// totals, the jobs' latest runs and the time of the report. Every configured stream gets its series, including
/// streams that failed or never ran; freshness is the age of the last success at `now` (+Inf when there is none).
public enum MetricsReport {
    /// The streams (job × connection × entity) the job files configure, in job order.
    public static func configuredStreams(_ jobs: [JobSpec]) -> [StreamKey] {
        jobs.flatMap { job in
            job.connections.flatMap { connection in
                job.streams.map { StreamKey(job: job.name, connectionId: connection.id, entity: $0.entity) }
            }
        }
    }

    /// How stale a stream of each scheduled job may get before an alert is due: twice the longest gap between two
    /// consecutive slots of its schedule after `now` (a missed slot is tolerated, two are not). Unscheduled jobs have none.
    public static func freshnessLimits(_ jobs: [JobSpec], at now: Date) -> [String: Double] {
        var limits: [String: Double] = [:]
        for job in jobs {
            if let gap = job.schedule?.longestGap(after: now) { limits[job.name] = 2 * gap }
        }
        return limits
    }

    /// The exposition of `streams` and `jobs` at `now`. `warehouseUp` is false when the values are an earlier answer;
    /// retry codes outside `knownCodes` (and `HTTP_<status>`) are labelled `OTHER`.
    public static func exposition(
        streams: [StreamKey], totals: [StreamKey: StreamTotals], jobs: [String], latestRuns: [String: JobRunOutcome],
        now: Date, warehouseUp: Bool = true, knownCodes: Set<String> = ErrorCodeCatalog.all,
        freshnessLimits: [String: Double] = [:], needsReauth: [String: Bool] = [:]
    ) -> PrometheusExposition {
        var out = PrometheusExposition()
        declareFamilies(&out)
        var requests: [String: [String: Int]] = [:]
        var retries: [[String]: Int] = [:]
        for key in streams {
            let total = totals[key] ?? StreamTotals(key: key)
            let labels = [("sync_job", key.job), ("connection", key.connectionId), ("entity", key.entity)]
            out.add(MetricName.recordsRead, labels: labels, value: Double(total.recordsRead))
            for (operation, count) in [
                ("inserted", total.inserted), ("updated", total.updated), ("unchanged", total.unchanged), ("deleted", total.deleted),
            ] {
                out.add(MetricName.recordsWritten, labels: labels + [("op", operation)], value: Double(count))
            }
            out.add(MetricName.pages, labels: labels, value: Double(total.pages))
            out.add(MetricName.rejects, labels: labels, value: Double(total.rejected))
            if let limit = freshnessLimits[key.job] { out.add(MetricName.freshnessLimit, labels: labels, value: limit) }
            for status in total.durations.keys.sorted() {
                guard let duration = total.durations[status] else { continue }
                out.addHistogram(
                    MetricName.streamDuration, labels: labels + [("status", status)], bounds: StreamTotals.durationBucketSeconds,
                    bucketCounts: duration.bucketCounts, count: duration.count, sum: duration.sumSeconds)
            }
            if let lastSuccess = total.lastSuccessAt {
                out.add(MetricName.lastSuccess, labels: labels, value: lastSuccess.timeIntervalSince1970)
                out.add(MetricName.freshness, labels: labels, value: max(0, now.timeIntervalSince(lastSuccess)))
            } else {
                out.add(MetricName.freshness, labels: labels, value: .infinity)
            }
            // Server-chosen codes and statuses are bounded to a known set (`OTHER`): few series, never a server's text.
            for (status, count) in total.requestsByStatus {
                requests[key.connectionId, default: [:]][MetricLabel.status(status), default: 0] += count
            }
            for (code, count) in total.retriesByCode {
                retries[[key.connectionId, key.entity, MetricLabel.errorCode(code, known: knownCodes)], default: 0] += count
            }
        }
        for connection in requests.keys.sorted() {
            for (status, count) in (requests[connection] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.add(MetricName.apiRequests, labels: [("connection", connection), ("status", status)], value: Double(count))
            }
        }
        for labels in retries.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            out.add(
                MetricName.retries, labels: [("connection", labels[0]), ("entity", labels[1]), ("code", labels[2])],
                value: Double(retries[labels] ?? 0))
        }
        for job in jobs {
            guard let run = latestRuns[job] else { continue }
            if let delay = run.startDelaySeconds { out.add(MetricName.startDelay, labels: [("sync_job", job)], value: max(0, delay)) }
            if let code = run.exitCode { out.add(MetricName.lastExitCode, labels: [("sync_job", job)], value: Double(code)) }
            out.add(MetricName.consecutiveFailures, labels: [("sync_job", job)], value: Double(run.consecutiveFailures))
        }
        for connection in needsReauth.keys.sorted() {
            out.add(MetricName.needsReauth, labels: [("connection", connection)], value: needsReauth[connection] == true ? 1 : 0)
        }
        out.add(MetricName.warehouseUp, labels: [], value: warehouseUp ? 1 : 0)
        return out
    }

    private static func declareFamilies(_ out: inout PrometheusExposition) {
        out.declare(MetricName.recordsRead, .counter, help: "Records read from the Makini API, over the warehouse's run history.")
        out.declare(MetricName.recordsWritten, .counter, help: "Records merged into the warehouse, by outcome, over the run history.")
        out.declare(MetricName.rejects, .counter, help: "Records refused and kept in makini.sync_rejects, over the run history.")
        out.declare(MetricName.pages, .counter, help: "Pages fetched and committed, over the run history.")
        out.declare(MetricName.apiRequests, .counter, help: "Makini API requests actually sent, by HTTP status or transport failure.")
        out.declare(MetricName.retries, .counter, help: "Retried failures (and circuit-open waits), by error code.")
        out.declare(MetricName.streamDuration, .histogram, help: "Duration of finished stream runs in seconds, by final status.")
        out.declare(MetricName.lastSuccess, .gauge, help: "Unix time of the last successful run of a stream.")
        out.declare(MetricName.freshness, .gauge, help: "Seconds since the last successful run of a stream; +Inf when it never succeeded.")
        out.declare(
            MetricName.freshnessLimit, .gauge,
            help: "Seconds a stream of a scheduled job may go without a success: twice the longest gap between its schedule's slots.")
        out.declare(MetricName.consecutiveFailures, .gauge, help: "Runs of a job that ended failed or partial since its latest success.")
        out.declare(MetricName.needsReauth, .gauge, help: "1 when Makini refused the connection's credentials and a person must re-authorise it.")
        out.declare(MetricName.startDelay, .gauge, help: "Seconds between the schedule slot and the start of a job's latest scheduled run.")
        out.declare(MetricName.lastExitCode, .gauge, help: "Exit status of a job's latest finished run.")
        out.declare(MetricName.warehouseUp, .gauge, help: "1 when these values were just read from the warehouse, 0 when they are an earlier reading.")
    }
}
