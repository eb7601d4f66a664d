-- makini-sync warehouse: secondary indexes set aside while a large first load fills a table that was (nearly) empty
-- (issue 21). Keeping five secondary indexes up to date row by row cost a work-order load about a quarter of
-- PostgreSQL's time; building them once at the end costs a fraction of that. A stream whose first load goes beyond
-- one page drops the table's non-unique secondary indexes, each recorded here with its definition in the SAME
-- transaction as the drop, and builds them again from these rows when the load ends (the last of several loaders
-- to finish does it). The primary key and every unique index stay, so the lossless rules never depend on this.
-- A row left here by a process that died is restored by the next run or migrate that touches the table (a loader
-- holds a shared advisory lock on the table while it loads, so a live load is told from an orphan).

CREATE TABLE makini.deferred_indexes (
    index_schema text        NOT NULL,
    index_name   text        NOT NULL,
    table_schema text        NOT NULL,
    table_name   text        NOT NULL,
    definition   text        NOT NULL,
    run_id       text        NOT NULL,
    deferred_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (index_schema, index_name)
);
COMMENT ON TABLE makini.deferred_indexes IS
    'Secondary indexes dropped for the duration of a first load into a (nearly) empty table, with the definitions they are built again from when the load ends. Empty whenever no first load is running; a row whose table no session loads (no shared advisory lock hashtextextended(''makini-index-deferral:'' || table, 0)) is restored by the next run or migrate.';
COMMENT ON COLUMN makini.deferred_indexes.index_schema IS 'Schema of the dropped index.';
COMMENT ON COLUMN makini.deferred_indexes.index_name IS 'Name of the dropped index (built again under the same name).';
COMMENT ON COLUMN makini.deferred_indexes.table_schema IS 'Schema of the table being loaded.';
COMMENT ON COLUMN makini.deferred_indexes.table_name IS 'The table being loaded.';
COMMENT ON COLUMN makini.deferred_indexes.definition IS 'The index''s CREATE INDEX statement, from pg_get_indexdef when it was dropped.';
COMMENT ON COLUMN makini.deferred_indexes.run_id IS 'The run (makini.sync_runs.run_id) whose stream dropped it.';
COMMENT ON COLUMN makini.deferred_indexes.deferred_at IS 'When it was dropped.';
