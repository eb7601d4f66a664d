-- makini-sync warehouse: analyst views.
-- Plain views over the entity and bookkeeping tables of 001_core.sql. Rows deleted at the source
-- (deleted_at IS NOT NULL) never appear, neither as the main row nor as a joined asset, site or location.
-- Joins go through the key columns of the same connection: work_orders.asset_key = assets.key, and so on.
-- Each join picks at most one live row (the most recently updated) so a duplicated key can never
-- multiply work orders. Views carry no ORDER BY: order in the query (docs/warehouse.md has examples).

-- Work orders ---------------------------------------------------------------------------------------

CREATE VIEW makini.open_work_orders AS
SELECT
    w.connection_id,
    w.id,
    w.id_value,
    w.code,
    w.title,
    w.status,
    w.severity,
    w.due_at,
    w.created_at,
    now() - coalesce(w.created_at, w.source_created_at)          AS age,
    coalesce(w.due_at < now(), false)                            AS is_overdue,
    w.asset_key,
    a.id                                                         AS asset_id,
    a.name                                                       AS asset_name,
    w.site_key,
    s.name                                                       AS site_name,
    s.code                                                       AS site_code,
    w.location_key,
    l.name                                                       AS location_name
FROM makini.work_orders w
LEFT JOIN LATERAL (
    SELECT x.id, x.name FROM makini.assets x
    WHERE x.connection_id = w.connection_id AND x.key = w.asset_key AND x.deleted_at IS NULL
    ORDER BY x.updated_at DESC, x.id LIMIT 1
) a ON true
LEFT JOIN LATERAL (
    SELECT x.name, x.code FROM makini.sites x
    WHERE x.connection_id = w.connection_id AND x.key = w.site_key AND x.deleted_at IS NULL
    ORDER BY x.updated_at DESC, x.id LIMIT 1
) s ON true
LEFT JOIN LATERAL (
    SELECT x.name FROM makini.locations x
    WHERE x.connection_id = w.connection_id AND x.key = w.location_key AND x.deleted_at IS NULL
    ORDER BY x.updated_at DESC, x.id LIMIT 1
) l ON true
WHERE w.deleted_at IS NULL
  AND w.completed_at IS NULL
  AND (w.status IS NULL
       OR lower(btrim(w.status)) NOT IN ('completed', 'closed', 'cancelled', 'canceled', 'done'));

COMMENT ON VIEW makini.open_work_orders IS
    'Work orders still open (status not completed/closed/cancelled/canceled/done, case-insensitive, and no completed_at), not deleted, with their asset, site and location names and their age.';
COMMENT ON COLUMN makini.open_work_orders.age IS
    'now() minus created_at (Makini''s creation time), or minus the source system''s created time when Makini sent none; NULL when neither is known.';
COMMENT ON COLUMN makini.open_work_orders.is_overdue IS
    'True when due_at is in the past; false when due_at is in the future or unknown.';
COMMENT ON COLUMN makini.open_work_orders.asset_id IS
    'Makini id of the live asset whose key is asset_key in the same connection; NULL when there is none (no asset_key, or the asset is deleted or not synced).';
COMMENT ON COLUMN makini.open_work_orders.asset_name IS
    'Name of the asset given by asset_id.';
COMMENT ON COLUMN makini.open_work_orders.site_name IS
    'Name of the live site whose key is site_key in the same connection.';
COMMENT ON COLUMN makini.open_work_orders.site_code IS
    'Code of the live site whose key is site_key in the same connection.';
COMMENT ON COLUMN makini.open_work_orders.location_name IS
    'Name of the live location whose key is location_key in the same connection.';

CREATE VIEW makini.work_orders_by_asset_status AS
SELECT
    w.connection_id,
    w.asset_key,
    a.name          AS asset_name,
    w.status,
    count(*)        AS work_orders
FROM makini.work_orders w
LEFT JOIN LATERAL (
    SELECT x.name FROM makini.assets x
    WHERE x.connection_id = w.connection_id AND x.key = w.asset_key AND x.deleted_at IS NULL
    ORDER BY x.updated_at DESC, x.id LIMIT 1
) a ON true
WHERE w.deleted_at IS NULL
GROUP BY w.connection_id, w.asset_key, a.name, w.status;

COMMENT ON VIEW makini.work_orders_by_asset_status IS
    'Number of live (not deleted) work orders per connection, asset and status, open and closed alike; work orders without an asset form the row whose asset_key is NULL.';
COMMENT ON COLUMN makini.work_orders_by_asset_status.asset_name IS
    'Name of the live asset whose key is asset_key in the same connection; NULL when it is deleted or not synced.';
COMMENT ON COLUMN makini.work_orders_by_asset_status.status IS
    'The work order status exactly as the source sent it (not case-folded).';
COMMENT ON COLUMN makini.work_orders_by_asset_status.work_orders IS
    'Number of live work orders with this connection, asset and status.';

CREATE VIEW makini.overdue_work_orders AS
SELECT
    o.connection_id,
    o.id,
    o.id_value,
    o.code,
    o.title,
    o.status,
    o.severity,
    o.due_at,
    now() - o.due_at                                             AS overdue_by,
    floor(extract(epoch FROM now() - o.due_at) / 86400)::integer AS days_overdue,
    o.asset_key,
    o.asset_id,
    o.asset_name,
    o.site_key,
    o.site_name,
    o.site_code,
    o.location_name
FROM makini.open_work_orders o
WHERE o.due_at < now();

COMMENT ON VIEW makini.overdue_work_orders IS
    'Open work orders (as in open_work_orders) whose due_at has passed, with how long ago and their asset and site.';
COMMENT ON COLUMN makini.overdue_work_orders.overdue_by IS
    'now() minus due_at.';
COMMENT ON COLUMN makini.overdue_work_orders.days_overdue IS
    'Whole days (24-hour periods) since due_at: 0 for a work order due less than a day ago.';

-- Sync bookkeeping ----------------------------------------------------------------------------------

CREATE VIEW makini.stream_freshness AS
SELECT
    st.job,
    st.connection_id,
    st.entity,
    st.last_success_at,
    now() - st.last_success_at          AS lag,
    st.cursor_updated_at,
    st.last_full_refresh_at,
    r.run_id                            AS last_run_id,
    r.started_at                        AS last_run_started_at,
    r.finished_at                       AS last_run_finished_at,
    r.status                            AS last_status,
    r.last_error_code,
    coalesce(c.needs_reauth, false)     AS needs_reauth
FROM makini.sync_state st
LEFT JOIN LATERAL (
    SELECT x.run_id, x.started_at, x.finished_at, x.status, x.last_error_code
    FROM makini.sync_stream_runs x
    WHERE x.job = st.job AND x.connection_id = st.connection_id AND x.entity = st.entity
    ORDER BY x.started_at DESC, x.run_id DESC LIMIT 1
) r ON true
LEFT JOIN makini.connections c ON c.connection_id = st.connection_id;

COMMENT ON VIEW makini.stream_freshness IS
    'Per stream (job x connection x entity with a checkpoint in sync_state): when it last synced successfully, how stale that is, and how its latest run ended.';
COMMENT ON COLUMN makini.stream_freshness.lag IS
    'now() minus last_success_at: how stale the synced rows of this stream may be; NULL when it never succeeded.';
COMMENT ON COLUMN makini.stream_freshness.cursor_updated_at IS
    'The _updatedAt of the last record committed (the incremental cursor), Makini''s clock rather than ours.';
COMMENT ON COLUMN makini.stream_freshness.last_run_id IS
    'The run of the stream''s most recently started sync_stream_runs row; NULL when it has none.';
COMMENT ON COLUMN makini.stream_freshness.last_status IS
    'Status of that latest stream run: running, succeeded, failed, skipped or interrupted.';
COMMENT ON COLUMN makini.stream_freshness.last_error_code IS
    'Error code recorded by that latest stream run (e.g. RATE_LIMIT_EXCEEDED), if any.';
COMMENT ON COLUMN makini.stream_freshness.needs_reauth IS
    'True when the connection needs re-authorisation in Makini (from makini.connections).';

CREATE VIEW makini.sync_health AS
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
    max(r.finished_at) FILTER (WHERE r.status = 'succeeded') AS last_succeeded_at
FROM makini.sync_runs r
WHERE r.started_at >= now() - interval '7 days'
GROUP BY r.job;

COMMENT ON VIEW makini.sync_health IS
    'Job runs started in the last 7 days, per job: how many, and how many succeeded, were partial, failed, were skipped (lock held) or are still running. Jobs without a run in that window do not appear.';
COMMENT ON COLUMN makini.sync_health.running IS
    'Runs still marked running: in progress, or a runner that died without recording its end.';
COMMENT ON COLUMN makini.sync_health.last_run_at IS
    'Start time of the job''s latest run.';
COMMENT ON COLUMN makini.sync_health.last_run_status IS
    'Status of the job''s latest run.';
COMMENT ON COLUMN makini.sync_health.last_succeeded_at IS
    'End time of the job''s latest succeeded run in the window; NULL when none succeeded.';

CREATE VIEW makini.sync_failures_by_code AS
WITH recent AS (
    SELECT x.* FROM makini.sync_stream_runs x WHERE x.started_at >= now() - interval '7 days'
), events AS (
    SELECT f.connection_id, f.entity, coalesce(f.last_error_code, '(none)') AS error_code,
           1::bigint AS failures, 0::bigint AS retries, f.started_at
    FROM recent f
    WHERE f.status = 'failed'
    UNION ALL
    SELECT t.connection_id, t.entity, e.key AS error_code,
           0::bigint AS failures,
           CASE WHEN e.value ~ '^[0-9]{1,18}$' THEN e.value::bigint ELSE 0 END AS retries,
           t.started_at
    FROM recent t
    CROSS JOIN LATERAL jsonb_each_text(
        CASE WHEN jsonb_typeof(t.retries_by_code) = 'object' THEN t.retries_by_code ELSE '{}'::jsonb END
    ) e
)
SELECT
    connection_id,
    entity,
    error_code,
    sum(failures)::bigint   AS failures,
    sum(retries)::bigint    AS retries,
    max(started_at)         AS last_seen_at
FROM events
GROUP BY connection_id, entity, error_code;

COMMENT ON VIEW makini.sync_failures_by_code IS
    'Stream runs started in the last 7 days, per connection, entity and error code: failed stream runs by their last_error_code, and retried failures summed from retries_by_code.';
COMMENT ON COLUMN makini.sync_failures_by_code.error_code IS
    'The Makini or makini-sync error code (e.g. RATE_LIMIT_EXCEEDED); (none) for a failed stream run that recorded no code.';
COMMENT ON COLUMN makini.sync_failures_by_code.failures IS
    'Stream runs with status failed whose last_error_code is error_code.';
COMMENT ON COLUMN makini.sync_failures_by_code.retries IS
    'Sum of the retries_by_code entries for error_code, over all stream runs (failed or not).';
COMMENT ON COLUMN makini.sync_failures_by_code.last_seen_at IS
    'Start time of the latest stream run that failed with, or retried on, error_code.';
