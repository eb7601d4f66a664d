import Foundation
import LibPQ
import PostgresTestSupport
import Testing
import Warehouse

/// The SQL of stream leases against a real PostgreSQL: a lease is one session's advisory lock, gone with the session;
/// lease rows carry the key `pg_locks` shows; done rows per slot; a live run's lock keeps it from being closed as abandoned.
@Suite("Stream lease store")
struct StreamLeaseStoreTests {
    static func database() async throws -> String {
        let url = try await TestDatabase.create(prefix: "leases")
        let db = try await DatabaseSession.connect(url: url)
        _ = try await Migrator(files: try MigrationFile.load(directory: try SQLDirectory.locate())).migrate(db)
        await db.close()
        return url
    }

    @Test func aLeaseIsOneSessionsUntilReleasedOrTheSessionEnds() async throws {
        let url = try await Self.database()
        let first = try await WarehouseSession.connect(url: url)
        let second = try await WarehouseSession.connect(url: url)
        defer { Task { await second.close() } }
        #expect(try await first.tryLeaseConnection(job: "j", connectionId: "c1"))
        #expect(try await !second.tryLeaseConnection(job: "j", connectionId: "c1"))
        #expect(try await second.tryLeaseConnection(job: "j", connectionId: "c2"), "another connection is another lease")
        #expect(try await second.tryLeaseConnection(job: "k", connectionId: "c1"), "another job is another lease")
        let key = StreamKey(job: "j", connectionId: "c1", entity: "sites")
        try await first.recordStreamLease(key, host: "h1", pid: 11, runId: "r1", slot: nil)
        let rows = try await second.streamLeaseRows(job: "j")
        #expect(rows.map(\.key) == [key] && rows.first?.host == "h1" && rows.first?.pid == 11)
        let firstBackend = try #require(Int(try await first.query("SELECT pg_backend_pid()").first?[0] ?? ""))
        let row = try #require(rows.first)
        #expect(row.backendPid == firstBackend)
        #expect(try await second.heldAdvisoryLocks().contains(HeldAdvisoryLock(key: row.leaseKey, backendPid: firstBackend)),
                "the row's key is the lock pg_locks shows for its session")
        try await first.releaseConnectionLease(job: "j", connectionId: "c1")
        #expect(try await second.streamLeaseRows(job: "j").isEmpty, "released: the row goes too")
        #expect(try await !second.heldAdvisoryLocks().contains(HeldAdvisoryLock(key: row.leaseKey, backendPid: firstBackend)))
        #expect(try await second.tryLeaseConnection(job: "j", connectionId: "c1"))
        try await second.releaseConnectionLease(job: "j", connectionId: "c1")
        // A session that ends (a process killed) loses its lease; its row stays, stale.
        #expect(try await first.tryLeaseConnection(job: "j", connectionId: "c1"))
        try await first.recordStreamLease(key, host: "h1", pid: 11, runId: "r1", slot: nil)
        await first.close()
        var taken = false
        for _ in 0..<200 where !taken {
            taken = try await second.tryLeaseConnection(job: "j", connectionId: "c1")
            if !taken { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(taken)
        let stale = try await second.streamLeaseRows(job: "j")
        let heldNow = try await second.heldAdvisoryLocks()
        #expect(stale.count == 1 && !heldNow.contains(HeldAdvisoryLock(key: row.leaseKey, backendPid: firstBackend)))
    }

    @Test func streamsAreDoneOncePerSlot() async throws {
        let session = try await WarehouseSession.connect(url: try await Self.database())
        defer { Task { await session.close() } }
        let slot = Date(timeIntervalSince1970: 1_800_000_000)
        let later = slot.addingTimeInterval(600)
        let sites = StreamKey(job: "j", connectionId: "c1", entity: "sites")
        let assets = StreamKey(job: "j", connectionId: "c2", entity: "assets")
        try await session.markStreamDone(sites, slot: slot, runId: "r1", host: "h", pid: 1, status: "succeeded")
        try await session.markStreamDone(sites, slot: slot, runId: "r2", host: "h", pid: 2, status: "failed")
        try await session.markStreamDone(assets, slot: later, runId: "r3", host: "h", pid: 3, status: "succeeded")
        #expect(try await session.doneStreams(job: "j", slot: slot) == [sites])
        #expect(try await session.doneStreams(job: "j", slot: later) == [assets])
        #expect(try await session.doneStreams(job: "j", slot: slot, connectionId: "c2").isEmpty)
        #expect(try await session.query("SELECT run_id FROM makini.stream_slots WHERE entity = 'sites'") == [["r1"]], "the first done row stays")
        try await session.startRun(runId: "r1", job: "j", trigger: "due", host: "h", pid: 1, scheduledFor: slot)
        try await session.startRun(runId: "r3", job: "j", trigger: "due", host: "h", pid: 3, scheduledFor: later)
        #expect(try await session.latestSlot(job: "j") == later)
        #expect(try await session.latestSlot(job: "other") == nil)
    }

    @Test func aRunWhoseSessionHoldsItsLockIsNotClosedAsAbandoned() async throws {
        let url = try await Self.database()
        let live = try await WarehouseSession.connect(url: url)
        defer { Task { await live.close() } }
        let dead = try await WarehouseSession.connect(url: url)
        let closer = try await WarehouseSession.connect(url: url)
        defer { Task { await closer.close() } }
        try await live.holdRunLock(runId: "live-run")
        try await live.startRun(runId: "live-run", job: "j", trigger: "due", host: "h", pid: 1)
        try await dead.holdRunLock(runId: "dead-run")
        try await dead.startRun(runId: "dead-run", job: "j", trigger: "due", host: "h", pid: 2)
        #expect(try await closer.closeAbandonedRuns(job: "j", exceptRunId: "new-run").isEmpty, "both runs are alive")
        await dead.close()
        var closed: [String] = []
        for _ in 0..<200 where closed.isEmpty {
            closed = try await closer.closeAbandonedRuns(job: "j", exceptRunId: "new-run")
            if closed.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(closed == ["dead-run"])
        #expect(try await closer.query("SELECT run_id, status FROM makini.sync_runs ORDER BY run_id") == [["dead-run", "abandoned"], ["live-run", "running"]])
    }
}
