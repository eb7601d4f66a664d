import Foundation
import MakiniSimulator
import SyncEngine
import Testing
import Outcomes
import JobFiles
import MakiniAPI

/// Auth faults in the middle of a run, end-to-end through the job runner: an OAuth access token that expires every
/// few requests is refreshed and the stream goes on; a connection revoked while it pages needs re-authorisation,
/// keeps what it committed (checkpoint never ahead), skips its other streams, and the other connection completes.
@Suite("Chaos: tokens expiring and connections revoked mid-run")
struct TokenLifecycleTests {
    @Test func expiringTokenIsRefreshedWhileARevokedConnectionStopsAloneMidRun() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: ChaosSettings.seed &+ 77, workOrders: 600, assets: 60)
        configuration.connections[0].faults.expireTokenAfterRequests = 3
        configuration.connections[1].faults.latencyMs = 5
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let plant = configuration.connections[0]
        let office = configuration.connections[1]
        let initialRefresh = try #require(plant.refreshToken)
        let refreshFile = try harness.tokenFile("plant.refresh", initialRefresh + "\n")
        let oauth = CredentialSource.oauthRefresh(
            clientId: .file(try harness.tokenFile("plant.client-id", try #require(plant.clientId))),
            clientSecret: .file(try harness.tokenFile("plant.client-secret", try #require(plant.clientSecret))),
            refreshTokenFile: refreshFile)
        let job = JobSpec(
            name: "auth-chaos", sourcePath: "test", schedule: nil, api: APISettings(pageSize: 40, maxRequestsPerSecond: 1000),
            connections: [
                ConnectionSpec(id: plant.id, credentials: oauth),
                ConnectionSpec(id: office.id, credentials: .token(.file(try harness.tokenFile("office.token", office.token)))),
            ],
            streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "assets")],
            retry: RetrySettings(maxAttempts: 6, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 2, budgetSeconds: 60))
        // Revoke the office connection once it has served three pages (observed progress, not a timer).
        let revoker = Task {
            for _ in 0..<20_000 {
                if harness.server.world.served(connection: office.id).listRequests >= 3 {
                    try harness.server.world.revoke(connection: office.id)
                    return true
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            return false
        }
        let report = await harness.run(job)
        #expect(try await revoker.value, "the office connection never served three pages")
        #expect(report.exitStatus == .needsReauthorisation)
        let byConnection = Dictionary(grouping: report.streams, by: { $0.plan.key.connectionId })
        #expect(byConnection[plant.id]?.allSatisfy(\.succeeded) == true, "the expiring OAuth connection completes")
        #expect(byConnection[office.id]?.map(\.record.status) == [.failed, .skipped])
        #expect(harness.server.world.served(connection: plant.id).byStatus["401", default: 0] >= 2, "the plant's token expired mid-run, more than once")
        let rotated = try String(contentsOfFile: refreshFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(rotated != initialRefresh, "the refreshed pair was written back")
        let mode = try FileManager.default.attributesOfItem(atPath: refreshFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        for (entity, table) in [("work-orders", "work_orders"), ("assets", "assets")] {
            let problems = try await harness.mismatches(table: table, connection: plant.id, entity: entity)
            #expect(problems.isEmpty, "\(plant.id)/\(entity): \(problems.prefix(5))")
        }
        let health = try await harness.query("SELECT connection_id, needs_reauth FROM makini.connections ORDER BY connection_id")
        #expect(health.map { $0.compactMap { $0 } } == [[office.id, "t"], [plant.id, "f"]])
        let officeRows = Int(try await harness.query("SELECT count(*) FROM makini.work_orders WHERE connection_id = $1", [office.id]).first?[0] ?? "0") ?? 0
        #expect(officeRows > 0 && officeRows < 600, "the revoked connection keeps the pages it committed before the revocation")
        let probe = try await WarehouseProbe.open(harness.databaseURL)
        let ahead = try await probe.checkpointsAheadOfData(job: "auth-chaos", tables: ["work-orders": "work_orders", "assets": "assets"])
        await probe.close()
        #expect(ahead.isEmpty, "checkpoint ahead of the data: \(ahead)")
        let error = try await harness.query(
            "SELECT last_error_code FROM makini.sync_stream_runs WHERE job = 'auth-chaos' AND connection_id = $1 AND entity = 'work-orders'", [office.id])
        #expect(error.first?[0] == "REAUTHORIZATION_REQUIRED" || error.first?[0] == "REAUTH_REQUIRED", "\(error)")
        var tally = ChaosTally(suite: "auth-faults")
        tally.iterations = 1
        for (entity, table) in [("work-orders", "work_orders"), ("assets", "assets")] {
            tally.rowsCompared += try harness.snapshot(plant.id, entity).count
            tally.mismatches += try await harness.mismatches(table: table, connection: plant.id, entity: entity).count
        }
        tally.mismatches += ahead.count
        tally.publish()
    }
}
