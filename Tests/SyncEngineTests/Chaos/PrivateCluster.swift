import Foundation
import LibPQ
import LocalPostgres
import Logging
import MakiniSimulator
import Warehouse

/// A ThrowawayPostgres of the test's own (never the shared one), for tests that restart PostgreSQL or change its
/// authentication. Stopped with `stop()`; its watchdog removes it if the test process dies.
struct PrivateCluster: Sendable {
    let cluster: ThrowawayPostgres

    static func start() async throws -> PrivateCluster {
        PrivateCluster(cluster: try await offPool { try ThrowawayPostgres.start() })
    }

    /// Creates a database and applies the migrations; returns its URL (Unix socket, trust auth).
    func migratedDatabase(_ name: String) async throws -> String {
        let admin = try await DatabaseSession.connect(url: cluster.url())
        _ = try await admin.run { try $0.execute("CREATE DATABASE \(name)") }
        await admin.close()
        let url = cluster.url(database: name)
        let session = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(session)
        await session.close()
        return url
    }

    /// `pg_ctl restart -m fast`: every session is cut, the server comes back.
    func restart() async throws {
        let cluster = self.cluster
        try await offPool { try cluster.restart() }
    }

    /// A PostgreSQL outage: the server is stopped until `startAgain()`.
    func stopServer() async throws {
        let cluster = self.cluster
        try await offPool { try cluster.stopServer() }
    }

    func startAgain() async throws {
        let cluster = self.cluster
        try await offPool { try cluster.startAgain() }
    }

    func stop() async {
        let cluster = self.cluster
        _ = try? await offPool { cluster.stop() }
    }
}

extension SyncHarness {
    /// A harness whose warehouse is `databaseURL` (already migrated) instead of a database on the shared cluster.
    static func start(_ configuration: SimulatorConfiguration, databaseURL: String) async throws -> SyncHarness {
        let server = try await SimulatorServer.start(configuration, logger: Logger(label: "sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        return SyncHarness(server: server, databaseURL: databaseURL, secretDirectory: try secretDirectory())
    }

    /// Writes `jobs/NAME.yaml` under the harness's secret directory and returns the jobs directory.
    func writeJob(_ name: String, _ yaml: String) throws -> String {
        let jobs = secretDirectory + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
        try yaml.write(toFile: jobs + "/\(name).yaml", atomically: true, encoding: .utf8)
        return jobs
    }
}
