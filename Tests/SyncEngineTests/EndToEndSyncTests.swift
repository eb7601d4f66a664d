import Foundation
import MakiniSimulator
import SyncEngine
import Testing
import Warehouse
import Outcomes
import JobFiles

@Suite("End to end: simulator over HTTP into a real PostgreSQL")
struct EndToEndSyncTests {
    static let entities: [(entity: String, table: String)] = [
        ("work-orders", "work_orders"), ("assets", "assets"), ("sites", "sites"), ("locations", "locations"),
        ("purchase-orders", "entity_records"),
    ]

    @Test func fullSyncEqualsGroundTruthAndSecondRunWritesNothing() async throws {
        let harness = try await SyncHarness.start(SimulatorConfiguration.defaultWorld(seed: 11, workOrders: 1_200, assets: 300))
        defer { Task { await harness.stop() } }
        let job = try harness.job(
            "plant", connections: ["jde-plant-a"], streams: Self.entities.map { StreamSpec(entity: $0.entity) }, pageSize: 100)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map { "\($0.plan.key.entity): \($0.record.lastErrorMessage ?? "")" })")
        for (entity, table) in Self.entities {
            let problems = try await harness.mismatches(table: table, connection: "jde-plant-a", entity: entity)
            #expect(problems.isEmpty, "\(entity): \(problems.prefix(5))")
        }
        let workOrders = first.streams.first { $0.plan.key.entity == "work-orders" }
        #expect(workOrders?.record.counts.inserted == 1_200)
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        for stream in second.streams {
            #expect(stream.record.counts.inserted == 0, "\(stream.plan.key.entity)")
            #expect(stream.record.counts.updated == 0, "\(stream.plan.key.entity)")
        }
        let history = try await harness.query(
            "SELECT count(*), sum(inserted) FROM makini.sync_stream_runs WHERE status = 'succeeded' AND entity = 'work-orders'")
        #expect(history.first?[0] == "2")
        #expect(history.first?[1] == "1200")
    }

    @Test(arguments: [UInt64(3), 17, 29])
    func adversarialMutationsWhilePagingEndEqualToSnapshot(seed: UInt64) async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 20_000, assets: 50)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        try harness.server.world.setMutationsPerPage(
            connection: "jde-plant-a",
            MutationRequest(updates: 40, inserts: 5, softDeletes: 3, hardDeletes: 0, lateRows: 2, shareTimestamp: true))
        let job = try harness.job("adversarial", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 500)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map { $0.record.lastErrorMessage ?? "" })")
        #expect((first.streams.first?.record.pages ?? 0) >= 40, "the sync must have paged while data moved")
        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", nil)
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test func moreRecordsWithOneTimestampThanAPageStillProgress() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 5, workOrders: 300, assets: 20)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let job = try harness.job("ties", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        _ = await harness.run(job)
        // 260 records now share one timestamp: five pages' worth.
        _ = try harness.server.world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 260, shareTimestamp: true))
        let report = await harness.run(job)
        #expect(report.exitStatus == .success)
        #expect(report.streams.first?.record.counts.updated == 260)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func fullRefreshTombstonesHardDeletedRows() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 8, workOrders: 600, assets: 40)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let incremental = try harness.job("hard", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")])
        _ = await harness.run(incremental)
        let summary = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 10, softDeletes: 4, hardDeletes: 25))
        #expect(summary.hardDeleted.count == 25)
        _ = await harness.run(incremental)
        let stillLive = try await harness.query(
            "SELECT count(*) FROM makini.work_orders WHERE id = ANY($1::text[]) AND deleted_at IS NULL",
            ["{" + summary.hardDeleted.joined(separator: ",") + "}"])
        #expect(stillLive.first?[0] == "25", "an incremental read cannot see hard deletes")
        let refresh = try harness.job("hard", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders", mode: .fullRefresh)])
        let report = await harness.run(refresh)
        #expect(report.exitStatus == .success)
        #expect(report.streams.first?.record.fullRefreshDeleted == 25)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let tombstoned = try await harness.query(
            "SELECT count(*) FROM makini.work_orders WHERE id = ANY($1::text[]) AND deleted_at IS NOT NULL",
            ["{" + summary.hardDeleted.joined(separator: ",") + "}"])
        #expect(tombstoned.first?[0] == "25")
    }

    @Test func failedFullRefreshScanMarksNothing() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 9, workOrders: 400, assets: 40)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let refresh = try harness.job("scan", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders", mode: .fullRefresh)])
        _ = await harness.run(refresh)
        _ = try harness.server.world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(hardDeletes: 10))
        var faults = FaultSettings()
        let served = harness.server.world.served(connection: "jde-plant-a").listRequests
        faults.scheduled = [served + 2: 403]
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: nil, faults)
        let failed = await harness.run(refresh)
        #expect(failed.exitStatus == .partialFailure)
        #expect(failed.streams.first?.record.lastErrorCode == "PERMISSION_DENIED" || failed.streams.first?.record.status == .failed)
        let tombstones = try await harness.query("SELECT count(*) FROM makini.work_orders WHERE deleted_at IS NOT NULL")
        #expect(tombstones.first?[0] == "0", "a failed scan must not mark anything deleted")
    }
}
