-- makini-sync warehouse: entity tables and bookkeeping.
-- Column names are the snake_case of the API field names; the mapper fills every column from the record
-- field of the same name (Makini's `_updatedAt` -> updated_at; the source system's own `updatedAt` ->
-- source_updated_at). A field without a column still lands in `raw`. Adding a column is a migration.

CREATE SCHEMA IF NOT EXISTS makini;
COMMENT ON SCHEMA makini IS 'Makini unified-model entities synced by makini-sync, and its bookkeeping.';

-- Entity tables ------------------------------------------------------------------------------------

CREATE TABLE makini.assets (
    connection_id      text        NOT NULL,
    id                 text        NOT NULL,
    id_value           text,
    display_value      text,
    key                text,
    name               text,
    description        text,
    site_key           text,
    location_key       text,
    parent_key         text,
    vendor_key         text,
    team_key           text,
    customer_key       text,
    asset_template_key text,
    category_name      text,
    criticality        text,
    is_active          boolean,
    is_physical        boolean,
    make_name          text,
    model_name         text,
    serial_number      text,
    notes              text,
    activated_at       timestamptz,
    deactivated_at     timestamptz,
    created_at         timestamptz,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz,
    source_created_at  timestamptz,
    source_updated_at  timestamptz,
    raw                jsonb       NOT NULL,
    synced_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, id)
);
COMMENT ON TABLE makini.assets IS 'Assets (equipment, buildings, vehicles) per Makini connection; one row per record, tombstoned (deleted_at) rather than removed.';

CREATE TABLE makini.work_orders (
    connection_id       text        NOT NULL,
    id                  text        NOT NULL,
    id_value            text,
    display_value       text,
    key                 text,
    code                text,
    title               text,
    status              text,
    status_key          text,
    severity            text,
    category_name       text,
    role_name           text,
    asset_key           text,
    site_key            text,
    location_key        text,
    parent_key          text,
    account_key         text,
    team_key            text,
    pm_key              text,
    organization_key    text,
    service_request_key text,
    storeroom_key       text,
    instructions        text,
    notes               text,
    estimated_time      text,
    actual_time         text,
    material_count      text,
    completion_remarks  text,
    approved_at         timestamptz,
    due_at              timestamptz,
    scheduled_at        timestamptz,
    completed_at        timestamptz,
    created_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    deleted_at          timestamptz,
    source_created_at   timestamptz,
    source_updated_at   timestamptz,
    raw                 jsonb       NOT NULL,
    synced_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, id)
);
COMMENT ON TABLE makini.work_orders IS 'Work orders (maintenance jobs, facility requests) per Makini connection; asset_key/site_key/location_key join to the key columns of assets, sites and locations of the same connection.';

CREATE TABLE makini.sites (
    connection_id     text        NOT NULL,
    id                text        NOT NULL,
    id_value          text,
    display_value     text,
    key               text,
    code              text,
    name              text,
    description       text,
    organization_key  text,
    customer_key      text,
    lat               numeric,
    lng               numeric,
    address           jsonb,
    contact           jsonb,
    notes             text,
    created_at        timestamptz,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz,
    source_created_at timestamptz,
    source_updated_at timestamptz,
    raw               jsonb       NOT NULL,
    synced_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, id)
);
COMMENT ON TABLE makini.sites IS 'Sites (plants, campuses, business units) per Makini connection.';

CREATE TABLE makini.locations (
    connection_id     text        NOT NULL,
    id                text        NOT NULL,
    id_value          text,
    display_value     text,
    key               text,
    code              text,
    name              text,
    type              text,
    description       text,
    site_key          text,
    parent_key        text,
    team_key          text,
    organization_key  text,
    is_active         boolean,
    is_default        boolean,
    address           jsonb,
    created_at        timestamptz,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz,
    source_created_at timestamptz,
    source_updated_at timestamptz,
    raw               jsonb       NOT NULL,
    synced_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, id)
);
COMMENT ON TABLE makini.locations IS 'Locations (buildings, floors, rooms, functional locations) per Makini connection.';

CREATE TABLE makini.entity_records (
    connection_id text        NOT NULL,
    entity        text        NOT NULL,
    id            text        NOT NULL,
    id_value      text,
    display_value text,
    created_at    timestamptz,
    updated_at    timestamptz NOT NULL,
    deleted_at    timestamptz,
    raw           jsonb       NOT NULL,
    synced_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, entity, id)
);
COMMENT ON TABLE makini.entity_records IS 'Every unified-model entity without a table of its own (purchase-orders, materials, ...): the whole record in raw.';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['assets', 'work_orders', 'sites', 'locations', 'entity_records'] LOOP
        EXECUTE format('COMMENT ON COLUMN makini.%I.connection_id IS %L', t, 'The Makini connection (one customer system) the record came from.');
        EXECUTE format('COMMENT ON COLUMN makini.%I.id IS %L', t, 'Makini''s id of the record (unique per connection and entity).');
        EXECUTE format('COMMENT ON COLUMN makini.%I.id_value IS %L', t, 'The source system''s own identifier (_idValue), e.g. a JDE document number.');
        EXECUTE format('COMMENT ON COLUMN makini.%I.updated_at IS %L', t, 'Makini''s change time of the record (_updatedAt): the incremental sync cursor.');
        EXECUTE format('COMMENT ON COLUMN makini.%I.deleted_at IS %L', t, 'Set when the record was deleted at the source (_deletedAt) or not seen by a completed full refresh; the row is kept.');
        EXECUTE format('COMMENT ON COLUMN makini.%I.raw IS %L', t, 'The whole record as the API sent it, custom fields included.');
        EXECUTE format('COMMENT ON COLUMN makini.%I.synced_at IS %L', t, 'When makini-sync last wrote this row.');
        IF t <> 'entity_records' THEN
            EXECUTE format('COMMENT ON COLUMN makini.%I.source_updated_at IS %L', t, 'The source system''s own update time (updatedAt), when it sends one.');
            EXECUTE format('CREATE INDEX %I ON makini.%I (connection_id, updated_at)', t || '_updated_at_idx', t);
            EXECUTE format('CREATE INDEX %I ON makini.%I (connection_id, key)', t || '_key_idx', t);
        END IF;
    END LOOP;
END $$;

COMMENT ON COLUMN makini.entity_records.entity IS 'The API entity name, e.g. purchase-orders.';
CREATE INDEX entity_records_updated_at_idx ON makini.entity_records (connection_id, entity, updated_at);
CREATE INDEX work_orders_asset_idx ON makini.work_orders (connection_id, asset_key);
CREATE INDEX work_orders_site_idx ON makini.work_orders (connection_id, site_key);
CREATE INDEX work_orders_open_idx ON makini.work_orders (connection_id, status) WHERE deleted_at IS NULL;
CREATE INDEX assets_site_idx ON makini.assets (connection_id, site_key);
CREATE INDEX locations_site_idx ON makini.locations (connection_id, site_key);

-- Bookkeeping --------------------------------------------------------------------------------------

CREATE TABLE makini.connections (
    connection_id     text PRIMARY KEY,
    platform          text,
    needs_reauth      boolean     NOT NULL DEFAULT false,
    needs_reauth_since timestamptz,
    last_success_at   timestamptz,
    last_error_code   text,
    last_error_message text,
    last_request_id   text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE makini.connections IS 'Health of each Makini connection as makini-sync saw it.';
COMMENT ON COLUMN makini.connections.needs_reauth IS 'True once the API refused the connection''s credentials and a refresh failed: a person must reconnect it in Makini.';

CREATE TABLE makini.sync_state (
    job               text        NOT NULL,
    connection_id     text        NOT NULL,
    entity            text        NOT NULL,
    cursor_updated_at timestamptz,
    cursor_id         text,
    last_success_at   timestamptz,
    last_full_refresh_at timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, connection_id, entity)
);
COMMENT ON TABLE makini.sync_state IS 'The checkpoint of each stream (job x connection x entity), written in the same transaction as the page it covers.';
COMMENT ON COLUMN makini.sync_state.cursor_updated_at IS 'With cursor_id: the (updated_at, id) pair of the last record committed; the next run asks from cursor_updated_at minus the lookback.';

CREATE TABLE makini.sync_runs (
    run_id          text PRIMARY KEY,
    job             text        NOT NULL,
    trigger         text        NOT NULL,
    host            text        NOT NULL,
    pid             integer     NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    status          text        NOT NULL DEFAULT 'running',
    exit_code       integer,
    streams_total   integer     NOT NULL DEFAULT 0,
    streams_failed  integer     NOT NULL DEFAULT 0,
    message         text
);
COMMENT ON TABLE makini.sync_runs IS 'One row per job run (invocation of a job by run, run --due, daemon or demo).';
COMMENT ON COLUMN makini.sync_runs.status IS 'running, succeeded, partial (some streams failed), failed, or skipped (lock held).';
CREATE INDEX sync_runs_job_idx ON makini.sync_runs (job, started_at DESC);

CREATE TABLE makini.sync_stream_runs (
    run_id            text        NOT NULL REFERENCES makini.sync_runs (run_id) ON DELETE CASCADE,
    job               text        NOT NULL,
    connection_id     text        NOT NULL,
    entity            text        NOT NULL,
    mode              text        NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    status            text        NOT NULL DEFAULT 'running',
    pages             integer     NOT NULL DEFAULT 0,
    records_read      bigint      NOT NULL DEFAULT 0,
    inserted          bigint      NOT NULL DEFAULT 0,
    updated           bigint      NOT NULL DEFAULT 0,
    unchanged         bigint      NOT NULL DEFAULT 0,
    deleted           bigint      NOT NULL DEFAULT 0,
    rejected          bigint      NOT NULL DEFAULT 0,
    conversion_nulls  bigint      NOT NULL DEFAULT 0,
    api_requests      integer     NOT NULL DEFAULT 0,
    retries           integer     NOT NULL DEFAULT 0,
    retries_by_code   jsonb       NOT NULL DEFAULT '{}',
    duration_ms       bigint,
    last_error_code   text,
    last_error_message text,
    last_request_id   text,
    PRIMARY KEY (run_id, connection_id, entity)
);
COMMENT ON TABLE makini.sync_stream_runs IS 'One row per stream (connection x entity) of a run: counts, retries by error code, outcome.';
COMMENT ON COLUMN makini.sync_stream_runs.status IS 'running, succeeded, failed, skipped (connection needs re-authorisation) or interrupted.';
COMMENT ON COLUMN makini.sync_stream_runs.conversion_nulls IS 'Values that did not convert to their column type and were stored as NULL (they stay in raw).';
COMMENT ON COLUMN makini.sync_stream_runs.retries_by_code IS 'Retried failures by error code, e.g. {"RATE_LIMIT_EXCEEDED": 3}.';
CREATE INDEX sync_stream_runs_stream_idx ON makini.sync_stream_runs (job, connection_id, entity, started_at DESC);

CREATE TABLE makini.sync_rejects (
    reject_id     bigserial PRIMARY KEY,
    run_id        text,
    job           text        NOT NULL,
    connection_id text        NOT NULL,
    entity        text        NOT NULL,
    record_id     text,
    reason        text        NOT NULL,
    raw_excerpt   text,
    rejected_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE makini.sync_rejects IS 'Records the API sent that could not be accepted (no id, unparseable _updatedAt, ...), with the reason and an excerpt.';

CREATE TABLE makini.job_locks (
    job        text PRIMARY KEY,
    host       text        NOT NULL,
    pid        integer     NOT NULL,
    run_id     text,
    since      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE makini.job_locks IS 'Who holds (or last held) each job''s advisory lock: the lock itself is a PostgreSQL advisory lock, released when its session ends.';
