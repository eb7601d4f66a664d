import Foundation
import LibPQ
import MakiniRecords
import Outcomes

extension WarehouseSession {
    /// Records the start of a job run; `scheduledFor` is the schedule slot it was due for (run --due, daemon).
    public func startRun(runId: String, job: String, trigger: String, host: String, pid: Int32, scheduledFor: Date? = nil) async throws {
        _ = try await query(
            "INSERT INTO makini.sync_runs (run_id, job, trigger, host, pid, scheduled_for) VALUES ($1, $2, $3, $4, $5, $6)",
            [runId, job, trigger, host, String(pid), scheduledFor.map(PGText.timestampLiteral)])
    }

    /// Closes the job's runs (and their streams) still marked running as `abandoned`: every live run holds its own
    /// advisory lock (`holdRunLock`) on its bookkeeping session, so a run still marked running without it belongs to
    /// a process that died. Returns the closed run ids.
    public func closeAbandonedRuns(job: String, exceptRunId: String) async throws -> [String] {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.transaction { conn in
                    try conn.execute("""
                        UPDATE makini.sync_stream_runs SET status = 'abandoned', finished_at = now()
                        WHERE status = 'running' AND run_id IN (
                            SELECT run_id FROM makini.sync_runs r WHERE job = $1 AND status = 'running' AND run_id <> $2 AND \(Self.runGone("r")))
                        """, [job, exceptRunId])
                    let closed = try conn.execute("""
                        UPDATE makini.sync_runs SET status = 'abandoned', finished_at = now(),
                            message = 'its process ended without recording an end (killed, crashed or lost the warehouse); closed by run ' || $2
                        WHERE job = $1 AND status = 'running' AND run_id <> $2 AND \(Self.runGone("makini.sync_runs")) RETURNING run_id
                        """, [job, exceptRunId]).rows.compactMap { $0.first ?? nil }
                    return closed
                }
            }
        }
    }

    /// SQL condition: the run of `alias.run_id` holds no run lock (its process is gone).
    static func runGone(_ alias: String) -> String {
        "NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND "
            + "\(pgLocksKeySQL) = hashtextextended('makini-run:' || \(alias).run_id, 0))"
    }

    /// Records the end of a job run.
    public func finishRun(runId: String, status: RunStatus, exitCode: Int32, streamsTotal: Int, streamsFailed: Int, message: String?) async throws {
        _ = try await query("""
            UPDATE makini.sync_runs SET finished_at = now(), status = $2, exit_code = $3, streams_total = $4,
                streams_failed = $5, message = $6 WHERE run_id = $1
            """, [runId, status.rawValue, String(exitCode), String(streamsTotal), String(streamsFailed), StoredText.message(message)])
    }

    /// Records the start of a stream.
    public func startStream(runId: String, key: StreamKey, mode: String) async throws {
        _ = try await query("""
            INSERT INTO makini.sync_stream_runs (run_id, job, connection_id, entity, mode) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (run_id, connection_id, entity) DO NOTHING
            """, [runId, key.job, key.connectionId, key.entity, mode])
    }

    /// Records a stream's outcome and counts; its error code, message, request id and the codes of its retries
    /// pass the redactor and are bounded (`StoredText`).
    public func finishStream(runId: String, key: StreamKey, record: StreamRunRecord) async throws {
        _ = try await query(Self.finishStreamSQL, Self.finishStreamParameters(runId: runId, key: key, record: record))
    }

    /// The update of a stream's run row with its outcome: $1 run id, $2 connection id, $3 entity, $4...$22 the outcome.
    static let finishStreamSQL = """
        UPDATE makini.sync_stream_runs SET finished_at = now(), status = $4, pages = $5, records_read = $6,
            inserted = $7, updated = $8, unchanged = $9, deleted = $10, rejected = $11, conversion_nulls = $12,
            api_requests = $13, retries = $14, retries_by_code = $15::jsonb, duration_ms = $16,
            last_error_code = $17, last_error_message = $18, last_request_id = $19, requests_by_status = $20::jsonb,
            warnings_by_code = $21::jsonb, page_size = $22
        WHERE run_id = $1 AND connection_id = $2 AND entity = $3
        """

    /// The 22 parameters of `finishStreamSQL`.
    static func finishStreamParameters(runId: String, key: StreamKey, record: StreamRunRecord) -> [String?] {
        func jsonObject(_ counts: [String: Int]) -> String {
            var bounded: [String: Int] = [:]
            for (code, count) in counts { bounded[StoredText.short(code) ?? "", default: 0] += count }
            return "{" + bounded.sorted { $0.key < $1.key }.map { "\(JSONStringLiteral.quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
        }
        let retries = jsonObject(record.retriesByCode)
        let milliseconds = record.duration.components.seconds * 1000 + record.duration.components.attoseconds / 1_000_000_000_000_000
        return [
            runId, key.connectionId, key.entity, record.status.rawValue, String(record.pages), String(record.recordsRead),
            String(record.counts.inserted), String(record.counts.updated), String(record.counts.unchanged),
            String(record.deleted), String(record.rejected), String(record.conversionNulls), String(record.apiRequests),
            String(record.retries), retries, String(milliseconds), StoredText.short(record.lastErrorCode),
            StoredText.message(record.lastErrorMessage), StoredText.short(record.lastRequestId), jsonObject(record.requestsByStatus),
            jsonObject(record.warningsByCode), record.pageSize.map(String.init),
        ]
    }

    /// When the job last started a run that was not skipped (for `run --due`); webhook-triggered runs (one stream
    /// each) do not count, so the schedule stays the safety net.
    public func lastRunStart(job: String) async throws -> Date? {
        try await DatabaseFailure.wrap {
            try await database.run { conn in
                try conn.execute(
                    "SELECT max(started_at) FROM makini.sync_runs WHERE job = $1 AND status <> 'skipped' AND trigger <> 'webhook'", [job]
                ).row(0).date(0)
            }
        }
    }
}
