import Foundation
import MakiniRecords
import MakiniSimulator
import SyncEngine
import Testing
import Warehouse
import Outcomes
import JobFiles

/// Hostile API answers through the real runner: the simulator over HTTP, a real PostgreSQL.
@Suite("Hostile input end to end: bad records are refused one by one, the rest is written")
struct HostileRecordsEndToEndTests {
    static func world(seed: UInt64) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 600, assets: 20)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        return configuration
    }

    @Test func hostileRecordsAreRejectedWithReasonsAndTheGoodOnesWritten() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 9_101))
        defer { Task { await harness.stop() } }
        var faults = FaultSettings()
        faults.hostileRecordRate = 0.06
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let plan = try harness.server.world.hostileRecordPlan(connection: "jde-plant-a", entity: "work-orders")
        #expect(Set(plan.map(\.kind)) == Set(HostileRecordKind.allCases), "the seed serves every kind of hostile record")

        let job = try harness.job("hostile", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        let first = await harness.run(job)
        #expect(first.exitStatus == .success, "\(first.streams.map(\.record.lastErrorMessage))")
        let firstRejected = first.streams.first?.record.rejected ?? -1
        #expect(firstRejected >= plan.count)

        // Every good record is in the warehouse, equal to the source; no hostile record is.
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")

        // One row per distinct hostile record (the `null` records are indistinguishable, so they share one row),
        // each with a reason and a bounded excerpt.
        let nulls = plan.filter { $0.kind == .nullRecord }.count
        let distinct = plan.count - max(0, nulls - 1)
        let rows = try await harness.query("""
            SELECT count(*), count(DISTINCT (record_id, reason, raw_excerpt)), coalesce(sum(times_rejected), 0),
                   coalesce(max(char_length(raw_excerpt)), 0), count(*) FILTER (WHERE reason = '' OR raw_excerpt IS NULL OR raw_excerpt = '')
            FROM makini.sync_rejects WHERE job = 'hostile' AND connection_id = 'jde-plant-a' AND entity = 'work-orders'
            """)
        #expect(rows.first?[0] == String(distinct))
        #expect(rows.first?[1] == String(distinct))
        #expect(rows.first?[2] == String(firstRejected), "sum(times_rejected) equals the run's rejected count")
        #expect(Int(rows.first?[3] ?? "") ?? 999 <= 500)
        #expect(rows.first?[4] == "0")
        let ledger = try await harness.query(
            "SELECT rejected FROM makini.sync_stream_runs WHERE run_id = $1 AND entity = 'work-orders'", [first.runId])
        #expect(ledger.first?[0] == String(firstRejected))

        // Each hostile record that carries a readable id is there under that id, with a reason naming the fault.
        let byId = Dictionary(
            try await harness.query("SELECT record_id, reason FROM makini.sync_rejects WHERE record_id IS NOT NULL").compactMap { row in
                row[0].map { ($0, row[1] ?? "") }
            }, uniquingKeysWith: { a, b in a + " | " + b })
        for entry in plan {
            guard let id = entry.recordId, id.utf8.count <= 200 else { continue }
            let reason = byId[id] ?? ""
            #expect(reason.contains(Self.expectedReason(entry.kind)), "\(entry.kind) \(id): '\(reason)'")
        }
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_rejects WHERE record_id IS NULL").first?[0]
            == String(plan.filter { $0.recordId == nil }.count - max(0, nulls - 1)))

        // The checkpoint reached the newest real record: hostile records neither stopped nor pushed it.
        let truth = try harness.snapshot("jde-plant-a", "work-orders")
        let newest = truth.values.compactMap { $0["_updatedAt"]?.stringValue }.max() ?? ""
        let checkpoint = try await harness.query("""
            SELECT to_char(cursor_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM makini.sync_state WHERE job = 'hostile'
            """)
        #expect(checkpoint.first?[0] == newest)

        // A second, full re-read meets every hostile record again: no new reject rows, the repeats are counted.
        var again = job
        again.streams = [StreamSpec(entity: "work-orders", mode: .fullRefresh)]
        let second = await harness.run(again)
        #expect(second.exitStatus == .success)
        let secondRejected = second.streams.first?.record.rejected ?? -1
        #expect(secondRejected >= plan.count)
        let after = try await harness.query("""
            SELECT count(*), sum(times_rejected), count(*) FILTER (WHERE last_run_id = $1 AND times_rejected >= 2)
            FROM makini.sync_rejects WHERE job = 'hostile'
            """, [second.runId])
        #expect(after.first?[0] == String(distinct), "the second run adds no duplicate rejects")
        #expect(after.first?[1] == String(firstRejected + secondRejected))
        #expect(after.first?[2] == String(distinct))
        let stillEqual = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(stillEqual.isEmpty, "\(stillEqual.prefix(5))")
    }

    @Test func fullPagesWithRefusedRecordsDoNotEndTheStreamEarly() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 9_404))
        defer { Task { await harness.stop() } }
        var faults = FaultSettings()
        faults.hostileRecordRate = 0.1
        faults.hostileRecordsTakeSlots = true
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let plan = try harness.server.world.hostileRecordPlan(connection: "jde-plant-a", entity: "work-orders")
        #expect(plan.count > 20)
        let job = try harness.job("slots", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        let report = await harness.run(job)
        #expect(report.exitStatus == .success)
        // Pages of 50 elements with fewer than 50 good records are not mistaken for the last page.
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.count == 0, "e.g. \(problems.prefix(3))")
        let nulls = plan.filter { $0.kind == .nullRecord }.count
        let rows = try await harness.query("SELECT count(*), sum(times_rejected) FROM makini.sync_rejects WHERE job = 'slots'")
        #expect(rows.first?[0] == String(plan.count - max(0, nulls - 1)))
        #expect(rows.first?[1] == String(report.streams.first?.record.rejected ?? -1))
    }

    @Test func brokenPagesAreClassifiedErrorsNeverCrashesOrHangs() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 9_505))
        defer { Task { await harness.stop() } }
        var faults = FaultSettings()
        faults.scheduledBodies = [3: "dataNotArray"]
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let job = try harness.job("broken", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 50)
        // A body without a data array is fatal: the stream fails at once, the pages before it stay committed.
        let failed = await harness.run(job)
        #expect(failed.exitStatus == .partialFailure)
        #expect(failed.streams.first?.record.lastErrorCode == "UNEXPECTED_BODY")
        #expect(failed.streams.first?.record.retries == 0)
        #expect(failed.streams.first?.record.pages == 2)
        let written = Int(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] ?? "") ?? -1
        #expect(written == failed.streams.first?.record.counts.inserted, "exactly the two committed pages are in the table")
        #expect(written > 50)
        let checkpoint = try await harness.checkpointProblems(job: "broken", table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(checkpoint.isEmpty, "\(checkpoint.prefix(5))")

        // Not JSON and a nesting bomb are MALFORMED_JSON, transient: retried, and the stream completes.
        let next = harness.server.world.served(connection: "jde-plant-a").listRequests + 1
        faults.scheduledBodies = [next: "nestingBomb", next + 1: "notJSON"]
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let resumed = await harness.run(job)
        #expect(resumed.exitStatus == .success)
        #expect(resumed.streams.first?.record.retriesByCode == ["MALFORMED_JSON": 2])
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.count == 0, "e.g. \(problems.prefix(3))")
        #expect(harness.server.world.served(connection: "jde-plant-a").byFault == ["dataNotArray": 1, "nestingBomb": 1, "notJSON": 1])
    }

    static func expectedReason(_ kind: HostileRecordKind) -> String {
        switch kind {
        case .notAnObject, .nullRecord: return "not a JSON object"
        case .missingId, .idWrongType: return "no id"
        case .unparseableUpdatedAt: return "unparseable _updatedAt"
        case .futureUpdatedAt: return "in the future"
        case .updatedAtWrongType: return "no _updatedAt"
        case .enormousId: return "longer than"
        case .nulCharacter: return "NUL"
        case .duplicateId: return "duplicate id"
        case .deletedAtWrongType: return "_deletedAt"
        }
    }

    @Test func aRepeatingPageWithGrowingLastPageFailsWithPaginationLoop() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 9_202))
        defer { Task { await harness.stop() } }
        var faults = FaultSettings()
        faults.repeatFirstPage = true
        try harness.server.world.setFaults(connection: "jde-plant-a", entity: "work-orders", faults)
        let job = try harness.job(
            "loop", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders"), StreamSpec(entity: "assets")], pageSize: 50)
        let report = await harness.run(job)
        #expect(report.exitStatus == .partialFailure)
        let workOrders = report.streams.first { $0.plan.key.entity == "work-orders" }
        #expect(workOrders?.record.status == .failed)
        #expect(workOrders?.record.lastErrorCode == "PAGINATION_LOOP")
        #expect((workOrders?.record.pages ?? 99) <= 4, "stopped after a few repeated pages")
        #expect(report.streams.first { $0.plan.key.entity == "assets" }?.record.status == .succeeded)
        let ledger = try await harness.query("""
            SELECT status, last_error_code FROM makini.sync_stream_runs WHERE run_id = $1 AND entity = 'work-orders'
            """, [report.runId])
        #expect(ledger.first == ["failed", "PAGINATION_LOOP"])
        let run = try await harness.query("SELECT status, exit_code FROM makini.sync_runs WHERE run_id = $1", [report.runId])
        #expect(run.first?[1] == String(ExitStatus.partialFailure.rawValue))

        // What was written before the loop is the first page, consistent with its checkpoint.
        let truth = try harness.snapshot("jde-plant-a", "work-orders")
        let firstPage = try harness.server.world.snapshot(connection: "jde-plant-a", entity: "work-orders").prefix(50)
            .compactMap { try JSONValue.parse($0)["id"]?.stringValue }
        let rows = try await harness.query("SELECT id, to_jsonb(t)::text FROM makini.work_orders t WHERE connection_id = 'jde-plant-a'")
        #expect(Set(rows.compactMap { $0[0] }) == Set(firstPage), "exactly the first page was written")
        for row in rows {
            guard let id = row[0], let json = row[1], let record = truth[id] else { continue }
            let problems = RowComparison.compare(record: record, row: try JSONValue.parse(json), id: id)
            #expect(problems.isEmpty, "\(problems)")
        }
        let checkpoint = try await harness.checkpointProblems(job: "loop", table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(checkpoint.isEmpty, "\(checkpoint.prefix(5))")
    }

    @Test func aPageOverMaxPageBytesEvenAtOneRecordFailsTheStreamAndWritesNothing() async throws {
        let harness = try await SyncHarness.start(Self.world(seed: 9_303))
        defer { Task { await harness.stop() } }
        var job = try harness.job("big", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders")], pageSize: 100)
        // Smaller than one record: halving the page down to one record cannot help.
        job.api.maxPageBytes = 300
        let report = await harness.run(job)
        #expect(report.exitStatus == .partialFailure)
        #expect(report.streams.first?.record.lastErrorCode == "PAGE_TOO_LARGE")
        #expect(report.streams.first?.record.retries == 0, "a page too large is fatal, not retried")
        #expect(try await harness.query("SELECT count(*) FROM makini.work_orders").first?[0] == "0")
        #expect(try await harness.query("SELECT count(*) FROM makini.sync_state WHERE job = 'big'").first?[0] == "0")
        let ledger = try await harness.query("SELECT status, last_error_code FROM makini.sync_stream_runs WHERE run_id = $1", [report.runId])
        #expect(ledger.first == ["failed", "PAGE_TOO_LARGE"])
    }
}
