import Foundation
import LibPQ

/// One stream's state for `makini-sync status`.
public struct StreamStatus: Sendable, Codable, Equatable {
    public var job: String
    public var connectionId: String
    public var entity: String
    public var lastSuccessAt: Date?
    public var lagSeconds: Double?
    public var cursorUpdatedAt: Date?
    public var lastStatus: String?
    public var lastErrorCode: String?
    public var lastErrorMessage: String?
    public var liveRows: Int?
    public var needsReauth: Bool
    /// How late the latest run started after its schedule slot (run --due, the daemon); nil for runs by hand.
    public var startDelaySeconds: Double?
    /// False once the connection is no longer synced (a discovered connection gone, inactive or filtered out).
    public var connectionActive: Bool = true
    /// Why the connection is no longer synced: gone, inactive or filtered; nil while active.
    public var inactiveReason: String?
    /// Makini's upstream sync status of the connection (inprogress, done, fulldone, error, fail); nil when unknown.
    public var upstreamSyncStatus: String?
    /// When Makini last synchronised with the source system.
    public var upstreamSyncedAt: Date?
    /// The process running the stream now ("host h, pid 42"), from a live row of `makini.stream_leases`; nil when none.
    public var heldBy: String?
    /// Since when that process runs it.
    public var heldSince: Date?
}

extension WarehouseSession {
    /// Every stream the warehouse knows of (from checkpoints and run history), with its latest outcome.
    public func streamStatuses(job: String? = nil) async throws -> [StreamStatus] {
        let schema = self.schema
        return try await DatabaseFailure.wrap {
            try await database.run { conn in
                let rows = try conn.execute("""
                    WITH streams AS (
                        SELECT job, connection_id, entity FROM makini.sync_state
                        UNION SELECT job, connection_id, entity FROM makini.sync_stream_runs
                    ), latest AS (
                        SELECT DISTINCT ON (job, connection_id, entity) job, connection_id, entity, status, last_error_code, last_error_message,
                               run_id
                        FROM makini.sync_stream_runs ORDER BY job, connection_id, entity, started_at DESC
                    )
                    SELECT s.job, s.connection_id, s.entity, st.last_success_at,
                           extract(epoch FROM now() - st.last_success_at)::float8, st.cursor_updated_at,
                           l.status, l.last_error_code, l.last_error_message, coalesce(c.needs_reauth, false),
                           extract(epoch FROM r.started_at - r.scheduled_for)::float8,
                           coalesce(c.active, true), c.inactive_reason, c.upstream_sync_status, c.upstream_synced_at
                    FROM streams s
                    LEFT JOIN makini.sync_state st USING (job, connection_id, entity)
                    LEFT JOIN latest l USING (job, connection_id, entity)
                    LEFT JOIN makini.connections c ON c.connection_id = s.connection_id
                    LEFT JOIN makini.sync_runs r ON r.run_id = l.run_id
                    WHERE $1::text IS NULL OR s.job = $1
                    ORDER BY s.job, s.connection_id, s.entity
                    """, [job]).typedRows
                return try rows.map { row in
                    let entity = row.string(2) ?? ""
                    let connectionId = row.string(1) ?? ""
                    var liveRows: Int?
                    let table = ColumnNaming.defaultTable(forEntity: entity)
                    if try TableSchema.exists(conn, schema: schema, name: table) {
                        let target = try conn.quoteIdentifier(schema) + "." + (try conn.quoteIdentifier(table))
                        liveRows = try conn.execute(
                            "SELECT count(*) FROM \(target) WHERE connection_id = $1 AND deleted_at IS NULL", [connectionId]
                        ).row(0).int(0)
                    } else {
                        liveRows = try conn.execute(
                            "SELECT count(*) FROM makini.entity_records WHERE connection_id = $1 AND entity = $2 AND deleted_at IS NULL",
                            [connectionId, entity]
                        ).row(0).int(0)
                    }
                    return StreamStatus(
                        job: row.string(0) ?? "", connectionId: connectionId, entity: entity, lastSuccessAt: row.date(3),
                        lagSeconds: row.string(4).flatMap(Double.init), cursorUpdatedAt: row.date(5), lastStatus: row.string(6),
                        lastErrorCode: row.string(7), lastErrorMessage: row.string(8), liveRows: liveRows,
                        needsReauth: row.bool(9) ?? false, startDelaySeconds: row.string(10).flatMap(Double.init),
                        connectionActive: row.bool(11) ?? true, inactiveReason: row.string(12), upstreamSyncStatus: row.string(13),
                        upstreamSyncedAt: row.date(14))
                }
            }
        }
    }
}
