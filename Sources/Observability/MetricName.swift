/// The Prometheus metric names makini-sync exposes.
public enum MetricName {
    /// Records read from the API (counter; sync_job, connection, entity).
    public static let recordsRead = "makini_sync_records_read_total"
    /// Records written to the warehouse (counter; sync_job, connection, entity, op = inserted|updated|unchanged|deleted).
    public static let recordsWritten = "makini_sync_records_written_total"
    /// Pages fetched (counter; sync_job, connection, entity).
    public static let pages = "makini_sync_pages_total"
    /// API requests actually sent, by outcome (counter; connection, status = HTTP status or `transport`).
    public static let apiRequests = "makini_sync_api_requests_total"
    /// Retries by error code (counter; connection, entity, code).
    public static let retries = "makini_sync_retries_total"
    /// Stream run durations (histogram; sync_job, connection, entity, status).
    public static let streamDuration = "makini_sync_stream_duration_seconds"
    /// Unix time of a stream's last successful run (gauge; sync_job, connection, entity).
    public static let lastSuccess = "makini_sync_last_success_timestamp_seconds"
    /// Seconds since a stream's last successful run, +Inf when it never succeeded (gauge; sync_job, connection, entity).
    public static let freshness = "makini_sync_freshness_seconds"
    /// Seconds between a job's schedule slot and the start of its latest scheduled run (gauge; sync_job).
    public static let startDelay = "makini_sync_job_start_delay_seconds"
    /// Exit status of a job's latest finished run (gauge; sync_job).
    public static let lastExitCode = "makini_sync_job_last_exit_code"
    /// 1 when the warehouse answered the query behind these values, 0 when they come from an earlier answer (gauge).
    public static let warehouseUp = "makini_sync_warehouse_up"
    /// Counter: records refused, by stream.
    public static let rejects = "makini_sync_rejects_total"
    /// Gauge: how stale a stream may get before an alert is due.
    public static let freshnessLimit = "makini_sync_freshness_limit_seconds"
    /// Gauge: failed or partial runs of a job since its latest success.
    public static let consecutiveFailures = "makini_sync_job_consecutive_failures"
    /// Gauge: 1 when a connection needs re-authorisation by a person.
    public static let needsReauth = "makini_sync_connection_needs_reauth"
    /// Counter: webhook deliveries received at the webhook endpoint.
    public static let webhooksReceived = "makini_sync_webhooks_received_total"
    /// Counter: webhook deliveries whose signature verified.
    public static let webhooksVerified = "makini_sync_webhooks_verified_total"
    /// Counter: webhook deliveries rejected, by reason (missing_signature, bad_signature, too_large, malformed, replayed).
    public static let webhooksRejected = "makini_sync_webhooks_rejected_total"
    /// Counter: verified webhook events no job syncs (acknowledged, ignored).
    public static let webhooksIgnored = "makini_sync_webhooks_ignored_total"
    /// Counter: runs started by webhooks, by result (succeeded, failed, held = the connection was leased elsewhere).
    public static let webhookRuns = "makini_sync_webhook_runs_total"
    /// Histogram: seconds from a webhook's arrival to the end of the run that committed its stream.
    public static let webhookTriggerToCommit = "makini_sync_webhook_trigger_to_commit_seconds"
}
