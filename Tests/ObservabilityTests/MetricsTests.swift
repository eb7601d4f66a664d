import Foundation
import PrometheusTestSupport
import Testing
@testable import Observability

/// The Prometheus text format writer. What the engine reports (values, families) is tested in SyncEngineTests
/// against real runs; here only the format: families, escaping, histograms, special values, the atomic textfile.
@Suite("Prometheus exposition")
struct MetricsTests {
    private func sample() -> PrometheusExposition {
        var out = PrometheusExposition()
        out.declare("demo_events_total", .counter, help: "Events.")
        out.declare("demo_age_seconds", .gauge, help: "Age, +Inf when unknown.")
        out.declare("demo_duration_seconds", .histogram, help: "Durations.")
        out.declare("demo_unused", .gauge, help: "Never sampled.")
        out.add("demo_events_total", labels: [("job", "plant"), ("status", "200")], value: 1_234_567)
        out.add("demo_age_seconds", labels: [("job", "plant")], value: 12.25)
        out.add("demo_age_seconds", labels: [("job", "never")], value: .infinity)
        out.addHistogram(
            "demo_duration_seconds", labels: [("job", "plant")], bounds: [1, 5], bucketCounts: [2, 3], count: 4, sum: 21.5)
        return out
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
        #expect(MetricLabel.status("cancelled") == "cancelled")
        #expect(MetricLabel.status("20x") == "OTHER" && MetricLabel.status("600") == "OTHER")
    }

    @Test func renderParsesAndKeepsValuesExact() throws {
        let text = sample().render()
        let samples = try PrometheusTextParser.parse(text)
        #expect(value(samples, "demo_events_total", ["status": "200"]) == 1_234_567)
        #expect(text.contains("demo_events_total{job=\"plant\",status=\"200\"} 1234567\n"), "integers print without a fraction")
        #expect(value(samples, "demo_age_seconds", ["job": "plant"]) == 12.25)
        #expect(value(samples, "demo_age_seconds", ["job": "never"]) == .infinity)
        #expect(value(samples, "demo_duration_seconds_bucket", ["le": "1"]) == 2)
        #expect(value(samples, "demo_duration_seconds_bucket", ["le": "5"]) == 3)
        #expect(value(samples, "demo_duration_seconds_bucket", ["le": "+Inf"]) == 4)
        #expect(value(samples, "demo_duration_seconds_sum", [:]) == 21.5)
        #expect(value(samples, "demo_duration_seconds_count", [:]) == 4)
        #expect(text.contains("# TYPE demo_duration_seconds histogram\n"))
        #expect(text.contains("# HELP demo_events_total Events.\n# TYPE demo_events_total counter\n"))
        #expect(!text.contains("demo_unused"), "a family without samples is left out")
    }

    @Test func labelValuesAreEscaped() throws {
        var out = PrometheusExposition()
        out.declare("demo_total", .counter, help: "a \\ help\nline")
        let awkward = "we\"ird\\name\nx"
        out.add("demo_total", labels: [("entity", awkward)], value: 7)
        let text = out.render()
        #expect(text.contains(#"entity="we\"ird\\name\nx""#))
        #expect(text.contains("# HELP demo_total a \\\\ help\\nline\n"))
        let samples = try PrometheusTextParser.parse(text)
        #expect(value(samples, "demo_total", ["entity": awkward]) == 7)
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
        let metrics = sample()
        try metrics.writeTextfile(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["makini_sync.prom"])
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == metrics.render())
    }

    @Test func textfileInMissingDirectoryThrowsAndLeavesNothing() {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("obs-missing-\(UUID().uuidString)/m.prom").path
        #expect(throws: MetricsTextfileError.self) {
            try PrometheusExposition().writeTextfile(to: path)
        }
        do {
            try PrometheusExposition().writeTextfile(to: path)
        } catch {
            #expect(error.description.contains(path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
