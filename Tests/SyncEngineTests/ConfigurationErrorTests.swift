import Foundation
import MakiniSimulator
import PostgresTestSupport
import SyncEngine
import Testing
import Outcomes

/// Configuration mistakes exit 78 (not 75 or 2) with a message naming what to fix; unknown names on the command
/// line are refused with a suggestion. Real processes against a real PostgreSQL.
@Suite("Configuration mistakes are reported as such")
struct ConfigurationErrorTests {
    static func fixture() async throws -> ProcessFixture {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 81, workOrders: 20, assets: 5)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let fixture = try ProcessFixture(try await SyncHarness.start(configuration))
        try fixture.writeJob("plant", streams: ["sites", "work-orders"])
        return fixture
    }

    @Test func aBadOrInsecureAPIBaseURLIsAConfigurationError() async throws {
        let fixture = try await Self.fixture()
        defer { Task { await fixture.harness.stop() } }
        let common = ["run", "--jobs-dir", fixture.jobsDirectory, "--database-url", fixture.harness.databaseURL]
        let insecure = try await fixture.runPlain(common + ["--api-base-url", "http://203.0.113.9:8080"], name: "insecure")
        #expect(insecure.status == ExitStatus.configuration.rawValue, "\(insecure.output)")
        #expect(insecure.output.contains("allow_insecure_http") && !insecure.output.contains("allowInsecureHTTP"), "\(insecure.output)")
        let garbage = try await fixture.runPlain(common + ["--api-base-url", "not a url"], name: "garbage")
        #expect(garbage.status == ExitStatus.configuration.rawValue, "\(garbage.output)")
        #expect(garbage.output.contains("--api-base-url"))
        #expect(try await fixture.harness.query("SELECT count(*) FROM makini.sync_runs").first?[0] == "0", "nothing ran")
    }

    @Test func aDatabaseURLThatCannotWorkIsAConfigurationError() async throws {
        let fixture = try await Self.fixture()
        defer { Task { await fixture.harness.stop() } }
        let missing = TestDatabase.replacingDatabase(in: fixture.harness.databaseURL, with: "no_such_database_16")
        for (url, expected) in [("mysql://makini@127.0.0.1/warehouse", "not a PostgreSQL URL"), (missing, "does not exist")] {
            let run = try await fixture.runPlain(["run", "--jobs-dir", fixture.jobsDirectory, "--database-url", url, "--quiet"], name: "run-\(expected.count)")
            #expect(run.status == ExitStatus.configuration.rawValue, "\(run.output)")
            #expect(run.output.contains(expected), "\(run.output)")
            let migrate = try await fixture.runPlain(["migrate", "--database-url", url], name: "migrate-\(expected.count)")
            #expect(migrate.status == ExitStatus.configuration.rawValue, "\(migrate.output)")
            let status = try await fixture.runPlain(
                ["status", "--database-url", url, "--log-format", "json"], name: "status-\(expected.count)")
            #expect(status.status == ExitStatus.configuration.rawValue, "\(status.output)")
            let line = try #require(status.output.split(separator: "\n").last.map(String.init))
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect((object?["message"] as? String)?.contains(expected) == true, "status --log-format json reports as JSON: \(line)")
        }
        // The warehouse being down is not a configuration error.
        let down = try await fixture.runPlain(
            ["run", "--jobs-dir", fixture.jobsDirectory, "--database-url", "postgresql://makini@127.0.0.1:1/x", "--quiet"], name: "down")
        #expect(down.status == ExitStatus.warehouseUnavailable.rawValue, "\(down.output)")
    }

    @Test func credentialsRefusedByPostgreSQLAreAConfigurationError() async throws {
        let fixture = try await Self.fixture()
        defer { Task { await fixture.harness.stop() } }
        let cluster = try await PrivateCluster.start()
        defer { Task { await cluster.stop() } }
        _ = try await cluster.migratedDatabase("warehouse")
        let url = try await cluster.requirePassword(role: "syncer", password: "right-horse-battery", database: "warehouse")
        let wrong = url.replacingOccurrences(of: "right-horse-battery", with: "wrong-password-16")
        let refused = try await fixture.runPlain(["run", "--jobs-dir", fixture.jobsDirectory, "--database-url", wrong, "--quiet"], name: "refused")
        #expect(refused.status == ExitStatus.configuration.rawValue, "\(refused.output)")
        #expect(refused.output.contains("28P01"), "\(refused.output)")
        #expect(!refused.output.contains("wrong-password-16"))
        let rejected = url.replacingOccurrences(of: "syncer:right-horse-battery", with: "intruder:x")
        let role = try await fixture.runPlain(["migrate", "--database-url", rejected], name: "rejected")
        #expect(role.status == ExitStatus.configuration.rawValue, "\(role.output)")
        #expect(role.output.contains("28000"), "\(role.output)")
        let fine = try await fixture.runPlain(["status", "--database-url", url], name: "fine")
        #expect(fine.status == 0, "\(fine.output)")
    }

    @Test func migrateUsesTheNamedDirectoryOrRefuses() async throws {
        let fixture = try await Self.fixture()
        defer { Task { await fixture.harness.stop() } }
        let missing = try await fixture.runPlain(
            ["migrate", "--database-url", fixture.harness.databaseURL, "--sql-dir", "/nonexistent/sql"], name: "missing")
        #expect(missing.status == ExitStatus.configuration.rawValue, "\(missing.output)")
        #expect(missing.output.contains("--sql-dir /nonexistent/sql does not exist"), "\(missing.output)")
        let sql = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sql").path
        let named = try await fixture.runPlain(["migrate", "--database-url", fixture.harness.databaseURL, "--sql-dir", sql], name: "named")
        #expect(named.status == 0, "\(named.output)")
        #expect(named.output.contains("Migrations from \(sql)"), "\(named.output)")
        #expect(named.output.contains("up to date"))
    }

    @Test func resetRefusesUnknownNamesAndKeepsTheLastSuccess() async throws {
        let fixture = try await Self.fixture()
        defer { Task { await fixture.harness.stop() } }
        #expect(try await fixture.run(["run", "--quiet"], name: "first").status == 0)
        let url = fixture.harness.databaseURL
        let job = try await fixture.runPlain(["reset", "plnat", "--database-url", url], name: "job")
        #expect(job.status == ExitStatus.usage.rawValue, "\(job.output)")
        #expect(job.output.contains("did you mean 'plant'?"), "\(job.output)")
        let entity = try await fixture.runPlain(["reset", "plant", "--entity", "work-order", "--database-url", url], name: "entity")
        #expect(entity.status == ExitStatus.usage.rawValue, "\(entity.output)")
        #expect(entity.output.contains("did you mean 'work-orders'?"), "\(entity.output)")
        let connection = try await fixture.runPlain(["reset", "plant", "--connection", "jde-plant-b", "--database-url", url], name: "conn")
        #expect(connection.status == ExitStatus.usage.rawValue, "\(connection.output)")
        let before = try await fixture.harness.query("SELECT entity, last_success_at FROM makini.sync_state ORDER BY entity")
        let reset = try await fixture.runPlain(["reset", "plant", "--entity", "work-orders", "--database-url", url], name: "reset")
        #expect(reset.status == 0, "\(reset.output)")
        #expect(reset.output.contains("Cleared 1 checkpoint of job plant"), "\(reset.output)")
        #expect(try await fixture.harness.query("SELECT entity, last_success_at FROM makini.sync_state ORDER BY entity") == before)
        #expect(try await fixture.harness.query("SELECT cursor_id FROM makini.sync_state WHERE entity = 'work-orders'").first?[0] == nil)
        let status = try await fixture.runPlain(["status", "--database-url", url], name: "status")
        #expect(!status.output.contains("never"), "status still shows the last success: \(status.output)")
    }
}
