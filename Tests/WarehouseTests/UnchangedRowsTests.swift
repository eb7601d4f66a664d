import Foundation
import MakiniRecords
import PostgresTestSupport
import Testing
import Warehouse

/// A re-read page (the lookback of a no-change pass) against a real PostgreSQL: rows equal to their stored version are
/// left out of the merge, so they are neither written nor locked, while a row with the same `updated_at` but other
/// content (a tie) is still written.
@Suite("Unchanged rows of a re-read page against a real PostgreSQL")
struct UnchangedRowsTests {
    static let key = StreamKey(job: "j", connectionId: "c1", entity: "work-orders")

    func write(_ warehouse: WarehouseSession, _ rows: [(id: String, title: String)], at: Date) async throws -> MergeCounts {
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let records = rows.map { row in
            IncomingRecord(id: row.id, updatedAt: at, deletedAt: nil, fields: [
                "id": .string(row.id), "_updatedAt": .string(MakiniTimestamp.format(at)), "title": .string(row.title),
            ])
        }
        let statement = try await warehouse.prepareMerge(mapper)
        return try await warehouse.writePage(
            mapper.encodePage(records, connectionId: "c1", children: statement.childEncoders), statement: statement, rejects: [],
            checkpoint: nil, key: Self.key, runId: "r1", trackSeen: false)
    }

    @Test func anUnchangedRowIsNeitherWrittenNorLockedAndATieWithOtherContentIsWritten() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "unchangedrows")
        defer { Task { await warehouse.close() } }
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let first = try await write(warehouse, [("a", "same"), ("b", "before")], at: at)
        #expect(first.inserted == 2)
        let before = try await warehouse.query("SELECT id, xmin::text, xmax::text FROM makini.work_orders ORDER BY id")
        #expect(before.map { $0[2] } == ["0", "0"])

        // The same page again, but b's content changed with the same updated_at (a tie).
        let again = try await write(warehouse, [("a", "same"), ("b", "after")], at: at)
        #expect(again.inserted == 0)
        #expect(again.updated == 1, "the tie with other content is written")
        #expect(again.unchanged == 1)

        let after = try await warehouse.query("SELECT id, title, xmin::text, xmax::text FROM makini.work_orders ORDER BY id")
        #expect(after.map { [$0[0], $0[1]] } == [["a", "same"], ["b", "after"]])
        // Row a is the same tuple, never locked: an ON CONFLICT that reached it would have set xmax.
        #expect(after[0][2] == before[0][1], "the unchanged row was not rewritten")
        #expect(after[0][3] == "0", "the unchanged row was not locked")
        #expect(after[1][2] != before[1][1], "the changed row is a new version")

        // A whole page of unchanged rows: nothing written, nothing locked (a lock would set xmax of the stored tuple).
        let tuples = "SELECT id, xmin::text, xmax::text FROM makini.work_orders ORDER BY id"
        let beforeNone = try await warehouse.query(tuples)
        let none = try await write(warehouse, [("a", "same"), ("b", "after")], at: at)
        #expect(none.inserted == 0 && none.updated == 0 && none.unchanged == 2)
        #expect(try await warehouse.query(tuples) == beforeNone, "a no-change page writes and locks no stored row")
    }
}
