import Foundation
import Logging
import Testing
@testable import Observability
import Redaction

@Suite("Logging")
struct LoggingTests {
    private func logger(_ format: LogFormat, level: Logger.Level = .debug, into collector: LineCollector) -> Logger {
        let output = collector.output
        return Logger(label: "makini.test") { label in
            LogSetup.makeHandler(label: label, format: format, level: level, output: output)
        }
    }

    private func parseJSON(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonLinesParseWithExpectedKeys() throws {
        let collector = LineCollector()
        var log = logger(.json, into: collector)
        log[metadataKey: "job"] = "plant"
        log.info("page \"3\" done\nnext", metadata: [
            "connection": "jde", "entity": "work-orders", "run_id": "r-17", "code": "RATE_LIMITED",
            "request_id": "req_1", "http": ["status": "429"],
        ])
        log.warning("second")
        let lines = collector.lines
        #expect(lines.count == 2)
        let first = try parseJSON(lines[0])
        #expect(first["level"] as? String == "info")
        #expect(first["message"] as? String == "page \"3\" done\nnext")
        #expect(first["label"] as? String == "makini.test")
        #expect(first["job"] as? String == "plant")
        #expect(first["connection"] as? String == "jde")
        #expect(first["entity"] as? String == "work-orders")
        #expect(first["run_id"] as? String == "r-17")
        #expect(first["code"] as? String == "RATE_LIMITED")
        #expect(first["request_id"] as? String == "req_1")
        #expect(first["http.status"] as? String == "429")
        let time = try #require(first["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "time was \(time)")
        let second = try parseJSON(lines[1])
        #expect(second["level"] as? String == "warning")
        #expect(second["job"] as? String == "plant")
    }

    @Test func jsonNumbersAndBooleansAreJSONNumbersAndBooleans() throws {
        let collector = LineCollector()
        let log = logger(.json, into: collector)
        log.info("stream finished", metadata: [
            "records": .stringConvertible(5021), "duration_s": .stringConvertible(1.25), "full": .stringConvertible(true),
            "request_id": "12345", "nan": .stringConvertible(Double.nan),
        ])
        let line = try #require(collector.lines.first)
        let object = try parseJSON(line)
        #expect(object["records"] as? Int == 5021)
        #expect(line.contains("\"records\":5021"))
        #expect(object["duration_s"] as? Double == 1.25)
        #expect(object["full"] as? Bool == true)
        #expect(object["request_id"] as? String == "12345", "an id stays a string")
        #expect(object["nan"] as? String == "nan", "not a JSON number: quoted")
    }

    @Test func textLogsOnATerminalDefaultToNoticeUnlessALevelIsAsked() {
        #expect(LogLevelChoice.level(explicit: nil, format: .text, quietOnTerminal: true) == .notice)
        #expect(LogLevelChoice.level(explicit: nil, format: .json, quietOnTerminal: true) == .info)
        #expect(LogLevelChoice.level(explicit: nil, format: .text, quietOnTerminal: false) == .info)
        #expect(LogLevelChoice.level(explicit: .debug, format: .text, quietOnTerminal: true) == .debug)
        #expect(LogLevelChoice.level(explicit: nil, format: .text, quietOnTerminal: true, fallback: .error) == .error)
    }

    @Test func textLineShowsTimeLevelMetadataAndMessage() {
        let collector = LineCollector()
        let log = logger(.text, into: collector)
        log.info("synced", metadata: ["entity": "work-orders", "connection": "jde", "job": "plant", "note": "two words"])
        let line = collector.lines.first ?? ""
        let pattern = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z info job=plant connection=jde entity=work-orders note="two words": synced/
        #expect(line.wholeMatch(of: pattern) != nil, "line was \(line)")
    }

    @Test(arguments: LogFormat.allCases)
    func secretsNeverAppear(format: LogFormat) {
        let registered = "reg-secret-\(format.rawValue)-9f8e7d"
        SecretRedactor.register(registered)
        let collector = LineCollector()
        let log = logger(format, into: collector)
        log.error("refresh failed with \(registered) in the message", metadata: [
            "token": "meta-token-value-123",
            "Authorization": "Bearer header-value-456",
            "client-secret": "client-secret-789",
            "auth": ["refresh_token": "nested-refresh-000"],
            "url": "https://api.example/v4?x=\(registered)",
            "list": [["password": "listed-password-111"]],
        ])
        let output = collector.text
        for secret in [registered, "meta-token-value-123", "header-value-456", "client-secret-789",
                       "nested-refresh-000", "listed-password-111"] {
            #expect(!output.contains(secret), "\(format) output leaked \(secret): \(output)")
        }
        #expect(output.contains("***"))
        #expect(output.contains("https://api.example/v4?x=***"))
    }

    @Test func levelsFilter() {
        let collector = LineCollector()
        let log = logger(.json, level: .warning, into: collector)
        log.debug("debug line")
        log.info("info line")
        log.warning("warning line")
        log.error("error line")
        let output = collector.text
        #expect(!output.contains("debug line"))
        #expect(!output.contains("info line"))
        #expect(output.contains("warning line"))
        #expect(output.contains("error line"))
        #expect(collector.lines.count == 2)
    }

    @Test func fileOutputAppendsLines() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("obs-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sync.log").path
        try "existing line\n".write(toFile: path, atomically: false, encoding: .utf8)
        let log = Logger(label: "file") { LogSetup.makeHandler(label: $0, format: .json, level: .info, output: .file(path)) }
        log.info("appended")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "existing line")
        #expect(lines.last?.contains("\"message\":\"appended\"") == true)
    }
}
