import Foundation
import MakiniSimulator
import SyncEngine
import Testing
import Warehouse
import Outcomes
import JobFiles

@Suite("Failures: aborted runs resume, revoked connections stay contained")
struct FailureRecoveryTests {
    @Test(arguments: [1, 3, 7])
    func runAbortedAfterKPagesResumesToEquality(pages k: Int) async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: UInt64(100 + k), workOrders: 1_000, assets: 20)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        var faults = FaultSettings()
        faults.scheduled = [k + 1: 403]
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: nil, faults)
        let job = try harness.job("crash", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        let aborted = await harness.run(job)
        #expect(aborted.exitStatus == .partialFailure)
        #expect(aborted.streams.first?.record.pages == k)
        let rows = try await harness.query("SELECT count(*) FROM makini.work_orders")
        #expect(rows.first?[0] == aborted.streams.first.map { String($0.record.counts.inserted) }, "exactly the committed pages are in the table")
        #expect((aborted.streams.first?.record.counts.inserted ?? 0) > (k - 1) * 90)
        // The checkpoint claims only what was committed: every source record below it is in the table.
        let checkpoint = try await harness.checkpointProblems(job: "crash", table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(checkpoint.isEmpty, "\(checkpoint.prefix(5))")
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: nil, FaultSettings())
        let resumed = await harness.run(job)
        #expect(resumed.exitStatus == .success)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func revokedConnectionNeedsReauthWhileTheOtherCompletes() async throws {
        let harness = try await SyncHarness.start(SimulatorConfiguration.defaultWorld(seed: 21, workOrders: 300, assets: 30))
        defer { Task { await harness.stop() } }
        let job = try harness.job(
            "two", connections: ["jde-plant-a", "ioffice-hq"], streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "sites")])
        try harness.server.world.revoke(connection: "jde-plant-a")
        let report = await harness.run(job)
        #expect(report.exitStatus == .needsReauthorisation)
        let byConnection = Dictionary(grouping: report.streams, by: { $0.plan.key.connectionId })
        #expect(byConnection["ioffice-hq"]?.allSatisfy(\.succeeded) == true)
        #expect(byConnection["jde-plant-a"]?.map(\.record.status.rawValue).sorted() == ["failed", "skipped"])
        let health = try await harness.query("SELECT connection_id, needs_reauth FROM makini.connections ORDER BY connection_id")
        #expect(health.map { $0.compactMap { $0 } } == [["ioffice-hq", "f"], ["jde-plant-a", "t"]])
        let problems = try await harness.mismatches(table: "work_orders", connection: "ioffice-hq", entity: "work-orders")
        #expect(problems.isEmpty)
        let run = try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE job = 'two'")
        #expect(run.first == ["partial", "77"])
    }
}
