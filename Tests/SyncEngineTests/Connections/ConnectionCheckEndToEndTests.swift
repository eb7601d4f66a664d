import Foundation
import JobFiles
import MakiniAPI
import MakiniSimulator
import Outcomes
import SyncEngine
import Testing
import Warehouse

/// The check before a connection's streams, end to end: a token that now belongs to another Makini connection stops
/// the connection instead of mixing two systems' rows; Makini's upstream `fail` is shown and not hammered.
@Suite("Connection checks end to end")
struct ConnectionCheckEndToEndTests {
    static let streams = [StreamSpec(entity: "work-orders"), StreamSpec(entity: "assets")]

    @Test func aTokenOfAnotherConnectionStopsTheConnectionWithoutMixingRows() async throws {
        let configuration = SimulatorConfiguration.defaultWorld(seed: 31, workOrders: 40, assets: 8)
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let tokenFile = try harness.tokenFile("plant.token", "sim-jde-plant-a")
        let job = JobSpec(
            name: "plant", sourcePath: "test", schedule: nil, api: APISettings(pageSize: 10, maxRequestsPerSecond: 1000),
            connections: [ConnectionSpec(id: "plant", credentials: .token(.file(tokenFile)))], streams: Self.streams,
            retry: RetrySettings(maxAttempts: 4, baseDelaySeconds: 0.001, maxDelaySeconds: 0.01, maxRetryAfterSeconds: 1, budgetSeconds: 60))
        let first = await harness.run(job)
        #expect(first.exitStatus == .success)
        #expect(try await harness.query("SELECT makini_connection_key FROM makini.connections WHERE connection_id = 'plant'").first?[0]
            == "jde-plant-a", "the identity is recorded from integrations/current")
        let before = try await harness.query("SELECT id, updated_at::text FROM makini.work_orders WHERE connection_id = 'plant' ORDER BY id")
        #expect(before.count == 40)

        // Someone puts another customer system's token behind the same connection id.
        try "sim-ioffice-hq".write(toFile: tokenFile, atomically: false, encoding: .utf8)
        let listedBefore = harness.server.world.served(connection: "ioffice-hq").listRequests
        let second = await harness.run(job)
        #expect(second.exitStatus == .configuration)
        #expect(second.streams.map(\.record.status) == [.failed, .failed])
        #expect(second.streams.allSatisfy { $0.record.lastErrorCode == "CONNECTION_IDENTITY_MISMATCH" })
        let message = try #require(second.streams.first?.record.lastErrorMessage)
        #expect(message.contains("'ioffice-hq'") && message.contains("'jde-plant-a'"), "\(message)")
        #expect(harness.server.world.served(connection: "ioffice-hq").listRequests == listedBefore, "no data of the other system was read")
        let after = try await harness.query("SELECT id, updated_at::text FROM makini.work_orders WHERE connection_id = 'plant' ORDER BY id")
        #expect(after == before, "the rows under 'plant' are untouched")
        let health = try await harness.query(
            "SELECT makini_connection_key, last_error_code FROM makini.connections WHERE connection_id = 'plant'")
        #expect(health.first == ["jde-plant-a", "CONNECTION_IDENTITY_MISMATCH"])
        let runs = try await harness.query(
            "SELECT DISTINCT last_error_code FROM makini.sync_stream_runs WHERE run_id = $1", [second.runId])
        #expect(runs.map { $0[0] } == ["CONNECTION_IDENTITY_MISMATCH"])

        // The right token again: the connection syncs again.
        try "sim-jde-plant-a".write(toFile: tokenFile, atomically: false, encoding: .utf8)
        #expect(await harness.run(job).exitStatus == .success)
    }

    @Test func upstreamFailIsShownAndNotHammered() async throws {
        let configuration = SimulatorConfiguration.defaultWorld(seed: 32, workOrders: 30, assets: 6)
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let world = harness.server.world
        let job = try harness.job("upstream", connections: ["jde-plant-a", "ioffice-hq"], streams: Self.streams, pageSize: 10)
        // (The same through the control API over HTTP, POST /_sim/sync-status, is the simulator suite's.)
        try world.setSyncStatus(connection: "ioffice-hq", "fail")

        for run in 1...2 {
            let report = await harness.run(job)
            #expect(report.exitStatus == .partialFailure, "run \(run)")
            let office = report.streams.filter { $0.plan.key.connectionId == "ioffice-hq" }
            #expect(office.map(\.record.status) == [.skipped, .skipped])
            #expect(office.allSatisfy { $0.record.lastErrorCode == "UPSTREAM_SYNC_FAILED" && !$0.needsReauth })
            #expect(report.streams.filter { $0.plan.key.connectionId == "jde-plant-a" }.allSatisfy { $0.succeeded })
            let served = world.served(connection: "ioffice-hq")
            #expect(served.listRequests == 0, "run \(run): no data requests while the source fails")
            #expect(served.integrationChecks == run, "one check per run")
        }
        let row = try await harness.query("""
            SELECT upstream_sync_status, upstream_synced_at IS NOT NULL, needs_reauth::text, last_error_code
            FROM makini.connections WHERE connection_id = 'ioffice-hq'
            """)
        #expect(row.first == ["fail", "t", "false", "UPSTREAM_SYNC_FAILED"])
        let session = try await WarehouseSession.connect(url: harness.databaseURL)
        let statuses = try await session.streamStatuses(job: "upstream")
        await session.close()
        #expect(statuses.filter { $0.connectionId == "ioffice-hq" }.allSatisfy { $0.upstreamSyncStatus == "fail" && !$0.needsReauth })
        #expect(statuses.filter { $0.connectionId == "jde-plant-a" }.allSatisfy { $0.upstreamSyncStatus == "done" })

        try world.setSyncStatus(connection: "ioffice-hq", "fulldone")
        let recovered = await harness.run(job)
        #expect(recovered.exitStatus == .success)
        for (entity, table) in [("work-orders", "work_orders"), ("assets", "assets")] {
            #expect(try await harness.mismatches(table: table, connection: "ioffice-hq", entity: entity).isEmpty)
        }
        #expect(try await harness.query("SELECT upstream_sync_status, last_error_code FROM makini.connections WHERE connection_id = 'ioffice-hq'").first
            == ["fulldone", nil])
    }
}
