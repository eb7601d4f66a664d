import Foundation
import MakiniRecords
import MakiniSimulator
import SyncEngine
import Testing
import Warehouse
import JobFiles

/// The issue's reproductions of lost rows, end to end over real HTTP into a real PostgreSQL: a timestamp group larger
/// than a page that changes while it is read, future stamps, tie orders other than bytewise.
@Suite("Lossless cursor end to end: moving groups, future stamps, any tie order")
struct LosslessCursorEndToEndTests {
    /// 300 work orders; 250 of them share one `_updatedAt` T; then 400 newer inserts one second apart (so the final
    /// cursor is more than the 5 m lookback past T); 10 random updates after every page served.
    static func movingGroupHarness(seed: UInt64, tieOrder: TieOrder = .bytewise) async throws -> (SyncHarness, Date) {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 300, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        configuration.connections[0].faults.tieOrder = tieOrder
        let harness = try await SyncHarness.start(configuration)
        let group = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 250, shareTimestamp: true))
        _ = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(inserts: 400, shareTimestamp: false))
        let stamp = try #require(harness.snapshot("jde-plant-a", "work-orders")[group.updated[0]]?["_updatedAt"]?.stringValue)
        try harness.server.world.setMutationsPerPage(
            connection: "jde-plant-a", MutationRequest(updates: 10, shareTimestamp: false))
        return (harness, try #require(MakiniTimestamp.parse(stamp)))
    }

    /// Ids of the records still stamped `at` (untouched since the group was written), from the simulator's own state.
    static func idsStillAt(_ at: Date, _ harness: SyncHarness) throws -> Set<String> {
        Set(try harness.snapshot("jde-plant-a", "work-orders").filter { _, record in
            record["_updatedAt"]?.stringValue.flatMap(MakiniTimestamp.parse) == at
        }.keys)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aGroupLargerThanAPageThatMovesWhileReadLosesNoRow(seed: UInt64) async throws {
        let (harness, stamp) = try await Self.movingGroupHarness(seed: seed)
        defer { Task { await harness.stop() } }
        let job = try harness.job("moving", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success)
        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", nil)
        let untouched = try Self.idsStillAt(stamp, harness)
        #expect(untouched.count > 100, "most of the group is still at its stamp: a group larger than a page")
        let stored = Set(try await harness.query("SELECT id FROM makini.work_orders WHERE connection_id = 'jde-plant-a'").compactMap { $0[0] })
        #expect(untouched.subtracting(stored).isEmpty, "rows of the group lost by run 1: \(untouched.subtracting(stored).sorted().prefix(5))")
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test func aFullRefreshOfAMovingGroupTombstonesNoLiveRow() async throws {
        let (harness, _) = try await Self.movingGroupHarness(seed: 4)
        defer { Task { await harness.stop() } }
        let job = try harness.job(
            "moving-full", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders", mode: .fullRefresh)], pageSize: 100)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success)
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", nil)
        #expect(second.streams.first?.record.deleted == 0, "nothing was deleted at the source")
        let tombstoned = try await harness.query("SELECT count(*) FROM makini.work_orders WHERE deleted_at IS NOT NULL")
        #expect(tombstoned.first?[0] == "0")
        let quiet = await harness.run(job)
        #expect(quiet.exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test(arguments: [TieOrder.numeric, .reversed, .random])
    func everyTieOrderEndsEqualToTheSource(tieOrder: TieOrder) async throws {
        let (harness, _) = try await Self.movingGroupHarness(seed: 9, tieOrder: tieOrder)
        defer { Task { await harness.stop() } }
        let job = try harness.job("ties", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map { $0.record.lastErrorMessage ?? "" })")
        try harness.server.world.setMutationsPerPage(connection: "jde-plant-a", nil)
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(tieOrder): \(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test func aFutureStampNeitherFreezesTheCheckpointNorHidesLaterChanges() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 12, workOrders: 200, assets: 10)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        let job = try harness.job("future", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        #expect(await harness.run(job).exitStatus == .success)
        // A source clock 20 hours ahead stamps 5 updates.
        let ahead = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 5, futureSeconds: 20 * 3600))
        let before = Date()
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        #expect(second.streams.first?.record.warningsByCode["FUTURE_TIMESTAMP"] == 5)
        let warnings = try await harness.query(
            "SELECT warnings_by_code->>'FUTURE_TIMESTAMP' FROM makini.sync_stream_runs ORDER BY started_at DESC LIMIT 1")
        #expect(warnings.first?[0] == "5", "the run history shows the bad clock")
        let cursor = try await harness.query("SELECT extract(epoch FROM cursor_updated_at) FROM makini.sync_state WHERE job = 'future'")
        let checkpoint = try #require(cursor.first?[0].flatMap(Double.init))
        let tolerance = Double(JobSpec.defaultFutureToleranceSeconds)
        #expect(checkpoint <= before.timeIntervalSince1970 + tolerance + 60, "the checkpoint stays within the tolerance of the clock")
        let stored = try await harness.query("SELECT count(*) FROM makini.work_orders WHERE id = ANY($1::text[])", ["{\(ahead.updated.joined(separator: ","))}"])
        #expect(stored.first?[0] == "5", "records stamped in the future are written")
        // The source's clock is right again: 20 updates stamped now, earlier than the future stamps.
        let later = try harness.server.world.mutate(connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 20, wallClock: true))
        let third = await harness.run(job)
        #expect(third.exitStatus == .success)
        #expect((third.streams.first?.record.counts.updated ?? 0) >= later.updated.count - ahead.updated.count)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.count) mismatches, e.g. \(problems.prefix(5))")
    }

    @Test func numericIdsOrderedNumericallyWithinOneTimestampAreAllRead() async throws {
        let api = NumericTieMakini(ids: Array(1...15), stamp: "2025-01-01T00:00:00.000Z")
        let run = try await HostileRun.start { api.answer($0) }
        defer { Task { await run.stop() } }
        let token = run.file("token", "numeric-ties-token")
        for round in 1...2 {
            let report = await run.run(connection: "ties", credentials: .token(.file(token)), pageSize: 5)
            #expect(report.exitStatus == .success, "round \(round): \(report.streams.map { $0.record.lastErrorMessage ?? "" })")
            let ids = try await run.column("SELECT id FROM makini.assets WHERE connection_id = 'ties'").compactMap { $0 }
            #expect(Set(ids) == Set((1...15).map(String.init)), "round \(round): \(ids.sorted())")
        }
    }
}
