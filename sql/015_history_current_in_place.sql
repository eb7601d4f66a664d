-- makini-sync warehouse: the current version of a record is no longer stored twice (issue 18).
--
-- Until now makini.<table>_history was a table holding every version with its whole row, the current one included:
-- a first load wrote each record twice (a second 1.4 kB row per work order), which made a sync with history 35-40%
-- slower than without. The versions now live in makini.<table>_versions, and the current version of a record need
-- not be stored whole, because its content is the current row in makini.<table>, which the same page transaction
-- wrote:
-- - a "thin" version holds its version columns only (valid_from, is_current, deleted, run_id), raw NULL;
-- - a record first written by a connection's first load (makini.history_first_loads names the connection, the table
--   and the run) has no row in <table>_versions at all until it changes: its one version begins at its updated_at.
-- In the page transaction that rewrites such a row, makini-sync first stores its version (thin) and fills it with the
-- row as it was (a snapshot taken before the merge): so a version not stored whole is always exactly its current row,
-- and any other version holds its own content. makini.<table>_history is now a view with the same columns and rows
-- as before.
--
-- Existing history tables are renamed to <table>_versions (their rows all keep their content) and get the view.
-- A view of your own over a history table follows the table to its new name: recreate it over the view.
-- Retention: delete old versions from <table>_versions (the view cannot be written to).

CREATE TABLE makini.history_first_loads (
    table_name    text        NOT NULL,
    connection_id text        NOT NULL,
    run_id        text,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, connection_id)
);
COMMENT ON TABLE makini.history_first_loads IS
    'Connections whose rows in a table with history were first written by a first load (or were there when the history began): a row of such a connection without any version in makini.<table_name>_versions has one version, from its updated_at, the current row. Written in the first load''s page transactions.';
COMMENT ON COLUMN makini.history_first_loads.table_name IS 'The table (schema makini) whose history this is.';
COMMENT ON COLUMN makini.history_first_loads.run_id IS 'The run that loaded the rows (their versions'' run_id); NULL for rows there when the history began.';
COMMENT ON COLUMN makini.history_first_loads.loaded_at IS 'When that run wrote its first page.';

-- Content columns may be NULL in a thin version: every NOT NULL of the base table but the key is dropped.
CREATE FUNCTION makini.relax_history_versions(versions text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    col name;
BEGIN
    FOR col IN
        SELECT a.attname FROM pg_attribute a
        WHERE a.attrelid = format('makini.%I', versions)::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
          AND a.attname NOT IN ('connection_id', 'id', 'valid_from', 'is_current', 'deleted')
    LOOP
        EXECUTE format('ALTER TABLE makini.%I ALTER COLUMN %I DROP NOT NULL', versions, col);
    END LOOP;
    EXECUTE format('ALTER TABLE makini.%I ADD CONSTRAINT %I CHECK (raw IS NOT NULL OR is_current)', versions, versions || '_thin_is_current');
    EXECUTE format(
        'COMMENT ON TABLE makini.%I IS %L', versions,
        'Storage of makini.' || left(versions, length(versions) - 9) || '_history (query the view): every observed version. A current version '
            || 'may be thin (raw NULL, only the version columns set): its content is the current row. A closed version always holds its content.');
END $$;
COMMENT ON FUNCTION makini.relax_history_versions(text) IS
    'Lets a versions table hold thin current versions: drops the NOT NULL of its content columns and checks that only a current version is thin.';

-- The view analysts query: the columns of the old history table; a thin version, or a first-loaded row without a
-- stored version, with its current row's columns.
CREATE FUNCTION makini.create_history_view(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    versions text := base || '_versions';
    history  text := base || '_history';
    stored   text;
    current  text;
    loaded   text;
    col      record;
BEGIN
    SELECT string_agg(format('v.%I', a.attname), ', ' ORDER BY a.attnum),
           string_agg(CASE WHEN b.attname IS NULL THEN format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname)
                           WHEN a.attname IN ('connection_id', 'id') THEN format('v.%I', a.attname)
                           ELSE format('t.%I', a.attname) END, ', ' ORDER BY a.attnum),
           string_agg(CASE WHEN b.attname IS NULL THEN format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname)
                           ELSE format('t.%I', a.attname) END, ', ' ORDER BY a.attnum)
      INTO stored, current, loaded
      FROM pg_attribute a
      LEFT JOIN pg_attribute b ON b.attrelid = format('makini.%I', base)::regclass AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped
     WHERE a.attrelid = format('makini.%I', versions)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname NOT IN ('valid_from', 'valid_to', 'is_current', 'deleted', 'run_id');
    EXECUTE format($view$
        CREATE VIEW makini.%1$I AS
        SELECT %2$s, v.valid_from, v.valid_to, v.is_current, v.deleted, v.run_id
        FROM makini.%3$I v WHERE v.raw IS NOT NULL
        UNION ALL
        SELECT %4$s, v.valid_from, v.valid_to, v.is_current, v.deleted, v.run_id
        FROM makini.%3$I v JOIN makini.%5$I t ON t.connection_id = v.connection_id AND t.id = v.id
        WHERE v.raw IS NULL
        UNION ALL
        SELECT %6$s, t.updated_at, NULL::timestamptz, true, t.deleted_at IS NOT NULL, f.run_id
        FROM makini.%5$I t JOIN makini.history_first_loads f ON f.table_name = %7$L AND f.connection_id = t.connection_id
        WHERE NOT EXISTS (SELECT 1 FROM makini.%3$I v WHERE v.connection_id = t.connection_id AND v.id = t.id)$view$,
        history, stored, versions, current, base, loaded, base);
    EXECUTE format(
        'COMMENT ON VIEW makini.%I IS %L', history,
        'Every version of makini.' || base || ' rows that makini-sync observed (SCD type 2): one row per version, written in the same '
            || 'transaction as the current row and only when the content (raw without _updatedAt, and the deleted flag) changed. '
            || 'The other columns are the row as it was in that version. Stored in makini.' || versions || '.');
    FOR col IN
        SELECT a.attname, d.description FROM pg_attribute a
        JOIN pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum AND d.classoid = 'pg_class'::regclass
        WHERE a.attrelid = format('makini.%I', versions)::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN makini.%I.%I IS %L', history, col.attname, col.description);
    END LOOP;
END $$;
COMMENT ON FUNCTION makini.create_history_view(text) IS
    'Creates the view makini.<base>_history over makini.<base>_versions: stored versions as stored, thin ones and the unchanged rows of first loads with their current row''s columns.';

CREATE OR REPLACE FUNCTION makini.create_history_table(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    versions text := base || '_versions';
BEGIN
    IF octet_length(versions) > 63 THEN
        RAISE EXCEPTION 'table name %.% is too long to keep history (at most 54 bytes)', 'makini', base;
    END IF;
    -- Two streams starting at once must not both create it.
    PERFORM pg_advisory_xact_lock(hashtext('makini.create_history_table'), hashtext(base));
    IF to_regclass(format('makini.%I', versions)) IS NOT NULL THEN
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
        )$sql$, versions, base);
    EXECUTE format('CREATE UNIQUE INDEX %I ON makini.%I (connection_id, id) WHERE is_current', versions || '_current', versions);
    PERFORM makini.relax_history_versions(versions);
    EXECUTE format('COMMENT ON COLUMN makini.%I.valid_from IS %L', versions,
        'When this version began: its _updatedAt; for a change seen without a new _updatedAt (a full-refresh absence, a row '
            || 'back after one), the time makini-sync observed it.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.valid_to IS %L', versions,
        'When the next version began (its valid_from); NULL for the newest version.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.is_current IS %L', versions,
        'True for the newest version of the record, the one the current table holds; exactly one per record.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.deleted IS %L', versions,
        'True when this version is a deletion: _deletedAt set at the source, or the record was not seen by a completed full refresh.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.run_id IS %L', versions,
        'The run (makini.sync_runs.run_id) that wrote this version; NULL for versions taken over from the current table when the history table was created.');
    -- The rows already synced are the first observed versions: their content is the current row.
    EXECUTE format(
        'INSERT INTO makini.history_first_loads (table_name, connection_id, run_id) SELECT DISTINCT %L, t.connection_id, NULL FROM makini.%I t '
            || 'ON CONFLICT DO NOTHING', base, base);
    PERFORM makini.create_history_view(base);
END $$;
COMMENT ON FUNCTION makini.create_history_table(text) IS
    'Creates makini.<base>_versions for a typed table (its columns, comments, the version columns), the rows already synced as first loads (makini.history_first_loads), and the view makini.<base>_history; does nothing when they exist.';

-- The history tables made before this migration become versions tables with the view.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname AS history, left(c.relname, length(c.relname) - 8) AS base
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'makini' AND c.relkind = 'r' AND c.relname LIKE '%\_history'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'valid_from' AND NOT a.attisdropped)
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'is_current' AND NOT a.attisdropped)
          AND to_regclass(format('makini.%I', left(c.relname, length(c.relname) - 8))) IS NOT NULL
    LOOP
        EXECUTE format('ALTER TABLE makini.%I RENAME TO %I', r.history, r.base || '_versions');
        IF to_regclass(format('makini.%I', r.history || '_pkey')) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX makini.%I RENAME TO %I', r.history || '_pkey', r.base || '_versions_pkey');
        END IF;
        IF to_regclass(format('makini.%I', r.history || '_current')) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX makini.%I RENAME TO %I', r.history || '_current', r.base || '_versions_current');
        END IF;
        PERFORM makini.relax_history_versions(r.base || '_versions');
        PERFORM makini.create_history_view(r.base);
    END LOOP;
END $$;

-- The status history read the work-order history table by reference: point it at the view again (same text).
CREATE OR REPLACE VIEW makini.work_order_status_history AS
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
