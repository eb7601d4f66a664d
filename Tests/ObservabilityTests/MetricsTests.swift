import Foundation
import Testing
@testable import Observability

@Suite("Metrics")
struct MetricsTests {
    private func recordedMetrics() -> SyncMetrics {
        let metrics = SyncMetrics()
        metrics.allowErrorCodes(["RATE_LIMITED"])
        metrics.recordsRead(job: "plant", connection: "jde", entity: "work-orders", count: 250)
        metrics.recordsRead(job: "plant", connection: "jde", entity: "work-orders", count: 50)
        metrics.recordsWritten(job: "plant", connection: "jde", entity: "work-orders", inserted: 200, updated: 90, deleted: 10)
        metrics.page(job: "plant", connection: "jde", entity: "work-orders")
        metrics.page(job: "plant", connection: "jde", entity: "work-orders")
        metrics.page(job: "plant", connection: "jde", entity: "work-orders")
        metrics.apiRequest(connection: "jde", status: "200")
        metrics.apiRequest(connection: "jde", status: "429")
        metrics.apiRequest(connection: "jde", status: "200")
        metrics.retry(connection: "jde", entity: "work-orders", code: "RATE_LIMITED")
        metrics.streamFinished(job: "plant", connection: "jde", entity: "work-orders", status: "success", duration: .seconds(42))
        metrics.lastSuccess(job: "plant", connection: "jde", entity: "work-orders", at: Date(timeIntervalSince1970: 1_800_000_000))
        metrics.freshness(job: "plant", connection: "jde", entity: "work-orders", lagSeconds: 12.5)
        return metrics
    }

    private func value(_ samples: [PrometheusTextParser.Sample], _ name: String, _ labels: [String: String]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    @Test func labelsFromServerCodesAreBoundedToTheKnownSet() throws {
        let known: Set<String> = ["RATE_LIMIT_EXCEEDED", "TIMEOUT"]
        #expect(MetricLabel.errorCode("RATE_LIMIT_EXCEEDED", known: known) == "RATE_LIMIT_EXCEEDED")
        #expect(MetricLabel.errorCode("HTTP_502", known: known) == "HTTP_502")
        for code in ["HTTP_999", "HTTP_50", "HTTP_5023", "HTTP_abc", "tok-secret-1234", "rate_limit_exceeded", "", "HTTP_502\"}"] {
            #expect(MetricLabel.errorCode(code, known: known) == "OTHER", "\(code)")
        }
        #expect(MetricLabel.status("200") == "200" && MetricLabel.status("transport") == "transport")
        #expect(MetricLabel.status("20x") == "OTHER" && MetricLabel.status("600") == "OTHER")

        let metrics = SyncMetrics()
        metrics.allowErrorCodes(known)
        for index in 0..<50 { metrics.retry(connection: "jde", entity: "assets", code: "server-chosen-\(index)") }
        metrics.retry(connection: "jde", entity: "assets", code: "TIMEOUT")
        let samples = try PrometheusTextParser.parse(metrics.render()).filter { $0.name == "makini_sync_retries_total" }
        #expect(Set(samples.compactMap { $0.labels["code"] }) == ["OTHER", "TIMEOUT"], "50 server codes, one series")
        #expect(value(samples, "makini_sync_retries_total", ["code": "OTHER"]) == 50)
    }

    @Test func renderParsesAsPrometheusTextAndHoldsTheCounts() throws {
        let text = recordedMetrics().render()
        let samples = try PrometheusTextParser.parse(text)
        let stream = ["job": "plant", "connection": "jde", "entity": "work-orders"]
        #expect(value(samples, "makini_sync_records_read_total", stream) == 300)
        #expect(value(samples, "makini_sync_records_written_total", stream.merging(["op": "inserted"]) { $1 }) == 200)
        #expect(value(samples, "makini_sync_records_written_total", stream.merging(["op": "updated"]) { $1 }) == 90)
        #expect(value(samples, "makini_sync_records_written_total", stream.merging(["op": "deleted"]) { $1 }) == 10)
        #expect(value(samples, "makini_sync_pages_total", stream) == 3)
        #expect(value(samples, "makini_sync_api_requests_total", ["connection": "jde", "status": "200"]) == 2)
        #expect(value(samples, "makini_sync_api_requests_total", ["connection": "jde", "status": "429"]) == 1)
        #expect(value(samples, "makini_sync_retries_total", ["entity": "work-orders", "code": "RATE_LIMITED"]) == 1)
        #expect(value(samples, "makini_sync_stream_duration_seconds_count", stream.merging(["status": "success"]) { $1 }) == 1)
        #expect(value(samples, "makini_sync_stream_duration_seconds_sum", stream) == 42)
        #expect(value(samples, "makini_sync_last_success_timestamp_seconds", stream) == 1_800_000_000)
        #expect(value(samples, "makini_sync_freshness_seconds", stream) == 12.5)
        #expect(text.contains("# TYPE makini_sync_records_read_total counter"))
        #expect(text.contains("# TYPE makini_sync_stream_duration_seconds histogram"))
        #expect(text.contains("# HELP makini_sync_pages_total "))
        let names = [MetricName.recordsRead, MetricName.recordsWritten, MetricName.pages, MetricName.apiRequests,
                     MetricName.retries, MetricName.streamDuration, MetricName.lastSuccess, MetricName.freshness]
        for name in names {
            #expect(text.contains("# TYPE \(name) "), "missing family \(name)")
        }
    }

    @Test func labelValuesAreEscaped() throws {
        let metrics = SyncMetrics()
        let awkward = "we\"ird\\name\nx"
        metrics.recordsRead(job: "plant", connection: "jde", entity: awkward, count: 7)
        let text = metrics.render()
        #expect(text.contains(#"entity="we\"ird\\name\nx""#))
        let samples = try PrometheusTextParser.parse(text)
        #expect(value(samples, "makini_sync_records_read_total", ["entity": awkward]) == 7)
    }

    @Test func validatorRejectsBrokenText() {
        #expect(throws: PrometheusTextParser.ParseError.self) {
            try PrometheusTextParser.parse("# TYPE a counter\na{x=\"unterminated} 1\n")
        }
        #expect(throws: PrometheusTextParser.ParseError.self) {
            try PrometheusTextParser.parse("undeclared_total 1\n")
        }
        #expect(throws: PrometheusTextParser.ParseError.self) {
            try PrometheusTextParser.parse("# TYPE a counter\na{x=\"1\"} one\n")
        }
    }

    @Test func textfileIsWrittenAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("obs-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("makini_sync.prom").path
        try "stale\n".write(toFile: path, atomically: false, encoding: .utf8)
        let metrics = recordedMetrics()
        try metrics.writeTextfile(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["makini_sync.prom"])
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == metrics.render())
        let samples = try PrometheusTextParser.parse(written)
        #expect(value(samples, "makini_sync_pages_total", ["job": "plant"]) == 3)
    }

    @Test func textfileInMissingDirectoryThrowsAndLeavesNothing() {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("obs-missing-\(UUID().uuidString)/m.prom").path
        #expect(throws: MetricsTextfileError.self) {
            try SyncMetrics().writeTextfile(to: path)
        }
        do {
            try SyncMetrics().writeTextfile(to: path)
        } catch {
            #expect(error.description.contains(path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
