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
-- synced before this migration has none: a late version there is placed as before. makini-sync creates the table
-- of a table that starts keeping history (makini.create_history_table, then makini.create_history_restamps).

CREATE FUNCTION makini.create_history_restamps(base text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    restamps text := base || '_restamps';
BEGIN
    -- Two streams starting at once must not both create it (the lock of makini.create_history_table).
    PERFORM pg_advisory_xact_lock(hashtext('makini.create_history_table'), hashtext(base));
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
