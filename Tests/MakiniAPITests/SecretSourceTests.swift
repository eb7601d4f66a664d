import Foundation
import Testing
@testable import MakiniAPI

@Suite("Secrets and the refresh-token file")
struct SecretSourceTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "makini-secret-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func writeFile(_ name: String, _ contents: String, mode: Int) throws -> String {
        let path = "\(directory)/\(name)"
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func readsEnvironmentVariablesTrimmed() throws {
        #expect(try SecretSource.environment("TOKEN").read(environment: ["TOKEN": " abc\n"]) == "abc")
        let error = try #require(throws: SecretError.self) { try SecretSource.environment("MISSING_TOKEN").read(environment: [:]) }
        #expect(error == .environmentVariableMissing(name: "MISSING_TOKEN"))
        #expect(error.description.contains("MISSING_TOKEN"))
        #expect(throws: SecretError.empty(source: "environment variable EMPTY")) { try SecretSource.environment("EMPTY").read(environment: ["EMPTY": "  "]) }
    }

    @Test func readsAPrivateFile() throws {
        let path = try writeFile("token", "secret-value-1\n", mode: 0o600)
        #expect(try SecretSource.file(path).read(environment: [:]) == "secret-value-1")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o700 | 0o070])
    func refusesAFileOpenToGroupOrOthers(mode: Int) throws {
        let path = try writeFile("open-\(mode)", "secret-value-2", mode: mode)
        let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
        guard case .fileTooOpen(let reportedPath, _) = error else {
            Issue.record("expected fileTooOpen, got \(error)")
            return
        }
        #expect(reportedPath == path)
        #expect(error.description.contains("chmod 600 \(path)"))
        #expect(!error.description.contains("secret-value-2"))
    }

    @Test func missingFileIsReportedWithItsPath() throws {
        let path = "\(directory)/absent"
        let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
        #expect(error.description.contains(path))
    }

    @Test func rewritesTheRefreshTokenFileAtomicallyWithMode600() throws {
        let path = try writeFile("refresh", "old-refresh-token\n", mode: 0o600)
        try SecretFiles.writePrivateFileAtomically(path, contents: "new-refresh-token")
        #expect(try SecretSource.file(path).read(environment: [:]) == "new-refresh-token")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func atomicRewriteReplacesAnOpenFileByANewPrivateOne() throws {
        let path = try writeFile("refresh-open", "old", mode: 0o644)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        try SecretFiles.writePrivateFileAtomically(path, contents: "rotated")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(attributes[.systemFileNumber] as? NSNumber != before)
        #expect(try SecretSource.file(path).read(environment: [:]) == "rotated")
    }

    @Test func atomicRewriteFailureLeavesTheOldFileAndNamesThePath() throws {
        let missingDirectory = "\(directory)/no-such-dir/refresh"
        let error = try #require(throws: SecretError.self) { try SecretFiles.writePrivateFileAtomically(missingDirectory, contents: "x") }
        #expect(error.description.contains("no-such-dir"))
    }
}
