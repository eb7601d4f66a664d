import Foundation
import Testing
@testable import JobFiles
import MakiniSimulator

/// Hostile job files: each gives errors (never a crash, a hang or a job), and messages stay printable.
@Suite("JobSpec hostile input")
struct JobSpecHostileInputTests {
    private static let corpus: [String] = (try? FileManager.default.contentsOfDirectory(
        atPath: JobSpecFixtures.path("hostile")))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    private func loadErrors(yaml: String, path: String = "jobs/h.yaml") -> [JobFileError]? {
        do {
            _ = try JobFileLoader.load(yaml: yaml, path: path)
            return nil
        } catch {
            return error.errors
        }
    }

    @Test("the corpus is present")
    func corpusPresent() {
        #expect(Self.corpus.count >= 12)
    }

    @Test("every corpus file is rejected with positioned, printable errors", arguments: corpus)
    func corpusFile(name: String) throws {
        let path = JobSpecFixtures.path("hostile/" + name)
        do {
            let job = try JobFileLoader.load(path: path)
            Issue.record("\(name) loaded as job \(job.name)")
        } catch {
            #expect(!error.errors.isEmpty)
            for problem in error.errors {
                #expect(problem.path == path)
                #expect(problem.line >= 0 && problem.column >= 0)
                #expect(problem.description.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F || $0 == "…" },
                        "unprintable text in \(problem.description)")
                #expect(!problem.message.contains("TOPSECRET"))
            }
        }
    }

    @Test("alias bombs are refused before they are expanded")
    func aliasBomb() throws {
        let path = JobSpecFixtures.path("hostile/alias-bomb.yaml")
        let errors = try #require(loadErrors(yaml: try String(contentsOfFile: path, encoding: .utf8)))
        #expect(errors.map(\.description) == [
            "jobs/h.yaml:1:4: YAML anchors ('&name') are not allowed in a job file; write each value out where it is used",
            "jobs/h.yaml:2:8: YAML aliases ('*name') are not allowed in a job file; write the value out (text that starts with '*' or follows ', *' must be quoted and must not look like an alias)",
        ])
    }

    @Test("an alias hidden after a quoted '#' is still found")
    func aliasAfterQuotedHash() throws {
        let errors = try #require(loadErrors(yaml: "x: &a [1]\ny: [\"a #\", *a]\n"))
        #expect(errors.map { "\($0.line):\($0.column)" } == ["1:4", "2:12"])
    }

    @Test("SQL fragments in names, ids and tables are rejected by the identifier rules")
    func sqlFragments() throws {
        let path = JobSpecFixtures.path("hostile/sql-fragments.yaml")
        let errors = try #require(loadErrors(yaml: try String(contentsOfFile: path, encoding: .utf8)))
        #expect(errors.map { "\($0.line):\($0.column)" } == ["1:7", "3:9", "7:12", "9:12", "10:13"])
        #expect(errors[0].message.hasPrefix("invalid job name 'x'; DROP TABLE makini.sync_state; --'"))
        #expect(errors[2].message.hasPrefix("invalid table name 'assets; DROP TABLE users'"))
        #expect(errors[3].message.hasPrefix("invalid table name 'makini.sites'"))
    }

    @Test("look-alike and invisible unicode is escaped in messages")
    func oddUnicode() throws {
        let errors = try #require(try? loadErrorsFromFile("hostile/odd-unicode.yaml"))
        let messages = errors.map(\.message)
        #expect(messages.contains { $0.hasPrefix("invalid job name 'j\\u{43E}e'") })
        #expect(messages.contains { $0.hasPrefix("invalid connection id 'pl\\u{200B}ant'") })
        #expect(messages.contains("unknown entity '\\u{430}ssets'; did you mean 'assets'?"))
    }

    private func loadErrorsFromFile(_ name: String) throws -> [JobFileError] {
        try #require(loadErrors(yaml: try String(contentsOfFile: JobSpecFixtures.path(name), encoding: .utf8)))
    }

    @Test("deep block nesting, too many nodes and oversized files are refused")
    func resourceBounds() throws {
        var deep = "streams:\n"
        for level in 1...1100 { deep += String(repeating: " ", count: level) + "k\(level):\n" }
        let deepErrors = try #require(loadErrors(yaml: deep))
        #expect(!deepErrors.isEmpty)

        let manyNodes = "connections: [" + String(repeating: "a,", count: 150_000) + "a]\nstreams: [assets]\n"
        let nodeErrors = try #require(loadErrors(yaml: manyNodes))
        #expect(nodeErrors.map(\.message) == ["a job file may hold at most 100000 YAML values"])

        let oversized = "# " + String(repeating: "x", count: JobYAMLDocument.maximumBytes) + "\n"
        let sizeErrors = try #require(loadErrors(yaml: oversized))
        #expect(sizeErrors.map(\.description) == [
            "jobs/h.yaml: file is \(oversized.utf8.count) bytes; job files are limited to 1048576 bytes (1 MiB)",
        ])
    }

    @Test("an oversized file on disk is refused without reading it all")
    func oversizedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.yaml").path
        try Data(count: 3 * 1024 * 1024).write(to: URL(fileURLWithPath: path))
        #expect(throws: JobFileErrors(errors: [JobFileError(
            path: path, line: 0, column: 0, message: "file is larger than 1048576 bytes; job files are limited to 1 MiB")])) {
            try JobFileLoader.load(path: path)
        }
    }

    @Test("2,000 seeded mutations of a valid file never crash and always load or explain")
    func randomizedMutations() throws {
        let original = try String(contentsOfFile: JobSpecFixtures.path("valid/full.yaml"), encoding: .utf8)
        var random = SplitMix64(seed: 0x6A6F_6273_7065_63)
        var loaded = 0
        var rejected = 0
        for iteration in 0..<2000 {
            let mutated = JobFileMutator.mutate(original, using: &random)
            do {
                let job = try JobFileLoader.load(yaml: mutated, path: "jobs/m.yaml")
                #expect(!job.connections.isEmpty && !job.streams.isEmpty, "iteration \(iteration)")
                #expect(job.streams.allSatisfy { IdentifierRules.isTableName($0.defaultTable) }, "iteration \(iteration)")
                loaded += 1
            } catch {
                #expect(!error.errors.isEmpty, "iteration \(iteration)")
                #expect(error.errors.allSatisfy { $0.path == "jobs/m.yaml" && $0.line >= 0 && !$0.message.isEmpty })
                rejected += 1
            }
        }
        #expect(loaded + rejected == 2000)
        #expect(rejected > 200, "mutations should break the file often")
        #expect(loaded > 20, "some mutations should keep it valid")
    }
}

/// Byte- and line-level mutations of YAML text: deletions, insertions of YAML-significant characters,
/// duplicated, swapped and truncated lines, and hostile values.
enum JobFileMutator {
    private static let fragments = [
        "*", "&", "&a ", "*a", "[", "]", "{", "}", ":", ": ", "- ", "#", "'", "\"", "\t", "\n", "|", ">", "!", "!!str ",
        "%", "@", "`", "?", ",", "\\", "\u{0}", "\u{202E}", "é", "🔥", "999999999999999999999", "-1", "1e400", "nan",
        "; DROP TABLE x; --", "token: s3cr3t", "~", "null", "---\n", "...\n", "<<: ", "0x1F", "true",
    ]

    static func mutate(_ text: String, using random: inout SplitMix64) -> String {
        var scalars = Array(text.unicodeScalars)
        let count = Int.random(in: 1...4, using: &random)
        for _ in 0..<count {
            switch Int.random(in: 0..<7, using: &random) {
            case 0 where !scalars.isEmpty:
                let start = Int.random(in: 0..<scalars.count, using: &random)
                let length = min(Int.random(in: 1...12, using: &random), scalars.count - start)
                scalars.removeSubrange(start..<(start + length))
            case 1:
                let position = Int.random(in: 0...scalars.count, using: &random)
                let fragment = fragments[Int.random(in: 0..<fragments.count, using: &random)]
                scalars.insert(contentsOf: fragment.unicodeScalars, at: position)
            case 2:
                scalars = Array(mutateLines(String(String.UnicodeScalarView(scalars)), using: &random).unicodeScalars)
            case 3 where !scalars.isEmpty:
                let end = Int.random(in: 0..<scalars.count, using: &random)
                scalars = Array(scalars[..<end])
            case 4 where !scalars.isEmpty:
                let position = Int.random(in: 0..<scalars.count, using: &random)
                scalars[position] = Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &random))
            case 5:
                let lines = String(String.UnicodeScalarView(scalars)).split(separator: "\n", omittingEmptySubsequences: false)
                var copy = lines
                let index = Int.random(in: 0..<lines.count, using: &random)
                copy.insert(lines[index], at: index)
                scalars = Array(copy.joined(separator: "\n").unicodeScalars)
            default:
                break
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    private static func mutateLines(_ text: String, using random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 1 else { return text }
        let first = Int.random(in: 0..<lines.count, using: &random)
        let second = Int.random(in: 0..<lines.count, using: &random)
        if Bool.random(using: &random) {
            lines.swapAt(first, second)
        } else {
            lines[first] = String(repeating: " ", count: Int.random(in: 0...6, using: &random))
                + lines[first].trimmingCharacters(in: .whitespaces)
        }
        return lines.joined(separator: "\n")
    }
}
