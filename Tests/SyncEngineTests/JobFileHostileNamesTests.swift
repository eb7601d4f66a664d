import Foundation
import Logging
import Testing
@testable import SyncEngine
@testable import JobFiles

/// Hostile names in job files: whatever a file says, every name that reaches SQL passes `IdentifierRules`, and
/// `makini-sync validate` explains each hostile file with file:line:col and the configuration-error status.
@Suite("Job files: hostile names and the validate command")
struct JobFileHostileNamesTests {
    /// A file of the job-file fixtures (Tests/JobFilesTests/Fixtures/jobs).
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("JobFilesTests/Fixtures/jobs").appendingPathComponent(name).path
    }

    static let hostileNames = [
        "x'; DROP TABLE makini.sync_state; --", "plant\"; DELETE FROM assets; --", "a b", "a;b", "a'b", "a\"b", "a\\b",
        "assets; DROP TABLE users", "makini.sites", "pg_catalog.pg_class", "UPPER", "ünïcode", "j\u{43E}e", "pl\u{200B}ant",
        "a\u{202E}b", "$1", "a--b", "a/*b*/", "%s", "", " ", "-lead", "_lead", String(repeating: "a", count: 64),
        String(repeating: "b", count: 129), "valid-name", "valid_name", "plant.a", "work-orders", "x\u{0}y", "1abc", "{a}", "[a]",
    ]

    /// A job with `value` (YAML-quoted) in one of the name slots.
    static func job(slot: Int, value: String) -> String {
        let quoted = "\"" + value.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            default: return scalar.value < 0x20 ? String(format: "\\x%02X", scalar.value) : String(scalar)
            }
        }.joined() + "\""
        let name = slot == 0 ? quoted : "plain"
        let connection = slot == 1 ? quoted : "plant-a"
        let entity = slot == 2 ? quoted : "assets"
        let table = slot == 3 ? "\n    table: \(quoted)" : ""
        return """
            name: \(name)
            connections:
              - id: \(connection)
                token_env: MAKINI_TOKEN
            streams:
              - entity: \(entity)\(table)

            """
    }

    @Test("every name that reaches SQL passes IdentifierRules, or the file is refused at that name")
    func namesReachingSQLAreValidated() throws {
        var refused = 0
        for slot in 0..<4 {
            for value in Self.hostileNames {
                let text = Self.job(slot: slot, value: value)
                do {
                    let job = try JobFileLoader.load(yaml: text, path: "jobs/n.yaml")
                    #expect(job.identifierViolations.isEmpty, "slot \(slot) '\(value)': \(job.identifierViolations)")
                    let accepted = [job.name, job.connections.first?.id ?? "", job.streams.first?.entity ?? "", job.streams.first?.table ?? ""][slot]
                    #expect(accepted == value, "the name is taken as written, never rewritten into something else")
                } catch {
                    refused += 1
                    #expect(error.errors.contains { $0.line > 0 && $0.column > 0 }, "slot \(slot) '\(value)': \(error)")
                }
            }
        }
        #expect(refused >= 4 * 20, "most hostile names are refused")
    }

    @Test("identifierViolations names what breaks the rules")
    func violationsAreReported() {
        var job = JobSpec(
            name: "ok", sourcePath: "t", schedule: nil, api: APISettings(), connections: [
                ConnectionSpec(id: "plant'; --", credentials: .token(.environment("MAKINI_TOKEN"))),
            ], streams: [StreamSpec(entity: "assets", table: "assets; DROP TABLE x")], retry: RetrySettings())
        #expect(job.identifierViolations == ["connection 'plant'; --'", "table 'assets; DROP TABLE x'"])
        job.connections[0].id = "plant"
        job.streams[0].table = nil
        #expect(job.identifierViolations.isEmpty)
    }

    @Test("the runner refuses a job with unsafe names before it touches the warehouse")
    func runnerRefusesUnsafeNames() async throws {
        let job = JobSpec(
            name: "x'; DROP TABLE makini.sync_state; --", sourcePath: "t", schedule: nil, api: APISettings(),
            connections: [ConnectionSpec(id: "plant", credentials: .token(.environment("MAKINI_TOKEN")))],
            streams: [StreamSpec(entity: "assets", table: "assets; DROP TABLE x")], retry: RetrySettings())
        // No database at this URL: the refusal must come first, as a configuration error.
        let options = RunOptions(
            databaseURL: "postgresql://nobody@127.0.0.1:1/none", apiBaseURLOverride: "http://127.0.0.1:1", concurrency: 1,
            trigger: "test", stop: StopSignal(), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let report = await JobRunner(options: options).run(job)
        #expect(report.exitStatus == .configuration)
        #expect(report.message?.contains("job 'x'; DROP TABLE makini.sync_state; --'") == true)
        #expect(report.message?.contains("table 'assets; DROP TABLE x'") == true)
    }

    @Test("a file that is not UTF-8 names the line and column of its first invalid byte")
    func invalidUTF8IsLocated() {
        let path = Self.fixture("hostile/binary.yaml")
        #expect(throws: JobFileErrors(errors: [JobFileError(
            path: path, line: 1, column: 10, message: "the file is not UTF-8 text (an invalid byte here)")])) {
            try JobFileLoader.load(path: path)
        }
        #expect(JobFileLoader.firstInvalidUTF8(Array("ok: 1\nnä: \u{1F600}".utf8) + [0xC3]) == (2, 6))
    }

    @Test("makini-sync validate on the hostile corpus exits 78 and locates a problem in every file")
    func validateCommandOnTheCorpus() throws {
        let executable = DaemonProcessTests.executable
        #expect(FileManager.default.isExecutableFile(atPath: executable), "build the package first: \(executable)")
        let directory = Self.fixture("hostile")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["validate", directory]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78, "\(text.suffix(1_000))")
        let lines = text.split(separator: "\n").map(String.init)
        for file in files {
            let prefix = directory + "/" + file + ":"
            let located = lines.contains { line in
                guard line.hasPrefix(prefix) else { return false }
                let position = line.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
                return position.count == 3 && Int(position[0]).map { $0 > 0 } == true && Int(position[1]).map { $0 > 0 } == true
            }
            #expect(located, "\(file) has no file:line:col problem in:\n\(lines.filter { $0.hasPrefix(directory + "/" + file) }.joined(separator: "\n"))")
        }
        #expect(!lines.contains { $0.hasPrefix("ok ") }, "no hostile file validates")
        #expect(!text.contains("TOPSECRET"), "literal secrets are never echoed")
    }
}
