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

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o700 | 0o070, 0o700, 0o4600, 0o610])
    func refusesAFileWiderThan600(mode: Int) throws {
        let path = try writeFile("open-\(mode)", "secret-value-2", mode: mode)
        let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
        #expect(error == .fileRefused(path: path, rule: .modeWiderThan600(mode: UInt32(mode))))
        #expect(error.description.contains("chmod 600 \(path)"))
        #expect(error.description.contains("wider than 600"))
        #expect(!error.description.contains("secret-value-2"))
    }

    @Test(arguments: [0o600, 0o400])
    func acceptsAFileOnlyItsOwnerMayRead(mode: Int) throws {
        let path = try writeFile("private-\(mode)", "secret-value-3\n", mode: mode)
        #expect(try SecretSource.file(path).read(environment: [:]) == "secret-value-3")
        let link = "\(directory)/link-\(mode)"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(try SecretSource.file(link).read(environment: [:]) == "secret-value-3", "a link to a good file is followed")
    }

    @Test func refusesWhatIsNotARegularFile() throws {
        let fifo = "\(directory)/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let subdirectory = "\(directory)/sub"
        try FileManager.default.createDirectory(atPath: subdirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        for (path, kind) in [(fifo, "a FIFO"), (subdirectory, "a directory"), ("/dev/zero", "a character device")] {
            let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
            #expect(error == .fileRefused(path: path, rule: .notARegularFile(kind: kind)), "\(path)")
            #expect(error.description.contains(path) && error.description.contains("must be a regular file"))
        }
    }

    @Test func refusesProcSelfEnviron() throws {
        // Mode 0400, owned by the running user, a "regular file" to stat: only its size gives it away.
        setenv("MAKINI_SECRET_TEST_MARKER", "environ-marker-value", 1)
        let error = try #require(throws: SecretError.self) { try SecretSource.file("/proc/self/environ").read(environment: [:]) }
        #expect(error == .fileRefused(path: "/proc/self/environ", rule: .pseudoFile) || error == .fileRefused(path: "/proc/self/environ", rule: .largerThan(limit: SecretFileRule.maxBytes)))
        #expect(error.description.contains("/proc/self/environ"))
        #expect(!error.description.contains("environ-marker-value"))
    }

    @Test func refusesAFileLargerThanTheLimitWithoutReadingItAll() throws {
        let path = try writeFile("large", String(repeating: "x", count: SecretFileRule.maxBytes + 1), mode: 0o600)
        let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
        #expect(error == .fileRefused(path: path, rule: .largerThan(limit: SecretFileRule.maxBytes)))
        #expect(error.description.contains("larger than \(SecretFileRule.maxBytes) bytes"))
        let fits = try writeFile("fits", String(repeating: "y", count: SecretFileRule.maxBytes), mode: 0o600)
        #expect(try SecretSource.file(fits).read(environment: [:]).utf8.count == SecretFileRule.maxBytes)
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
    func refusesAFileOwnedByAnotherUser() throws {
        let path = try writeFile("foreign", "secret-value-4", mode: 0o600)
        #expect(chown(path, 65534, 65534) == 0)
        let error = try #require(throws: SecretError.self) { try SecretSource.file(path).read(environment: [:]) }
        #expect(error == .fileRefused(path: path, rule: .ownedByAnotherUser(owner: 65534, runningUser: 0)))
        #expect(error.description.contains("owned by uid 65534"))
        #expect(chown(path, 0, 0) == 0)
        #expect(try SecretSource.file(path).read(environment: [:]) == "secret-value-4", "root's own files are fine")
    }

    @Test func theRulesAreDecidedFromStatAlone() {
        let regular: UInt32 = 0o100000
        #expect(SecretFileRule.check(mode: regular | 0o600, owner: 1000, size: 10, runningUser: 1000) == nil)
        #expect(SecretFileRule.check(mode: regular | 0o400, owner: 0, size: 10, runningUser: 1000) == nil)
        #expect(SecretFileRule.check(mode: regular | 0o600, owner: 1001, size: 10, runningUser: 1000) == .ownedByAnotherUser(owner: 1001, runningUser: 1000))
        #expect(SecretFileRule.check(mode: regular | 0o640, owner: 1000, size: 10, runningUser: 1000) == .modeWiderThan600(mode: 0o640))
        #expect(SecretFileRule.check(mode: regular | 0o600, owner: 1000, size: 1 << 31, runningUser: 1000) == .largerThan(limit: SecretFileRule.maxBytes))
        #expect(SecretFileRule.check(mode: 0o140000 | 0o600, owner: 1000, size: 0, runningUser: 1000) == .notARegularFile(kind: "a socket"))
        #expect(SecretFileRule.check(readCount: 10, statSize: 10) == nil)
        #expect(SecretFileRule.check(readCount: 300, statSize: 0) == .pseudoFile)
        #expect(SecretFileRule.check(readCount: SecretFileRule.maxBytes + 1, statSize: 0) == .largerThan(limit: SecretFileRule.maxBytes))
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
