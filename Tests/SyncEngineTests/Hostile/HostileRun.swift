import Foundation
import LibPQ
import Logging
import SyncEngine
import JobFiles
import MakiniAPI

/// A job of one connection against a `HostileServer`, run in process through the job runner on a fresh migrated
/// database: the plumbing the slow-server and credential tests share.
struct HostileRun {
    let server: HostileServer
    let databaseURL: String
    let directory: String

    static func start(answer: @escaping @Sendable (ReceivedRequest) -> HostileAnswer) async throws -> HostileRun {
        HostileRun(
            server: try await HostileServer.start(answer: answer),
            databaseURL: try await SyncHarness.migratedDatabase(prefix: "hostile"), directory: try SyncHarness.secretDirectory())
    }

    /// A file in the run's directory holding `contents`, mode 600.
    func file(_ name: String, _ contents: String) -> String {
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    /// Runs a job syncing `assets` of connection `connection` with `credentials`; `timeout` is `api.timeout`.
    func run(
        connection: String, credentials: CredentialSource, timeoutSeconds: Double = 1, maxAttempts: Int = 2, pageSize: Int = 10,
        stream: StreamSpec = StreamSpec(entity: "assets")
    ) async -> JobRunReport {
        let job = JobSpec(
            name: "hostile", sourcePath: "test", schedule: nil,
            // No connection check: these servers answer every path like a list, and the tests count requests.
            api: APISettings(pageSize: pageSize, maxRequestsPerSecond: 1000, requestTimeoutSeconds: timeoutSeconds, checkConnection: false),
            connections: [ConnectionSpec(id: connection, credentials: credentials)], streams: [stream],
            retry: RetrySettings(maxAttempts: maxAttempts, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 1, budgetSeconds: 120))
        let options = RunOptions(
            databaseURL: databaseURL, apiBaseURLOverride: server.baseURL, trigger: "test",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return await JobRunner(options: options).run(job)
    }

    /// The first column of every row `sql` returns from the run's database.
    func column(_ sql: String) async throws -> [String?] {
        let session = try await DatabaseSession.connect(url: databaseURL)
        defer { Task { await session.close() } }
        return try await session.run { try $0.execute(sql).rows.map { $0[0] } }
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
