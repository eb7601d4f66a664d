import Foundation
import SyncEngine
import Testing

/// Credentials that must be refused before anything is sent: each is a configuration error (exit 78) whose message
/// names the connection, the file and the rule, and never the secret.
@Suite("Hostile credentials: refused before sending, named, never shown")
struct CredentialRefusalTests {
    @Test func aTokenWithALineBreakIsNeverSentAndNeverShown() async throws {
        let hostile = try await HostileRun.start { _ in .respond(status: 200, headers: [], body: Array("{\"data\":[]}".utf8)) }
        defer { Task { await hostile.stop() } }
        let token = hostile.file("crlf.token", "crlf-token-value\r\nX-Injected: crlf-injected-value\n")
        let report = await hostile.run(connection: "crlf", credentials: .token(.file(token)))
        let message = try #require(report.streams.first?.record.lastErrorMessage)
        #expect(report.exitStatus == .configuration)
        #expect(report.streams.first?.record.lastErrorCode == "SECRET_UNAVAILABLE")
        #expect(message.contains("connection crlf") && message.contains(token) && message.contains("line break"), "\(message)")
        #expect(!message.contains("crlf-token-value") && !message.contains("crlf-injected-value"))
        #expect(hostile.server.requests.isEmpty, "nothing was sent")
    }

    @Test func procSelfEnvironIsRefusedAsATokenFile() async throws {
        setenv("MAKINI_HOSTILE_ENVIRON_MARKER", "environ-marker-secret-value", 1)
        let hostile = try await HostileRun.start { _ in .respond(status: 200, headers: [], body: Array("{\"data\":[]}".utf8)) }
        defer { Task { await hostile.stop() } }
        let report = await hostile.run(connection: "environ", credentials: .token(.file("/proc/self/environ")))
        let message = try #require(report.streams.first?.record.lastErrorMessage)
        #expect(report.exitStatus == .configuration)
        #expect(message.contains("/proc/self/environ") && (message.contains("pseudo-file") || message.contains("larger than")), "\(message)")
        #expect(!message.contains("environ-marker-secret-value"))
        #expect(hostile.server.requests.isEmpty)
    }

    @Test func tokenFilesBreakingARuleAreConfigurationErrorsNamingFileAndRule() async throws {
        let hostile = try await HostileRun.start { _ in .respond(status: 200, headers: [], body: Array("{\"data\":[]}".utf8)) }
        defer { Task { await hostile.stop() } }
        let open = hostile.file("open.token", "open-token-value")
        chmod(open, 0o640)
        let large = hostile.file("large.token", String(repeating: "L", count: 100_000))
        let directory = hostile.directory + "/a-directory"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        var cases = [(open, "wider than 600"), (large, "larger than"), (directory, "a directory")]
        if geteuid() == 0 {
            let foreign = hostile.file("foreign.token", "foreign-token-value")
            chown(foreign, 65534, 65534)
            cases.append((foreign, "owned by uid 65534"))
        }
        for (path, rule) in cases {
            let report = await hostile.run(connection: "files", credentials: .token(.file(path)))
            let message = report.streams.first?.record.lastErrorMessage ?? ""
            #expect(report.exitStatus == .configuration, "\(path)")
            #expect(message.contains("connection files") && message.contains(path) && message.contains(rule), "\(message)")
            #expect(!message.contains("token-value") && !message.contains("LLLL"))
        }
        #expect(hostile.server.requests.isEmpty)
    }
}
