import Foundation
import MakiniRecords
import MakiniSimulator
import SyncEngine
import JobFiles
import Outcomes
import Testing

@Suite("End to end: a v3 job reads legacy /api/eam answers into the same warehouse")
struct LegacyAPIEndToEndTests {
    @Test func v3JobStoresLegacyAnswersUnderV4Names() async throws {
        var configuration = SimulatorConfiguration.defaultWorld(seed: 13, workOrders: 500, assets: 60)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        defer { Task { await harness.stop() } }
        var job = try harness.job(
            "legacy", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "statuses/work-orders")],
            pageSize: 100)
        job.api.version = "v3"
        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map { $0.record.lastErrorMessage ?? "" })")
        #expect(first.streams.allSatisfy { $0.record.rejected == 0 })
        _ = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: 30, inserts: 5, softDeletes: 4))
        let second = await harness.run(job)
        #expect(second.exitStatus == .success)
        let orders = try #require(second.streams.first { $0.plan.key.entity == "work-orders" }?.record)
        #expect(orders.counts.inserted == 5)
        #expect(orders.deleted == 4)

        let truth = try harness.snapshot("jde-plant-a", "work-orders")
        let rows = try await harness.query(
            "SELECT id, updated_at::text, deleted_at IS NOT NULL, raw::text FROM makini.work_orders WHERE connection_id = 'jde-plant-a'")
        #expect(rows.count == truth.count)
        for row in rows {
            let id = try #require(row[0])
            let source = try #require(truth[id]?.objectValue, "\(id) is not at the source")
            let rawText = try #require(row[3])
            let raw = try #require(JSONValue.parse(rawText).objectValue)
            #expect(RowComparison.sameInstant(source["_updatedAt"], .string(row[1] ?? "")), "\(id) updated_at")
            #expect((row[2] == "t") == !(source["_deletedAt"]?.isNull ?? true), "\(id) deleted_at")
            #expect(raw["_updatedAt"] == source["_updatedAt"] && raw["_createdAt"] == source["_createdAt"])
            #expect(raw["updatedAt"] == nil && raw["createdAt"] == nil && raw["deletedAt"] == nil)
            #expect(raw["key"] == source["key"] && raw["assetKey"] == source["assetKey"])
        }
        let statuses = try await harness.query(
            "SELECT count(*) FROM makini.entity_records WHERE connection_id = 'jde-plant-a' AND entity = 'statuses/work-orders'")
        #expect(statuses.first?[0] == "5")
    }
}
