-- makini-sync warehouse: operations bookkeeping.
-- Requests counted by the HTTP status they really got (a circuit-open wait sends nothing and is not a request),
-- the schedule slot a run was due for (so its start delay is known), and the run outcomes interrupted (stopped by
-- SIGTERM/SIGINT after the last committed page) and abandoned (its process died; closed by the job's next run).

ALTER TABLE makini.sync_stream_runs
    ADD COLUMN requests_by_status jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN makini.sync_stream_runs.requests_by_status IS
    'API requests actually sent, by HTTP status, "transport" (no answer) or "cancelled" (a stop request cancelled it in flight), e.g. {"200": 12, "503": 2}; api_requests is their sum.';
COMMENT ON COLUMN makini.sync_stream_runs.status IS
    'running, succeeded, failed, skipped (connection needs re-authorisation), interrupted (stopped after its last committed page) or abandoned (its process died).';

ALTER TABLE makini.sync_runs
    ADD COLUMN scheduled_for timestamptz;
COMMENT ON COLUMN makini.sync_runs.scheduled_for IS
    'For run --due and the daemon: the schedule slot the run was due for (the first fire time after the previous start); started_at minus this is how late it started.';
COMMENT ON COLUMN makini.sync_runs.status IS
    'running, succeeded, partial (some streams failed), failed, skipped (lock held), interrupted (stopped by SIGTERM/SIGINT after each stream''s last committed page) or abandoned (its process died without recording an end; closed by the job''s next run).';

CREATE OR REPLACE VIEW makini.sync_health AS
SELECT
    r.job,
    count(*)                                                AS runs,
    count(*) FILTER (WHERE r.status = 'succeeded')          AS succeeded,
    count(*) FILTER (WHERE r.status = 'partial')            AS partial,
    count(*) FILTER (WHERE r.status = 'failed')             AS failed,
    count(*) FILTER (WHERE r.status = 'skipped')            AS skipped,
    count(*) FILTER (WHERE r.status = 'running')            AS running,
    max(r.started_at)                                       AS last_run_at,
    (array_agg(r.status ORDER BY r.started_at DESC, r.run_id DESC))[1] AS last_run_status,
    max(r.finished_at) FILTER (WHERE r.status = 'succeeded') AS last_succeeded_at,
    count(*) FILTER (WHERE r.status = 'interrupted')        AS interrupted,
    count(*) FILTER (WHERE r.status = 'abandoned')          AS abandoned
FROM makini.sync_runs r
WHERE r.started_at >= now() - interval '7 days'
GROUP BY r.job;

COMMENT ON COLUMN makini.sync_health.running IS
    'Runs still marked running: in progress (a run whose process died is closed as abandoned by the job''s next run).';
COMMENT ON COLUMN makini.sync_health.interrupted IS
    'Runs stopped by SIGTERM/SIGINT after their streams'' last committed page; the next run resumes from there.';
COMMENT ON COLUMN makini.sync_health.abandoned IS
    'Runs whose process died without recording an end (SIGKILL, crash, warehouse gone), closed by the job''s next run.';
