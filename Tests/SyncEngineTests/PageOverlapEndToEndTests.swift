import Foundation
import JobFiles
import LibPQ
import MakiniSimulator
@testable import SyncEngine
import Testing
import Warehouse

@Suite("Overlapping page writes: in order, all or nothing, equal to one page after the other")
struct PageOverlapEndToEndTests {
    /// One connection with 1,000 work orders, loaded, then `changes` of them updated at the source (distinct stamps,
    /// in the order of `MutationSummary.updated`).
    /// No lookback: a page lost to a wrong checkpoint is not read again by chance.
    static func loadedHarness(seed: UInt64, changes: Int) async throws -> (SyncHarness, JobSpec, MutationSummary) {
        var configuration = SimulatorConfiguration.defaultWorld(seed: seed, workOrders: 1_000, assets: 20)
        configuration.connections = configuration.connections.filter { $0.id == "jde-plant-a" }
        let harness = try await SyncHarness.start(configuration)
        let job = try harness.job("overlap", connections: ["jde-plant-a"], streams: [StreamSpec(entity: "work-orders", lookbackSeconds: 0)], pageSize: 100)
        let loaded = await harness.run(job)
        #expect(loaded.exitStatus == .success)
        let summary = try harness.server.world.mutate(
            connection: "jde-plant-a", entity: "work-orders", MutationRequest(updates: changes, shareTimestamp: false))
        #expect(summary.updated.count == changes)
        return (harness, job, summary)
    }

    @Test func aFailedPageLeavesNothingOfThePageMergedAfterItAndTheNextRunCompletes() async throws {
        let (harness, job, summary) = try await Self.loadedHarness(seed: 31, changes: 500)
        defer { Task { await harness.stop() } }
        // The 151st change falls in the incremental run's second page (100 per page): the warehouse refuses it. The
        // third page is merged on the other session meanwhile, and must roll back with it.
        let poisoned = summary.updated[150]
        _ = try await harness.query("""
            CREATE FUNCTION makini.refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.id = '\(poisoned)' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$
            """)
        _ = try await harness.query(
            "CREATE TRIGGER refuse_for_test BEFORE UPDATE ON makini.work_orders FOR EACH ROW EXECUTE FUNCTION makini.refuse_for_test()")
        let failed = await harness.run(job)
        #expect(failed.exitStatus != .success)
        let stream = try #require(failed.streams.first)
        #expect(stream.record.lastErrorMessage?.contains("refused by the test") == true, "the failing page's own error: \(stream.record.lastErrorMessage ?? "")")
        #expect(stream.record.pages >= 3, "the page after the failing one was read and merged")
        // Committed: the first page's changes. Nothing beyond the checkpoint, though the third page was merged.
        let committed = stream.record.counts.updated
        #expect(committed >= 20 && committed <= 150, "\(committed)")
        let newer = try await harness.query("""
            SELECT 'row ' || w.id FROM makini.work_orders w, makini.sync_state s
            WHERE s.job = 'overlap' AND w.connection_id = s.connection_id AND w.updated_at > s.cursor_updated_at
            UNION ALL SELECT 'version ' || v.id FROM makini.work_orders_versions v, makini.sync_state s
            WHERE s.job = 'overlap' AND v.valid_from > s.cursor_updated_at
            UNION ALL SELECT 'task ' || c.parent_id FROM makini.work_orders__tasks c, makini.sync_state s
            WHERE s.job = 'overlap' AND c.parent_updated_at > s.cursor_updated_at
            """)
        #expect(newer.isEmpty, "written beyond the checkpoint: \(newer.prefix(5))")
        #expect(!summary.updated.isEmpty)
        #expect(try await harness.checkpointProblems(job: "overlap", table: "work_orders", connection: "jde-plant-a", entity: "work-orders").isEmpty)
        _ = try await harness.query("DROP TRIGGER refuse_for_test ON makini.work_orders")
        let resumed = await harness.run(job)
        #expect(resumed.exitStatus == .success)
        #expect(resumed.streams.first?.record.counts.updated == 500 - committed)
        let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func overlappingWritesLeaveTheSameRowsChildRowsAndHistoryAsOneAfterTheOther() async throws {
        var tables: [[[String?]]] = []
        for overlap in [true, false] {
            let (harness, job, _) = try await Self.loadedHarness(seed: 47, changes: 600)
            defer { Task { await harness.stop() } }
            var options = harness.options()
            options.overlapPageWrites = overlap
            let report = await JobRunner(options: options).run(job)
            #expect(report.exitStatus == .success)
            #expect((report.streams.first?.record.pages ?? 0) >= 6)
            #expect(report.streams.first?.record.counts.updated == 600)
            let problems = try await harness.mismatches(table: "work_orders", connection: "jde-plant-a", entity: "work-orders")
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            tables.append(try await harness.query("""
                SELECT 'row', id, raw::text, deleted_at::text, NULL FROM makini.work_orders
                UNION ALL SELECT 'task', parent_id || '/' || ordinal, raw::text, parent_updated_at::text, NULL FROM makini.work_orders__tasks
                UNION ALL SELECT 'version', id, valid_from::text, valid_to::text, (raw IS NULL)::text || deleted::text
                    FROM makini.work_orders_versions
                ORDER BY 1, 2, 3
                """))
        }
        #expect(tables[0].count > 1_600)
        #expect(tables[0] == tables[1])
    }
}

@Suite("PageOverlap: which pages may overlap")
struct PageOverlapTests {
    @Test func onlyIncrementalMergesOverlapAndOnlyPagesSharingNoRecord() {
        #expect(PageOverlap.allowed(firstLoad: false, fullRefresh: false))
        #expect(!PageOverlap.allowed(firstLoad: true, fullRefresh: false), "a first load's pages all record the load in one row")
        #expect(!PageOverlap.allowed(firstLoad: false, fullRefresh: true), "a full refresh remembers what it saw in one session")
        #expect(PageOverlap.mayOverlap(previous: ["a", "b"], page: ["c", "d"]))
        #expect(!PageOverlap.mayOverlap(previous: ["a", "b"], page: ["c", "b"]), "a record changed again waits for its first write")
        #expect(PageOverlap.mayOverlap(previous: [], page: ["a"]))
    }

    @Test func aSecondSessionOnlyWhenTheRunSyncsOneConnectionAtATime() {
        #expect(PageOverlap.spareSession(concurrency: 4, connections: 1))
        #expect(PageOverlap.spareSession(concurrency: 1, connections: 30))
        #expect(!PageOverlap.spareSession(concurrency: 4, connections: 2))
        #expect(!PageOverlap.spareSession(concurrency: 8, connections: 40))
    }
}
