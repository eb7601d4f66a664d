-- makini-sync warehouse: work shared by several processes and hosts through PostgreSQL alone (issue 19, part 3).
-- A process syncs a connection of a job only while it holds that connection's lease: a session-level advisory lock
-- (one bigint key per job x connection, see lease_key) on the warehouse session that writes the connection's pages,
-- so a process that dies loses its leases with its sessions. stream_leases says who holds which stream now (rows of
-- a dead holder stay until the stream's next holder overwrites them; a row is current only while its advisory lock
-- is held, which pg_locks shows). stream_slots records every stream done for a schedule slot, so a second process in
-- the same slot skips it instead of running it again.

CREATE TABLE makini.stream_leases (
    job           text        NOT NULL,
    connection_id text        NOT NULL,
    entity        text        NOT NULL,
    lease_key     bigint      NOT NULL,
    host          text        NOT NULL,
    pid           integer     NOT NULL,
    backend_pid   integer     NOT NULL,
    run_id        text        NOT NULL,
    slot          timestamptz,
    since         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, connection_id, entity)
);
COMMENT ON TABLE makini.stream_leases IS
    'Who runs each stream (job x connection x entity) now: written when a process starts the stream under its connection lease, deleted when it ends it. A row whose advisory lock (lease_key) is no longer held in pg_locks is stale: its process died.';
COMMENT ON COLUMN makini.stream_leases.job IS 'The job of the stream.';
COMMENT ON COLUMN makini.stream_leases.connection_id IS 'The connection of the stream (the lease is taken per job x connection).';
COMMENT ON COLUMN makini.stream_leases.entity IS 'The entity of the stream.';
COMMENT ON COLUMN makini.stream_leases.lease_key IS
    'The session-level advisory lock (bigint form) that is the lease: hashtextextended(''makini-lease:'' || job || chr(31) || connection_id, 0).';
COMMENT ON COLUMN makini.stream_leases.host IS 'Host name of the process holding the stream.';
COMMENT ON COLUMN makini.stream_leases.pid IS 'Operating-system process id of the holder on its host.';
COMMENT ON COLUMN makini.stream_leases.backend_pid IS 'PostgreSQL backend pid of the session holding the lease (pg_stat_activity.pid).';
COMMENT ON COLUMN makini.stream_leases.run_id IS 'The holder''s run (makini.sync_runs.run_id).';
COMMENT ON COLUMN makini.stream_leases.slot IS 'The schedule slot the stream runs for (run --due, daemon); NULL for a run by name.';
COMMENT ON COLUMN makini.stream_leases.since IS 'When the holder started the stream.';

CREATE TABLE makini.stream_slots (
    job           text        NOT NULL,
    connection_id text        NOT NULL,
    entity        text        NOT NULL,
    slot          timestamptz NOT NULL,
    run_id        text        NOT NULL,
    host          text        NOT NULL,
    pid           integer     NOT NULL,
    status        text        NOT NULL,
    finished_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, slot, connection_id, entity)
);
COMMENT ON TABLE makini.stream_slots IS
    'Streams done for a schedule slot (run --due, daemon): one row per stream and slot, written by the process that ran it, under its lease. A stream with a row is not run again in that slot; an interrupted stream gets no row (another process finishes it).';
COMMENT ON COLUMN makini.stream_slots.job IS 'The job of the stream.';
COMMENT ON COLUMN makini.stream_slots.connection_id IS 'The connection of the stream.';
COMMENT ON COLUMN makini.stream_slots.entity IS 'The entity of the stream.';
COMMENT ON COLUMN makini.stream_slots.slot IS 'The schedule slot (makini.sync_runs.scheduled_for of the runs sharing it).';
COMMENT ON COLUMN makini.stream_slots.run_id IS 'The run that ran the stream for this slot.';
COMMENT ON COLUMN makini.stream_slots.host IS 'Host name of the process that ran it.';
COMMENT ON COLUMN makini.stream_slots.pid IS 'Operating-system process id of that process.';
COMMENT ON COLUMN makini.stream_slots.status IS 'How the stream ended: succeeded, failed or skipped (a failed stream is retried in the next slot, not in this one).';
COMMENT ON COLUMN makini.stream_slots.finished_at IS 'When it ended.';
CREATE INDEX stream_slots_finished_idx ON makini.stream_slots (finished_at);

COMMENT ON TABLE makini.job_locks IS
    'Who held each job''s advisory lock before migration 010; since then runs share a job through stream leases (makini.stream_leases) and this table is no longer written.';
COMMENT ON COLUMN makini.sync_runs.status IS
    'running, succeeded, partial (some streams failed), failed, skipped (other processes held or had already run every stream of the job), interrupted (stopped by SIGTERM/SIGINT after each stream''s last committed page) or abandoned (its process died without recording an end; closed by a later run of the job).';
COMMENT ON COLUMN makini.sync_runs.streams_total IS 'Streams this run ran (streams run by other processes sharing the slot are recorded in their runs).';
