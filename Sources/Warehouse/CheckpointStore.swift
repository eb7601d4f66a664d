import Foundation
import LibPQ

extension WarehouseSession {
    /// The committed checkpoint of a stream, if it has one.
    public func readCheckpoint(_ key: StreamKey) async throws -> CursorPosition? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                let rows = try conn.execute("""
                    SELECT cursor_updated_at, cursor_id FROM makini.sync_state
                    WHERE job = $1 AND connection_id = $2 AND entity = $3
                    """, [key.job, key.connectionId, key.entity]).typedRows
                guard let row = rows.first, let date = row.date(0), let id = row.string(1) else { return nil }
                return CursorPosition(updatedAt: date, id: id)
            }
        }
    }

    /// Records that a stream finished successfully now.
    public func markStreamSucceeded(_ key: StreamKey) async throws {
        _ = try await query("""
            INSERT INTO makini.sync_state (job, connection_id, entity, last_success_at, updated_at) VALUES ($1, $2, $3, now(), now())
            ON CONFLICT (job, connection_id, entity) DO UPDATE SET last_success_at = now(), updated_at = now()
            """, [key.job, key.connectionId, key.entity])
    }

    /// Clears checkpoints so the next run re-reads everything; nil connection/entity means all of the job's. The
    /// stream's `last_success_at` stays (the synced rows are as fresh as before). Returns how many were cleared.
    public func resetCheckpoints(job: String, connectionId: String?, entity: String?) async throws -> Int {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute("""
                    UPDATE makini.sync_state SET cursor_updated_at = NULL, cursor_id = NULL, updated_at = now()
                    WHERE job = $1 AND ($2::text IS NULL OR connection_id = $2) AND ($3::text IS NULL OR entity = $3)
                      AND (cursor_id IS NOT NULL OR cursor_updated_at IS NOT NULL)
                    """, [job, connectionId, entity]).affectedRows
            }
        }
    }

    /// Every stream the warehouse knows of, from checkpoints and run history.
    public func knownStreams() async throws -> [StreamKey] {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute("""
                    SELECT job, connection_id, entity FROM makini.sync_state
                    UNION SELECT job, connection_id, entity FROM makini.sync_stream_runs
                    ORDER BY 1, 2, 3
                    """).rows.map { StreamKey(job: $0[0] ?? "", connectionId: $0[1] ?? "", entity: $0[2] ?? "") }
            }
        }
    }
}

/// The writes of a stream's checkpoint row (`makini.sync_state`) made inside a page's or a scan's transaction; with
/// the session methods above, every write of `sync_state` is in this file.
enum CheckpointStore {
    /// Moves the stream's checkpoint to `checkpoint` (inside the page transaction).
    static func save(_ checkpoint: CursorPosition, key: StreamKey, on conn: PGConnection) throws {
        try conn.executePrepared("""
            INSERT INTO makini.sync_state (job, connection_id, entity, cursor_updated_at, cursor_id, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (job, connection_id, entity) DO UPDATE
            SET cursor_updated_at = EXCLUDED.cursor_updated_at, cursor_id = EXCLUDED.cursor_id, updated_at = now()
            """, [key.job, key.connectionId, key.entity, PGText.timestampLiteral(checkpoint.date), checkpoint.id])
    }

    /// Records that a full-refresh scan of the stream completed (inside the tombstoning transaction).
    static func markFullRefresh(_ key: StreamKey, on conn: PGConnection) throws {
        try conn.execute("""
            UPDATE makini.sync_state SET last_full_refresh_at = now()
            WHERE job = $1 AND connection_id = $2 AND entity = $3
            """, [key.job, key.connectionId, key.entity])
    }
}
