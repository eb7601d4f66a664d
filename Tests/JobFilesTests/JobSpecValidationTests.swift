import Foundation
import Testing
@testable import JobFiles

@Suite("JobSpec validation and directories")
struct JobSpecValidationTests {
    @Test("loadDirectory refuses a job name used by two files, naming both")
    func duplicateNamesAcrossFiles() {
        let directory = JobSpecFixtures.path("duplicate-names")
        #expect(throws: JobFileErrors(errors: [JobFileError(
            path: directory + "/b.yaml", line: 3, column: 1,
            message: "duplicate job name 'same-job': also defined in \(directory)/a.yaml; job names must be unique")])) {
            try JobFileLoader.loadDirectory(directory)
        }
    }

    @Test("validate reports each file: ok with a summary, or its errors")
    func validateMixedPaths() throws {
        let outcomes = JobValidation.validate(paths: [
            JobSpecFixtures.exampleJobsDirectory,
            JobSpecFixtures.path("hostile/truncated.yaml"),
            JobSpecFixtures.path("missing.yaml"),
        ])
        #expect(outcomes.map(\.isValid) == [true, true, false, false])
        #expect(outcomes[0].path == JobSpecFixtures.exampleJobsDirectory + "/ioffice-hq.yaml")
        #expect(outcomes[1].report.hasPrefix("ok \(JobSpecFixtures.exampleJobsDirectory)/jde-plant-a.yaml: jde-plant-a: 1 connection (jde-plant-a), 4 streams"))
        #expect(outcomes[2].errors.map { "\($0.line):\($0.column)" } == ["5:1"])
        #expect(outcomes[3].report == JobSpecFixtures.path("missing.yaml") + ": no such file")
    }

    @Test("validate marks the second of two jobs with one name, and empty directories")
    func validateDuplicatesAndEmptyDirectory() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("jobspec-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let outcomes = JobValidation.validate(paths: [JobSpecFixtures.path("duplicate-names"), empty])
        #expect(outcomes.map(\.isValid) == [true, false, false])
        #expect(outcomes[1].errors.map(\.description) == [
            "\(JobSpecFixtures.path("duplicate-names"))/b.yaml:3:1: duplicate job name 'same-job': also defined in "
                + "\(JobSpecFixtures.path("duplicate-names"))/a.yaml; job names must be unique",
        ])
        #expect(outcomes[2].report == "\(empty): no *.yaml or *.yml job files in this directory")
    }

    @Test("directory listing: sorted .yaml and .yml files, hidden files and other extensions skipped")
    func directoryListing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobspec-list-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let job = "connections: [{id: a, token_env: A}]\nstreams: [assets]\n"
        for name in ["b.yml", "a.yaml", ".hidden.yaml", "notes.txt", "c.yaml.bak"] {
            try job.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let jobs = try JobFileLoader.loadDirectory(directory)
        #expect(jobs.map(\.name) == ["a", "b"])
        #expect(jobs.map(\.sourcePath) == [directory + "/a.yaml", directory + "/b.yml"])
    }
}
