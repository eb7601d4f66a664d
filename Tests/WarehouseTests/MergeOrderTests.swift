import Foundation
import MakiniRecords
import PostgresTestSupport
import Testing
import Warehouse

/// The merge's ordering rule against a real PostgreSQL: an older stamp never replaces a newer one, except that a
/// stored version stamped in the future (a source clock running ahead) yields to a later read with a correct stamp.
@Suite("Merge order against a real PostgreSQL")
struct MergeOrderTests {
    func write(_ warehouse: WarehouseSession, id: String, at: Date, title: String) async throws -> MergeCounts {
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let record = IncomingRecord(id: id, updatedAt: at, deletedAt: nil, fields: [
            "id": .string(id), "_updatedAt": .string(MakiniTimestamp.format(at)), "title": .string(title),
        ])
        let statement = try await warehouse.prepareMerge(mapper)
        return try await warehouse.writePage(
            mapper.encodePage([record], connectionId: "c1", children: statement.childEncoders), statement: statement, rejects: [], checkpoint: nil,
            key: StreamKey(job: "j", connectionId: "c1", entity: "work-orders"), runId: "r1", trackSeen: false)
    }

    @Test func anOlderStampNeverReplacesANewerOneUnlessTheStoredOneLiesInTheFuture() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "mergeorder")
        defer { Task { await warehouse.close() } }
        let now = Date()
        _ = try await write(warehouse, id: "past", at: now.addingTimeInterval(-60), title: "newer")
        let stale = try await write(warehouse, id: "past", at: now.addingTimeInterval(-3_600), title: "older")
        #expect(stale.updated == 0, "a stale re-read does not win")
        _ = try await write(warehouse, id: "ahead", at: now.addingTimeInterval(20 * 3_600), title: "bad clock")
        let corrected = try await write(warehouse, id: "ahead", at: now, title: "correct clock")
        #expect(corrected.updated == 1, "a correct stamp replaces a version stamped in the future")
        let rows = try await warehouse.query("SELECT id, title FROM makini.work_orders ORDER BY id")
        #expect(rows == [["ahead", "correct clock"], ["past", "newer"]])
    }
}
