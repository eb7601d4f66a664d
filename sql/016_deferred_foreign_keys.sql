-- makini-sync warehouse: a first load also sets aside the foreign keys of its table's child tables (issue 21).
-- Each child row a load writes (work_orders__tasks, ...) fired a check of its parent, a key lookup and a row lock in
-- the table being loaded: about a tenth of PostgreSQL's time in a work-order load. PostgreSQL's own advice for bulk
-- loads is to drop foreign keys and add them again afterwards, which checks every row in one join. The ledger of
-- migration 014 now holds them too: the constraint's ADD statement is recorded in the same transaction as the drop,
-- and the last loader to leave adds it again (NOT VALID, then VALIDATE). Only the child tables' own foreign keys to
-- their parent (makini.<table>__<field> -> makini.<table>) are touched; the parent rows of a first load are written
-- in the same transaction as their children, so no child row can lose its parent meanwhile.

ALTER TABLE makini.deferred_indexes
    ADD COLUMN kind text NOT NULL DEFAULT 'index' CHECK (kind IN ('index', 'foreign_key')),
    ADD COLUMN on_table text;
COMMENT ON TABLE makini.deferred_indexes IS
    'Secondary indexes (and the foreign keys of child tables) dropped for the duration of a first load into a (nearly) empty table, with the definitions they are built again from when the load ends. Empty whenever no first load is running; a row whose table no session loads (no shared advisory lock hashtextextended(''makini-index-deferral:'' || table, 0)) is restored by the next run or migrate.';
COMMENT ON COLUMN makini.deferred_indexes.index_name IS 'Name of the dropped index or foreign key (built again under the same name).';
COMMENT ON COLUMN makini.deferred_indexes.definition IS 'The index''s CREATE INDEX statement (pg_get_indexdef), or the foreign key''s ALTER TABLE ... ADD CONSTRAINT ... NOT VALID statement (pg_get_constraintdef), when it was dropped.';
COMMENT ON COLUMN makini.deferred_indexes.kind IS 'index, or foreign_key (a child table''s foreign key to the table being loaded).';
COMMENT ON COLUMN makini.deferred_indexes.on_table IS 'For a foreign key: the child table it belongs to, schema-qualified and quoted.';
