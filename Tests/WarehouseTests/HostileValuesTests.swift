import Foundation
import LibPQ
import MakiniRecords
import PostgresTestSupport
import Testing
import Warehouse

/// Values that are valid JSON but would break a page transaction if written as they come.
@Suite("Hostile values against a real PostgreSQL")
struct HostileValuesTests {
    @Test func aValueTooLongForAnIndexBecomesNullInItsColumnAndTheRestOfThePageIsWritten() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "hostile")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "work-orders", override: nil)
        #expect(table.column("status")?.kind == .indexedText, "status is in work_orders_open_idx")
        #expect(table.column("title")?.kind == .text)
        // Incompressible text: 8,000 pseudo-random letters, far over a btree entry.
        var state: UInt64 = 7
        let noise = String((0..<8_000).map { _ -> Character in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8((state >> 33) % 58)))
        })
        let when = Date(timeIntervalSince1970: 1_720_000_000)
        let records = [
            IncomingRecord(id: "big", updatedAt: when, deletedAt: nil, fields: [
                "id": .string("big"), "_updatedAt": .string(MakiniTimestamp.format(when)), "status": .string(noise),
                "assetKey": .string(noise), "title": .string(noise),
            ]),
            IncomingRecord(id: "small", updatedAt: when, deletedAt: nil, fields: [
                "id": .string("small"), "_updatedAt": .string(MakiniTimestamp.format(when)), "status": .string("open"),
            ]),
        ]
        var mapper = try RowMapper(table: table, entity: "work-orders")
        let statement = try await warehouse.prepareMerge(mapper)
        let page = mapper.encodePage(records, connectionId: "c1", children: statement.childEncoders)
        #expect(page.conversionNulls == 2, "status and asset_key do not fit their indexes")
        let counts = try await warehouse.writePage(
            page, statement: statement, rejects: [], checkpoint: nil, key: StreamKey(job: "j", connectionId: "c1", entity: "work-orders"),
            runId: "r1", trackSeen: false)
        #expect(counts.inserted == 2)
        let rows = try await warehouse.query("""
            SELECT id, status IS NULL, asset_key IS NULL, length(title), length(raw->>'status') FROM makini.work_orders ORDER BY id
            """)
        #expect(rows == [["big", "t", "t", "8000", "8000"], ["small", "f", "t", nil, "4"]])
    }

    @Test func repeatedRejectsOfOneRecordKeepOneRowAndCountTheRepeats() async throws {
        let warehouse = try await MigratedWarehouse.connect(prefix: "rejects")
        defer { Task { await warehouse.close() } }
        let table = try await warehouse.targetTable(entity: "assets", override: nil)
        var mapper = try RowMapper(table: table, entity: "assets")
        let statement = try await warehouse.prepareMerge(mapper)
        let key = StreamKey(job: "j", connectionId: "c1", entity: "assets")
        let bad = RejectedRow(recordId: "x", reason: "record has no _updatedAt timestamp", excerpt: "{\"id\":\"x\"}")
        let noId = RejectedRow(recordId: nil, reason: "record is not a JSON object", excerpt: "42")
        for run in ["r1", "r2", "r2"] {
            _ = try await warehouse.writePage(
                mapper.encodePage([], connectionId: "c1"), statement: statement, rejects: [bad, noId], checkpoint: nil, key: key,
                runId: run, trackSeen: false)
        }
        let other = RejectedRow(recordId: "x", reason: "unparseable _updatedAt 'y'", excerpt: "{\"id\":\"x\",\"_updatedAt\":\"y\"}")
        _ = try await warehouse.writePage(
            mapper.encodePage([], connectionId: "c1"), statement: statement, rejects: [other], checkpoint: nil,
            key: StreamKey(job: "j", connectionId: "c2", entity: "assets"), runId: "r3", trackSeen: false)
        let rows = try await warehouse.query("""
            SELECT connection_id, record_id, run_id, last_run_id, times_rejected FROM makini.sync_rejects
            ORDER BY connection_id, record_id NULLS FIRST
            """)
        #expect(rows == [
            ["c1", nil, "r1", "r2", "3"], ["c1", "x", "r1", "r2", "3"], ["c2", "x", "r3", "r3", "1"],
        ])
    }
}
