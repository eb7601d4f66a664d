import Foundation
import LibPQ

/// Who runs a stream under its connection's lease: for its row in `makini.stream_leases` while it runs and, for a
/// schedule slot, its row in `makini.stream_slots` when it ends.
public struct StreamHolder: Sendable, Equatable {
    public var host: String
    public var pid: Int32
    /// The schedule slot the run works for (nil: a run by name, which records no slot).
    public var slot: Date?

    public init(host: String, pid: Int32, slot: Date?) {
        self.host = host
        self.pid = pid
        self.slot = slot
    }
}

/// The bookkeeping at a stream's two ends, each one prepared statement (one round trip) instead of three or four: a
/// fleet's no-change pass is mostly these ends. Every write is the one the separate calls make (`startStream`,
/// `recordStreamLease`, `readCheckpoint`; `finishStream`, `markStreamSucceeded`, `markStreamDone`, `clearStreamLease`).
extension WarehouseSession {
    /// Starts a stream: its row in `sync_stream_runs` and, with `holder`, its row in `stream_leases` (call it holding
    /// the connection's lease); returns the stream's committed checkpoint.
    public func beginStream(runId: String, key: StreamKey, mode: String, holder: StreamHolder?) async throws -> CursorPosition? {
        let parameters: [String?] = [
            key.job, key.connectionId, key.entity, runId, mode, holder?.host, holder.map { String($0.pid) },
            holder?.slot.map(PGText.timestampLiteral), holder == nil ? "false" : "true",
        ]
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                let rows = try conn.executePrepared(Self.beginStreamSQL, parameters).typedRows
                guard let row = rows.first, let date = row.date(0), let id = row.string(1) else { return nil }
                return CursorPosition(updatedAt: date, id: id)
            }
        }
    }

    /// Ends a stream in one statement, so in one transaction: its outcome in `sync_stream_runs`, `last_success_at` in
    /// `sync_state` when it succeeded and, with `holder`, its lease row removed and, for a slot, the stream recorded
    /// done (unless a stop interrupted it: another process, or the next run, finishes it in the same slot).
    public func endStream(runId: String, key: StreamKey, record: StreamRunRecord, holder: StreamHolder?) async throws {
        let parameters = Self.finishStreamParameters(runId: runId, key: key, record: record) + [
            key.job, holder?.slot.map(PGText.timestampLiteral), holder?.host, holder.map { String($0.pid) },
            holder == nil ? "false" : "true",
        ]
        _ = try await DatabaseFailure.wrap {
            try await database.run { conn in try conn.executePrepared(Self.endStreamSQL, parameters) }
        }
    }

    /// $1 job, $2 connection id, $3 entity, $4 run id, $5 mode, $6 host, $7 pid, $8 slot, $9 whether to write the lease row.
    static let beginStreamSQL = """
        WITH lease AS (
            INSERT INTO makini.stream_leases (job, connection_id, entity, lease_key, host, pid, backend_pid, run_id, slot, since)
            SELECT $1, $2, $3, \(leaseKeySQL), $6, $7::integer, pg_backend_pid(), $4, $8::timestamptz, now() WHERE $9::boolean
            ON CONFLICT (job, connection_id, entity) DO UPDATE SET lease_key = EXCLUDED.lease_key, host = EXCLUDED.host,
                pid = EXCLUDED.pid, backend_pid = EXCLUDED.backend_pid, run_id = EXCLUDED.run_id, slot = EXCLUDED.slot, since = now()
        ), started AS (
            INSERT INTO makini.sync_stream_runs (run_id, job, connection_id, entity, mode) VALUES ($4, $1, $2, $3, $5)
            ON CONFLICT (run_id, connection_id, entity) DO NOTHING
        )
        SELECT cursor_updated_at, cursor_id FROM makini.sync_state WHERE job = $1 AND connection_id = $2 AND entity = $3
        """

    /// `finishStreamSQL`'s $1...$22, then $23 job, $24 slot, $25 host, $26 pid, $27 whether a holder ran it.
    static let endStreamSQL = """
        WITH finished AS (
        \(finishStreamSQL)
        ), succeeded AS (
            INSERT INTO makini.sync_state (job, connection_id, entity, last_success_at, updated_at)
            SELECT $23, $2, $3, now(), now() WHERE $4 = 'succeeded'
            ON CONFLICT (job, connection_id, entity) DO UPDATE SET last_success_at = now(), updated_at = now()
        ), done AS (
            INSERT INTO makini.stream_slots (job, connection_id, entity, slot, run_id, host, pid, status)
            SELECT $23, $2, $3, $24::timestamptz, $1, $25, $26::integer, $4
            WHERE $27::boolean AND $24::timestamptz IS NOT NULL AND $4 <> 'interrupted'
            ON CONFLICT DO NOTHING
        ), cleared AS (
            DELETE FROM makini.stream_leases
            WHERE $27::boolean AND job = $23 AND connection_id = $2 AND entity = $3 AND backend_pid = pg_backend_pid()
        )
        SELECT 1
        """
}
