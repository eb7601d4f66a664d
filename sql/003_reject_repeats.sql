-- makini-sync: a refused record is recorded once, not once per run that reads it again.
-- A later refusal of the same record (same job, connection, entity, id, reason and excerpt: for instance
-- re-read inside the lookback window) bumps times_rejected, last_rejected_at and last_run_id of the existing row.
-- sync_stream_runs.rejected keeps counting every refusal of its run, so over all runs
-- sum(sync_stream_runs.rejected) = sum(sync_rejects.times_rejected).

ALTER TABLE makini.sync_rejects
    ADD COLUMN times_rejected   integer     NOT NULL DEFAULT 1,
    ADD COLUMN last_rejected_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_run_id      text;

UPDATE makini.sync_rejects SET last_rejected_at = rejected_at, last_run_id = run_id;

CREATE INDEX sync_rejects_record_idx ON makini.sync_rejects (job, connection_id, entity, record_id);

COMMENT ON COLUMN makini.sync_rejects.run_id IS 'The run that first refused the record.';
COMMENT ON COLUMN makini.sync_rejects.rejected_at IS 'When the record was first refused.';
COMMENT ON COLUMN makini.sync_rejects.times_rejected IS 'How often this record (same id, reason and excerpt) was refused, over all runs.';
COMMENT ON COLUMN makini.sync_rejects.last_rejected_at IS 'When it was last refused.';
COMMENT ON COLUMN makini.sync_rejects.last_run_id IS 'The run that last refused it.';
COMMENT ON COLUMN makini.sync_rejects.raw_excerpt IS 'At most 500 characters of the record''s JSON as sent (escaped).';
