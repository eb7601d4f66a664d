-- makini-sync warehouse: the history of every observed version (SCD type 2), the work-order status history, and
-- the maintenance KPI views (formulas and caveats: docs/kpis.md).
--
-- makini.<table>_history holds one row per version of a record that a sync observed: the base table's columns as
-- they were in that version, plus valid_from (the version's _updatedAt), valid_to (the next version's valid_from;
-- NULL for the newest), is_current (the newest version), deleted and run_id. makini-sync writes it in the same page
-- transaction as the current row, only when the content (raw without _updatedAt, and the deleted flag) changed.
-- History tables are made by makini.create_history_table: here for the entities whose streams keep history by
-- default, and by the first sync of a stream with `history: true` for any other typed table.

CREATE FUNCTION makini.create_history_table(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    history text := base || '_history';
BEGIN
    IF octet_length(history) > 63 THEN
        RAISE EXCEPTION 'table name %.% is too long for a history table (at most 55 bytes)', 'makini', base;
    END IF;
    -- Two streams starting at once must not both create it.
    PERFORM pg_advisory_xact_lock(hashtext('makini.create_history_table'), hashtext(base));
    IF to_regclass(format('makini.%I', history)) IS NOT NULL THEN
        RETURN;
    END IF;
    EXECUTE format($sql$
        CREATE TABLE makini.%I (
            LIKE makini.%I INCLUDING DEFAULTS INCLUDING COMMENTS,
            valid_from timestamptz NOT NULL,
            valid_to   timestamptz,
            is_current boolean     NOT NULL,
            deleted    boolean     NOT NULL,
            run_id     text,
            PRIMARY KEY (connection_id, id, valid_from),
            CHECK (valid_to IS NULL OR valid_to > valid_from),
            CHECK (is_current = (valid_to IS NULL))
        )$sql$, history, base);
    EXECUTE format('CREATE UNIQUE INDEX %I ON makini.%I (connection_id, id) WHERE is_current', history || '_current', history);
    EXECUTE format(
        'COMMENT ON TABLE makini.%I IS %L', history,
        'Every version of makini.' || base || ' rows that makini-sync observed (SCD type 2): one row per version, written in the same '
            || 'transaction as the current row and only when the content (raw without _updatedAt, and the deleted flag) changed. '
            || 'The other columns are the row as it was in that version.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.valid_from IS %L', history,
        'When this version began: its _updatedAt; for a change seen without a new _updatedAt (a full-refresh absence, a row '
            || 'back after one), the time makini-sync observed it.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.valid_to IS %L', history,
        'When the next version began (its valid_from); NULL for the newest version.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.is_current IS %L', history,
        'True for the newest version of the record, the one the current table holds; exactly one per record.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.deleted IS %L', history,
        'True when this version is a deletion: _deletedAt set at the source, or the record was not seen by a completed full refresh.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.run_id IS %L', history,
        'The run (makini.sync_runs.run_id) that wrote this version; NULL for versions taken over from the current table when the history table was created.');
    -- The rows already synced are the first observed versions.
    EXECUTE format(
        'INSERT INTO makini.%I SELECT t.*, t.updated_at, NULL, true, t.deleted_at IS NOT NULL, NULL FROM makini.%I t', history, base);
END $$;
COMMENT ON FUNCTION makini.create_history_table(text) IS
    'Creates makini.<base>_history for a typed table (its columns, comments, the version columns) and fills it with the rows already synced; does nothing when it exists.';

SELECT makini.create_history_table('work_orders');
SELECT makini.create_history_table('purchase_orders');
SELECT makini.create_history_table('service_requests');
SELECT makini.create_history_table('assets');

-- Work-order status history ------------------------------------------------------------------------

CREATE VIEW makini.work_order_status_history AS
WITH versions AS (
    SELECT
        h.connection_id, h.id, h.status, h.deleted, h.valid_from, h.valid_to,
        CASE WHEN h.status IS NOT DISTINCT FROM lag(h.status) OVER w AND h.deleted = lag(h.deleted) OVER w THEN 0 ELSE 1 END AS starts
    FROM makini.work_orders_history h
    WINDOW w AS (PARTITION BY h.connection_id, h.id ORDER BY h.valid_from)
), islands AS (
    SELECT v.*, sum(v.starts) OVER (PARTITION BY v.connection_id, v.id ORDER BY v.valid_from) AS island
    FROM versions v
), intervals AS (
    SELECT
        connection_id, id, island, min(status) AS status, bool_or(deleted) AS deleted, min(valid_from) AS entered_at,
        CASE WHEN bool_or(valid_to IS NULL) THEN NULL ELSE max(valid_to) END AS left_at
    FROM islands
    GROUP BY connection_id, id, island
)
SELECT
    connection_id,
    id                     AS work_order_id,
    status,
    entered_at,
    left_at,
    left_at - entered_at   AS duration,
    left_at IS NULL        AS is_current
FROM intervals
WHERE NOT deleted;

COMMENT ON VIEW makini.work_order_status_history IS
    'One row per interval a work order spent in one status, from makini.work_orders_history: consecutive versions with the same status merge into one interval; a deletion ends the interval (deleted versions are no interval).';
COMMENT ON COLUMN makini.work_order_status_history.work_order_id IS 'Makini id of the work order (work_orders.id).';
COMMENT ON COLUMN makini.work_order_status_history.status IS 'The work order''s status field during the interval (NULL when the source sent none).';
COMMENT ON COLUMN makini.work_order_status_history.entered_at IS 'valid_from of the first version with this status: when the sync observed the work order entering it.';
COMMENT ON COLUMN makini.work_order_status_history.left_at IS 'valid_from of the next version with another status, or of its deletion; NULL while the work order is still in this status.';
COMMENT ON COLUMN makini.work_order_status_history.duration IS 'left_at - entered_at; NULL while the interval is open.';
COMMENT ON COLUMN makini.work_order_status_history.is_current IS 'True for the status the work order is in now (the open interval).';

-- KPI building blocks ------------------------------------------------------------------------------

CREATE VIEW makini.work_order_kinds AS
SELECT
    w.connection_id,
    w.id,
    CASE
        WHEN w.pm_key IS NOT NULL OR lower(btrim(w.category_name)) IN ('preventive', 'preventive maintenance', 'pm') THEN 'preventive'
        WHEN w.asset_downtime_key IS NOT NULL
            OR lower(btrim(w.category_name)) IN ('corrective', 'emergency', 'breakdown', 'repair', 'störung') THEN 'corrective'
        ELSE 'other'
    END AS kind
FROM makini.work_orders w
WHERE w.deleted_at IS NULL;

COMMENT ON VIEW makini.work_order_kinds IS
    'Each live work order as preventive (linked to a PM schedule, or category Preventive), corrective (linked to an asset downtime, or category Corrective/Emergency/Breakdown/Repair/Störung, case-insensitive) or other. The KPI views use it; docs/kpis.md explains the rule.';
COMMENT ON COLUMN makini.work_order_kinds.kind IS 'preventive, corrective or other (see the view comment).';

-- KPI views ----------------------------------------------------------------------------------------

CREATE VIEW makini.mttr_by_asset AS
WITH repairs AS (
    SELECT d.connection_id, d.asset_key, count(*) AS repairs,
           avg(extract(epoch FROM d.ended_at - d.started_at)::numeric) / 3600 AS mttr_hours
    FROM makini.assets_downtime d
    WHERE d.deleted_at IS NULL AND d.asset_key IS NOT NULL AND d.started_at IS NOT NULL AND d.ended_at >= d.started_at
      AND lower(btrim(coalesce(d.category_name, ''))) NOT IN ('planned', 'changeover', 'planned maintenance')
    GROUP BY d.connection_id, d.asset_key
), corrective AS (
    SELECT w.connection_id, w.asset_key, count(*) AS corrective_work_orders,
           avg(extract(epoch FROM w.completed_at - coalesce(w.created_at, w.source_created_at))::numeric) / 3600 AS mean_work_order_hours
    FROM makini.work_orders w JOIN makini.work_order_kinds k ON k.connection_id = w.connection_id AND k.id = w.id
    WHERE k.kind = 'corrective' AND w.asset_key IS NOT NULL AND w.completed_at IS NOT NULL
      AND w.completed_at >= coalesce(w.created_at, w.source_created_at)
    GROUP BY w.connection_id, w.asset_key
)
SELECT
    coalesce(r.connection_id, c.connection_id) AS connection_id,
    coalesce(r.asset_key, c.asset_key)         AS asset_key,
    coalesce(r.repairs, 0)                     AS repairs,
    r.mttr_hours,
    coalesce(c.corrective_work_orders, 0)      AS corrective_work_orders,
    c.mean_work_order_hours
FROM repairs r FULL JOIN corrective c ON c.connection_id = r.connection_id AND c.asset_key = r.asset_key;

COMMENT ON VIEW makini.mttr_by_asset IS
    'Mean time to repair per asset: the mean length of its closed unplanned downtime intervals (assets_downtime, ended_at set, category not Planned/Changeover/Planned maintenance), and the mean time from creation to completion of its completed corrective work orders.';
COMMENT ON COLUMN makini.mttr_by_asset.asset_key IS 'The asset''s key (assets.key) in the connection.';
COMMENT ON COLUMN makini.mttr_by_asset.repairs IS 'Closed unplanned downtime intervals of the asset (not deleted, started_at and ended_at set, category not Planned/Changeover/Planned maintenance).';
COMMENT ON COLUMN makini.mttr_by_asset.mttr_hours IS 'Mean of ended_at - started_at over those intervals, in hours; NULL without one.';
COMMENT ON COLUMN makini.mttr_by_asset.corrective_work_orders IS 'Completed corrective work orders on the asset (makini.work_order_kinds).';
COMMENT ON COLUMN makini.mttr_by_asset.mean_work_order_hours IS 'Mean of completed_at - created time over those work orders, in hours; NULL without one.';

CREATE VIEW makini.mtbf_by_asset AS
WITH failures AS (
    SELECT d.connection_id, d.asset_key, d.started_at, d.ended_at,
           lead(d.started_at) OVER (PARTITION BY d.connection_id, d.asset_key ORDER BY d.started_at, d.id) AS next_started_at
    FROM makini.assets_downtime d
    WHERE d.deleted_at IS NULL AND d.asset_key IS NOT NULL AND d.started_at IS NOT NULL
      AND lower(btrim(coalesce(d.category_name, ''))) NOT IN ('planned', 'changeover', 'planned maintenance')
)
SELECT
    connection_id,
    asset_key,
    count(*)                                                                                   AS failures,
    min(started_at)                                                                            AS first_failure_at,
    max(started_at)                                                                            AS last_failure_at,
    avg(extract(epoch FROM next_started_at - ended_at)::numeric) FILTER (WHERE next_started_at >= ended_at) / 3600 AS mtbf_hours
FROM failures
GROUP BY connection_id, asset_key;

COMMENT ON VIEW makini.mtbf_by_asset IS
    'Mean time between failures per asset: failures are its downtime intervals not categorised as planned or changeover; MTBF is the mean running time from the end of one failure to the start of the next.';
COMMENT ON COLUMN makini.mtbf_by_asset.failures IS 'Downtime intervals counted as failures (not deleted, started_at set, category not Planned/Changeover/Planned maintenance).';
COMMENT ON COLUMN makini.mtbf_by_asset.first_failure_at IS 'Start of the first failure.';
COMMENT ON COLUMN makini.mtbf_by_asset.last_failure_at IS 'Start of the latest failure.';
COMMENT ON COLUMN makini.mtbf_by_asset.mtbf_hours IS 'Mean of next failure''s started_at - this failure''s ended_at over consecutive failures, in hours; NULL with fewer than two closed ones.';

CREATE VIEW makini.pm_compliance AS
SELECT
    w.connection_id,
    w.site_key,
    date_trunc('month', w.due_at AT TIME ZONE 'UTC')::date                                 AS month,
    count(*)                                                                                AS due,
    count(*) FILTER (WHERE w.completed_at <= w.due_at)                                      AS completed_on_time,
    count(*) FILTER (WHERE w.completed_at > w.due_at)                                       AS completed_late,
    count(*) FILTER (WHERE w.completed_at IS NULL)                                          AS not_completed,
    round(100.0 * count(*) FILTER (WHERE w.completed_at <= w.due_at) / count(*), 1)         AS compliance_pct
FROM makini.work_orders w JOIN makini.work_order_kinds k ON k.connection_id = w.connection_id AND k.id = w.id
WHERE k.kind = 'preventive' AND w.due_at IS NOT NULL
  AND (w.status IS NULL OR lower(btrim(w.status)) NOT IN ('cancelled', 'canceled'))
GROUP BY w.connection_id, w.site_key, date_trunc('month', w.due_at AT TIME ZONE 'UTC')::date;

COMMENT ON VIEW makini.pm_compliance IS
    'Preventive-maintenance compliance per site and month of the due date (UTC): preventive work orders (makini.work_order_kinds) with a due_at, not cancelled, and how many were completed by it.';
COMMENT ON COLUMN makini.pm_compliance.month IS 'First day of the month (UTC) the work orders were due in.';
COMMENT ON COLUMN makini.pm_compliance.due IS 'Preventive work orders due in the month (not deleted, not cancelled).';
COMMENT ON COLUMN makini.pm_compliance.completed_on_time IS 'Of those, completed at or before due_at.';
COMMENT ON COLUMN makini.pm_compliance.completed_late IS 'Of those, completed after due_at.';
COMMENT ON COLUMN makini.pm_compliance.not_completed IS 'Of those, not completed (no completed_at).';
COMMENT ON COLUMN makini.pm_compliance.compliance_pct IS '100 * completed_on_time / due, one decimal.';

CREATE VIEW makini.backlog_age AS
SELECT
    o.connection_id,
    o.site_key,
    b.bucket                                        AS age_bucket,
    b.ord                                           AS bucket_order,
    count(*)                                        AS work_orders,
    max(extract(epoch FROM o.age)::numeric / 86400)::integer AS oldest_days
FROM makini.open_work_orders o
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        (1, '0-7 days',   0,  7), (2, '8-30 days',  7, 30),
        (3, '31-90 days', 30, 90), (4, '>90 days',   90, NULL)) AS v(ord, bucket, low, high)
    WHERE o.age IS NOT NULL AND o.age >= make_interval(days => v.low) AND (v.high IS NULL OR o.age < make_interval(days => v.high))
    UNION ALL
    SELECT 5, 'unknown', NULL, NULL WHERE o.age IS NULL
) b
GROUP BY o.connection_id, o.site_key, b.bucket, b.ord;

COMMENT ON VIEW makini.backlog_age IS
    'Open work orders (makini.open_work_orders) per site and age bucket: 0-7 days, 8-30 days, 31-90 days, >90 days (age from creation to now), unknown when no creation time is known.';
COMMENT ON COLUMN makini.backlog_age.age_bucket IS 'The age range: [0, 7) days, [7, 30), [30, 90), 90 days or more, or unknown.';
COMMENT ON COLUMN makini.backlog_age.bucket_order IS 'The buckets in order of age (1 youngest, 5 unknown), to ORDER BY.';
COMMENT ON COLUMN makini.backlog_age.work_orders IS 'Open work orders in the bucket.';
COMMENT ON COLUMN makini.backlog_age.oldest_days IS 'Age of the oldest of them, in whole days.';

CREATE VIEW makini.time_in_status AS
SELECT
    connection_id,
    status,
    count(*)                                                        AS intervals,
    count(*) FILTER (WHERE left_at IS NOT NULL)                     AS closed_intervals,
    count(*) FILTER (WHERE left_at IS NULL)                         AS work_orders_in_status_now,
    sum(extract(epoch FROM duration)::numeric) / 3600                        AS total_hours,
    avg(extract(epoch FROM duration)::numeric) / 3600                        AS mean_hours,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM duration)::numeric) / 3600 AS median_hours
FROM makini.work_order_status_history
GROUP BY connection_id, status;

COMMENT ON VIEW makini.time_in_status IS
    'How long work orders stay in each status, per connection, from makini.work_order_status_history; durations of closed intervals only (an interval still open has no duration yet).';
COMMENT ON COLUMN makini.time_in_status.intervals IS 'Status intervals observed (closed and open).';
COMMENT ON COLUMN makini.time_in_status.closed_intervals IS 'Intervals the work order has left.';
COMMENT ON COLUMN makini.time_in_status.work_orders_in_status_now IS 'Open intervals: work orders in this status now.';
COMMENT ON COLUMN makini.time_in_status.total_hours IS 'Sum of the closed intervals'' durations, in hours.';
COMMENT ON COLUMN makini.time_in_status.mean_hours IS 'Mean duration of a closed interval, in hours.';
COMMENT ON COLUMN makini.time_in_status.median_hours IS 'Median duration of a closed interval, in hours.';

CREATE VIEW makini.asset_cost AS
WITH orders AS (
    SELECT w.connection_id, w.id, w.key, w.asset_key
    FROM makini.work_orders w
    WHERE w.deleted_at IS NULL AND w.asset_key IS NOT NULL
), labour AS (
    SELECT o.connection_id, o.asset_key,
           sum(coalesce(r.cost, r.registered_time * r.rate)) AS labour_cost,
           sum(r.registered_time)                            AS labour_hours
    FROM orders o JOIN makini.work_orders__resources r ON r.connection_id = o.connection_id AND r.parent_id = o.id
    GROUP BY o.connection_id, o.asset_key
), material AS (
    SELECT o.connection_id, o.asset_key,
           sum(coalesce(m.quantity, m.required_quantity, makini.jsonb_to_numeric(m.raw -> 'materialCount')) * p.cost) AS material_cost
    FROM orders o
    JOIN makini.work_orders_materials m
      ON m.connection_id = o.connection_id AND coalesce(m.work_order_key, m.raw ->> 'parentKey') = o.key AND m.deleted_at IS NULL
    JOIN LATERAL (
        SELECT x.cost FROM makini.materials x
        WHERE x.connection_id = m.connection_id AND x.key = coalesce(m.material_key, m.raw ->> 'code') AND x.deleted_at IS NULL
        ORDER BY x.updated_at DESC, x.id LIMIT 1
    ) p ON true
    GROUP BY o.connection_id, o.asset_key
), counted AS (
    SELECT connection_id, asset_key, count(*) AS work_orders FROM orders GROUP BY connection_id, asset_key
)
SELECT
    c.connection_id,
    c.asset_key,
    c.work_orders,
    l.labour_hours,
    l.labour_cost,
    m.material_cost,
    coalesce(l.labour_cost, 0) + coalesce(m.material_cost, 0) AS total_cost
FROM counted c
LEFT JOIN labour l ON l.connection_id = c.connection_id AND l.asset_key = c.asset_key
LEFT JOIN material m ON m.connection_id = c.connection_id AND m.asset_key = c.asset_key;

COMMENT ON VIEW makini.asset_cost IS
    'Maintenance cost per asset over its live work orders: labour from the work orders'' resources (cost, or registered_time * rate) and material from their work-order materials (quantity * the material''s cost), where the source sends them.';
COMMENT ON COLUMN makini.asset_cost.work_orders IS 'Live work orders on the asset.';
COMMENT ON COLUMN makini.asset_cost.labour_hours IS 'Sum of registered_time of their resources; NULL when none is sent.';
COMMENT ON COLUMN makini.asset_cost.labour_cost IS 'Sum of each resource''s cost, or registered_time * rate when cost is missing; NULL when no resource has either.';
COMMENT ON COLUMN makini.asset_cost.material_cost IS 'Sum over their work-order materials of quantity (quantity, else required_quantity, else materialCount) * materials.cost; NULL when none can be priced.';
COMMENT ON COLUMN makini.asset_cost.total_cost IS 'labour_cost + material_cost, a missing part counted as 0.';
