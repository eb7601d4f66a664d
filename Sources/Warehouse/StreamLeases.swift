import Foundation
import LibPQ

/// One row of `makini.stream_leases`: who started a stream, on which session, and whether that session still holds
/// the lease (`live`; a row of a process that died stays until the stream's next holder overwrites it).
public struct StreamLeaseRow: Sendable, Equatable {
    public var key: StreamKey
    public var leaseKey: Int64
    public var host: String
    public var pid: Int
    public var backendPid: Int
    public var runId: String
    public var slot: Date?
    public var since: Date?

    public init(key: StreamKey, leaseKey: Int64, host: String, pid: Int, backendPid: Int, runId: String, slot: Date?, since: Date?) {
        self.key = key
        self.leaseKey = leaseKey
        self.host = host
        self.pid = pid
        self.backendPid = backendPid
        self.runId = runId
        self.slot = slot
        self.since = since
    }
}

/// An advisory lock held now by some session, from `pg_locks` (bigint form: the key and the backend holding it).
public struct HeldAdvisoryLock: Sendable, Hashable {
    public var key: Int64
    public var backendPid: Int

    public init(key: Int64, backendPid: Int) {
        self.key = key
        self.backendPid = backendPid
    }
}

extension WarehouseSession {
    /// SQL of a connection lease's advisory-lock key from `$1` (job) and `$2` (connection id).
    static let leaseKeySQL = "hashtextextended('makini-lease:' || $1::text || chr(31) || $2::text, 0)"
    /// SQL of a run's advisory-lock key from `$1` (run id): held by the run's bookkeeping session while it lives.
    static let runKeySQL = "hashtextextended('makini-run:' || $1::text, 0)"
    /// SQL of a `pg_locks` row's bigint advisory key.
    static let pgLocksKeySQL = "((l.classid::bigint << 32) | l.objid::bigint)"

    /// Tries to take the lease of a job's connection on this session (a session-level advisory lock, so a process that
    /// dies loses it with its session). True when taken; false when another session holds it.
    public func tryLeaseConnection(job: String, connectionId: String) async throws -> Bool {
        try await queryPrepared("SELECT pg_try_advisory_lock(\(Self.leaseKeySQL))", [job, connectionId]).row(0).bool(0) ?? false
    }

    /// Gives the connection's lease back and deletes the stream rows this session wrote under it (one statement; the
    /// rows only inform `status`, and a stream's slot record was committed before).
    public func releaseConnectionLease(job: String, connectionId: String) async throws {
        _ = try await queryPrepared("""
            WITH cleared AS (
                DELETE FROM makini.stream_leases WHERE job = $1 AND connection_id = $2 AND backend_pid = pg_backend_pid()
            )
            SELECT pg_advisory_unlock(\(Self.leaseKeySQL))
            """, [job, connectionId])
    }

    /// Records that this session's process runs `key` now (under the connection's lease, for `status`).
    public func recordStreamLease(_ key: StreamKey, host: String, pid: Int32, runId: String, slot: Date?) async throws {
        _ = try await query("""
            INSERT INTO makini.stream_leases (job, connection_id, entity, lease_key, host, pid, backend_pid, run_id, slot, since)
            VALUES ($1, $2, $3, \(Self.leaseKeySQL), $4, $5, pg_backend_pid(), $6, $7, now())
            ON CONFLICT (job, connection_id, entity) DO UPDATE SET lease_key = EXCLUDED.lease_key, host = EXCLUDED.host,
                pid = EXCLUDED.pid, backend_pid = EXCLUDED.backend_pid, run_id = EXCLUDED.run_id, slot = EXCLUDED.slot, since = now()
            """, [key.job, key.connectionId, key.entity, host, String(pid), runId, slot.map(PGText.timestampLiteral)])
    }

    /// Removes this session's row for `key` (the stream ended; the connection's lease may still be held).
    public func clearStreamLease(_ key: StreamKey) async throws {
        _ = try await query(
            "DELETE FROM makini.stream_leases WHERE job = $1 AND connection_id = $2 AND entity = $3 AND backend_pid = pg_backend_pid()",
            [key.job, key.connectionId, key.entity])
    }

    /// Every `makini.stream_leases` row (of one job, or all), live or stale.
    public func streamLeaseRows(job: String? = nil) async throws -> [StreamLeaseRow] {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute("""
                    SELECT job, connection_id, entity, lease_key, host, pid, backend_pid, run_id, slot, since
                    FROM makini.stream_leases WHERE $1::text IS NULL OR job = $1 ORDER BY job, connection_id, entity
                    """, [job]).typedRows.map { row in
                    StreamLeaseRow(
                        key: StreamKey(job: row.string(0) ?? "", connectionId: row.string(1) ?? "", entity: row.string(2) ?? ""),
                        leaseKey: Int64(row.string(3) ?? "") ?? 0, host: row.string(4) ?? "", pid: row.int(5) ?? 0,
                        backendPid: row.int(6) ?? 0, runId: row.string(7) ?? "", slot: row.date(8), since: row.date(9))
                }
            }
        }
    }

    /// The advisory locks (bigint form) held now by any session: with `streamLeaseRows`, which leases are live.
    public func heldAdvisoryLocks() async throws -> Set<HeldAdvisoryLock> {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                Set(try conn.execute("""
                    SELECT \(Self.pgLocksKeySQL), l.pid FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
                    """).typedRows.map { HeldAdvisoryLock(key: Int64($0.string(0) ?? "") ?? 0, backendPid: $0.int(1) ?? 0) })
            }
        }
    }

    /// The schedule slot of the job's most recent run that had one (`sync_runs.scheduled_for`), or nil.
    public func latestSlot(job: String) async throws -> Date? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute(
                    "SELECT max(scheduled_for) FROM makini.sync_runs WHERE job = $1 AND scheduled_for IS NOT NULL", [job]
                ).row(0).date(0)
            }
        }
    }

    /// The streams (connection id, entity) of `job` done for `slot`, or of one connection only.
    public func doneStreams(job: String, slot: Date, connectionId: String? = nil) async throws -> Set<StreamKey> {
        // Prepared per connection (asked once per connection turn); each condition an index condition in a generic plan.
        let result = connectionId == nil
            ? try await queryPrepared(
                "SELECT connection_id, entity FROM makini.stream_slots WHERE job = $1 AND slot = $2", [job, PGText.timestampLiteral(slot)])
            : try await queryPrepared(
                "SELECT connection_id, entity FROM makini.stream_slots WHERE job = $1 AND slot = $2 AND connection_id = $3",
                [job, PGText.timestampLiteral(slot), connectionId])
        return Set(result.typedRows.map { StreamKey(job: job, connectionId: $0.string(0) ?? "", entity: $0.string(1) ?? "") })
    }

    /// Records `key` as done for `slot` (call it holding the connection's lease, before giving the lease back).
    public func markStreamDone(_ key: StreamKey, slot: Date, runId: String, host: String, pid: Int32, status: String) async throws {
        _ = try await query("""
            INSERT INTO makini.stream_slots (job, connection_id, entity, slot, run_id, host, pid, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
            """, [key.job, key.connectionId, key.entity, PGText.timestampLiteral(slot), runId, host, String(pid), status])
    }

    /// Takes the run's own advisory lock on this (bookkeeping) session: while it is held the run is alive, so
    /// `closeAbandonedRuns` leaves it alone even though other processes run the same job at the same time.
    public func holdRunLock(runId: String) async throws {
        _ = try await query("SELECT pg_advisory_lock(\(Self.runKeySQL))", [runId])
    }

    /// Gives the run's advisory lock back.
    public func releaseRunLock(runId: String) async throws {
        _ = try await query("SELECT pg_advisory_unlock(\(Self.runKeySQL))", [runId])
    }
}
