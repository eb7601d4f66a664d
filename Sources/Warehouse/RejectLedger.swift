import LibPQ

/// `makini.sync_rejects`: one row per refused record (job, connection, entity, id, reason, excerpt). A repeated
/// refusal of the same record, in this run or a later one, counts on the existing row instead of adding one.
enum RejectLedger {
    /// The upsert; `record_id = $5` or `record_id IS NULL` so the lookup stays on `sync_rejects_record_idx`.
    static func upsert(hasRecordId: Bool) -> String {
        """
        WITH repeated AS (
            UPDATE makini.sync_rejects
            SET times_rejected = times_rejected + 1, last_rejected_at = now(), last_run_id = $1
            WHERE job = $2 AND connection_id = $3 AND entity = $4 AND \(hasRecordId ? "record_id = $5" : "record_id IS NULL AND $5::text IS NULL")
              AND reason = $6 AND raw_excerpt IS NOT DISTINCT FROM $7
            RETURNING 1)
        INSERT INTO makini.sync_rejects (run_id, last_run_id, job, connection_id, entity, record_id, reason, raw_excerpt)
        SELECT $1, $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM repeated)
        """
    }

    /// Records one reject inside the caller's page transaction.
    static func record(_ reject: RejectedRow, key: StreamKey, runId: String, on conn: PGConnection) throws {
        try conn.execute(
            upsert(hasRecordId: reject.recordId != nil),
            [runId, key.job, key.connectionId, key.entity, StoredText.reject(reject.recordId), StoredText.reject(reject.reason),
             StoredText.reject(reject.excerpt)])
    }
}
