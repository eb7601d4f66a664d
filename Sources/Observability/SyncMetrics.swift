import CoreMetrics
import Foundation
import Prometheus
import Redaction

/// Sync metrics: records, pages, requests, retries, durations, last success and freshness per stream,
/// held in a swift-prometheus `PrometheusCollectorRegistry` and rendered in the Prometheus text format.
public final class SyncMetrics: Sendable {
    /// The registry holding every series; serve it from `/metrics` or render it with `render()`.
    public let registry: PrometheusCollectorRegistry

    /// Buckets of the stream duration histogram: one second to two hours.
    static let durationBuckets: [Duration] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200].map { .seconds($0) }

    private static let global = LockedState<SyncMetrics?>(nil)

    /// Error codes that may appear as a `code` label; any other becomes `OTHER` (see `MetricLabel`).
    private let knownErrorCodes = LockedState<Set<String>>([])

    /// Metrics with a registry of their own (tests, or when several runners share a process).
    public init() {
        registry = PrometheusCollectorRegistry()
    }

    /// The process-wide metrics; the first call also points swift-metrics' `MetricsSystem` at the same registry,
    /// so `Counter`/`Timer`/`Gauge` made anywhere in the process appear in `render()` too.
    public static func bootstrapGlobal() -> SyncMetrics {
        global.withLock { existing in
            if let existing { return existing }
            let metrics = SyncMetrics()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
            existing = metrics
            return metrics
        }
    }

    /// `makini_sync_<base>_<unit>` with its help text.
    static func descriptor(_ base: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "makini", subsystem: "sync", metricName: base, unitName: unit, helpText: help)
    }

    private func streamLabels(job: String, connection: String, entity: String) -> [(String, String)] {
        [("job", job), ("connection", connection), ("entity", entity)]
    }

    /// Counts records read from the API for one stream.
    public func recordsRead(job: String, connection: String, entity: String, count: Int) {
        registry.makeCounter(
            descriptor: Self.descriptor("records_read", unit: "total", help: "Records read from the Makini API."),
            labels: streamLabels(job: job, connection: connection, entity: entity)
        ).increment(by: Int64(max(0, count)))
    }

    /// Counts records written to the warehouse for one stream, by operation.
    public func recordsWritten(job: String, connection: String, entity: String, inserted: Int, updated: Int, deleted: Int) {
        for (operation, count) in [("inserted", inserted), ("updated", updated), ("deleted", deleted)] {
            registry.makeCounter(
            descriptor: Self.descriptor("records_written", unit: "total", help: "Records written to the warehouse, by operation."),
            labels: streamLabels(job: job, connection: connection, entity: entity) + [("op", operation)]
        ).increment(by: Int64(max(0, count)))
        }
    }

    /// Counts one page fetched for a stream.
    public func page(job: String, connection: String, entity: String) {
        registry.makeCounter(
            descriptor: Self.descriptor("pages", unit: "total", help: "Pages fetched from the Makini API."),
            labels: streamLabels(job: job, connection: connection, entity: entity)
        ).increment()
    }

    /// Adds error codes that may appear as `code` labels as they are (the client's own and documented codes, and
    /// the codes a job file names); every other code a server sends is counted as `OTHER`.
    public func allowErrorCodes(_ codes: some Sequence<String>) {
        knownErrorCodes.withLock { $0.formUnion(codes) }
    }

    /// Counts one API request by outcome: the HTTP status (`"200"`, `"429"`) or `"transport"` (anything else: `OTHER`).
    public func apiRequest(connection: String, status: String) {
        registry.makeCounter(
            descriptor: Self.descriptor("api_requests", unit: "total", help: "Makini API requests, by HTTP status or transport failure."),
            labels: [("connection", connection), ("status", MetricLabel.status(status))]
        ).increment()
    }

    /// Counts one retry of a stream's request, by error code: a known code (see `allowErrorCodes`) or `OTHER`.
    public func retry(connection: String, entity: String, code: String) {
        let label = MetricLabel.errorCode(code, known: knownErrorCodes.withLock { $0 })
        registry.makeCounter(
            descriptor: Self.descriptor("retries", unit: "total", help: "Retried API requests, by error code."),
            labels: [("connection", connection), ("entity", entity), ("code", label)]
        ).increment()
    }

    /// Records how long a stream run took and how it ended (`"success"`, `"failed"`, …).
    public func streamFinished(job: String, connection: String, entity: String, status: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("stream_duration", unit: "seconds", help: "Duration of stream runs in seconds, by final status."),
            labels: streamLabels(job: job, connection: connection, entity: entity) + [("status", status)],
            buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Sets the time of a stream's last successful run (unix seconds).
    public func lastSuccess(job: String, connection: String, entity: String, at: Date) {
        registry.makeGauge(
            descriptor: Self.descriptor("last_success_timestamp", unit: "seconds", help: "Unix time of the last successful run of a stream."),
            labels: streamLabels(job: job, connection: connection, entity: entity)
        ).set(to: at.timeIntervalSince1970)
    }

    /// Sets how many seconds the warehouse lags the source for a stream.
    public func freshness(job: String, connection: String, entity: String, lagSeconds: Double) {
        registry.makeGauge(
            descriptor: Self.descriptor("freshness", unit: "seconds", help: "Seconds between now and the newest source update seen by a stream."),
            labels: streamLabels(job: job, connection: connection, entity: entity)
        ).set(to: lagSeconds)
    }

    /// All series in the Prometheus text exposition format (for the textfile and `/metrics`), through the redactor.
    public func render() -> String {
        SecretRedactor.redact(registry.emitToString())
    }

    /// Writes `render()` for node_exporter's textfile collector: `<path>.tmp.<pid>`, fsync, rename to `path`.
    public func writeTextfile(to path: String) throws(MetricsTextfileError) {
        try AtomicFileWriter.write(render(), to: path)
    }
}
