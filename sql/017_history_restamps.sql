-- makini-sync warehouse: history remembers when a version's content was seen again under a later _updatedAt (issue 21).
--
-- A version whose content equals the version before it is no change and is not written: a record sent again with a
-- new _updatedAt and the same content stays one version. But the later stamp was an observation: the record had that
-- content then. When a version older than it arrives late (the lookback window re-reads records that became visible
-- late), the late version ends where that content was seen again, not where the next stored version begins. Found by
-- a model-based test: versions A@470, A@653 (the same content, one version from 470), B@726, then C@531 late must give
-- A@470, C@531, A@653, B@726; until now the history said C from 531 to 726, a content the record did not have at 653.
--
-- makini.<table>_restamps keeps those stamps (the key and the stamp: the content is the version's that holds the
-- stamp). Written in the page transaction; a late version that falls before one of them splits its version there;
-- a version moved back to begin at a late version's stamp (same content) leaves its old start here. A warehouse
-- synced before this migration has none: a late version there is placed as before.

CREATE FUNCTION makini.create_history_restamps(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    restamps text := base || '_restamps';
BEGIN
    IF to_regclass(format('makini.%I', restamps)) IS NOT NULL THEN
        RETURN;
    END IF;
    EXECUTE format($sql$
        CREATE TABLE makini.%I (
            connection_id text        NOT NULL,
            id            text        NOT NULL,
            stamp         timestamptz NOT NULL,
            PRIMARY KEY (connection_id, id, stamp)
        )$sql$, restamps);
    EXECUTE format(
        'COMMENT ON TABLE makini.%I IS %L', restamps,
        'The later _updatedAt stamps at which a record of makini.' || base || ' was seen with the content of the version that was '
            || 'open then (no change, so no new version in makini.' || base || '_versions): kept so that a version arriving late '
            || 'ends where that content was seen again. Written by makini-sync in the page transaction; not for analysis.');
    EXECUTE format('COMMENT ON COLUMN makini.%I.stamp IS %L', restamps,
        'The _updatedAt the record was seen with; its content is that of the version of makini.' || base
            || '_versions whose valid_from <= stamp < valid_to.');
END $$;
COMMENT ON FUNCTION makini.create_history_restamps(text) IS
    'Creates makini.<base>_restamps, the stamps at which a record was seen again with its version''s content; does nothing when it exists.';

CREATE OR REPLACE FUNCTION makini.create_history_table(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    versions text := base || '_versions';
BEGIN
    IF octet_length(versions) > 63 THEN
        RAISE EXCEPTION 'table name %.% is too long to keep history (at most 54 bytes)', 'makini', base;
    END IF;
    -- Two streams starting at once must not both create it.
    PERFORM pg_advisory_xact_lock(hashtext('makini.create_history_table'), hashtext(base));
    PERFORM makini.create_history_restamps(base);
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
    'Creates makini.<base>_versions for a typed table (its columns, comments, the version columns), the rows already synced as first loads (makini.history_first_loads), the view makini.<base>_history and makini.<base>_restamps; does only what is missing.';

-- Every versions table made before this migration gets its restamps table.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT left(c.relname, length(c.relname) - 9) AS base
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'makini' AND c.relkind = 'r' AND c.relname LIKE '%\_versions'
          AND to_regclass(format('makini.%I', left(c.relname, length(c.relname) - 9))) IS NOT NULL
    LOOP
        PERFORM makini.create_history_restamps(r.base);
    END LOOP;
END $$;
