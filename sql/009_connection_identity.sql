-- makini-sync warehouse: which Makini connection each connection id is, how it came to be synced (listed in a job
-- file or discovered through the System API), whether it is still synced, and Makini's own upstream sync status.

ALTER TABLE makini.connections
    ADD COLUMN makini_connection_key text,
    ADD COLUMN name                 text,
    ADD COLUMN makini_status        text,
    ADD COLUMN source               text NOT NULL DEFAULT 'listed' CHECK (source IN ('listed', 'discovered')),
    ADD COLUMN discovered_by_job    text,
    ADD COLUMN discovered_at        timestamptz,
    ADD COLUMN last_seen_at         timestamptz,
    ADD COLUMN active               boolean NOT NULL DEFAULT true,
    ADD COLUMN inactive_reason      text CHECK (inactive_reason IN ('gone', 'inactive', 'filtered')),
    ADD COLUMN inactive_since       timestamptz,
    ADD COLUMN upstream_sync_status text,
    ADD COLUMN upstream_synced_at   timestamptz,
    ADD COLUMN upstream_checked_at  timestamptz;

CREATE INDEX connections_discovered_by_job ON makini.connections (discovered_by_job) WHERE discovered_by_job IS NOT NULL;

COMMENT ON COLUMN makini.connections.connection_id IS
    'The connection''s id in the warehouse (connection_id of every synced row): the id: of a job file''s connection, or the Makini key of a discovered one.';
COMMENT ON COLUMN makini.connections.platform IS
    'The source platform as the job file or the System API names it (jde-world, ioffice, ...); informative.';
COMMENT ON COLUMN makini.connections.needs_reauth_since IS
    'When the connection was first found to need re-authorisation; NULL while it does not.';
COMMENT ON COLUMN makini.connections.last_success_at IS
    'When every stream of the connection last succeeded in one run.';
COMMENT ON COLUMN makini.connections.last_error_code IS
    'The error code of the connection''s latest failure (e.g. REAUTHORIZATION_REQUIRED, CONNECTION_IDENTITY_MISMATCH, UPSTREAM_SYNC_FAILED); NULL after a success.';
COMMENT ON COLUMN makini.connections.last_error_message IS
    'The message of that failure, redacted and bounded.';
COMMENT ON COLUMN makini.connections.last_request_id IS
    'The API request id of that failure, for Makini support.';
COMMENT ON COLUMN makini.connections.updated_at IS
    'When makini-sync last wrote this row.';
COMMENT ON COLUMN makini.connections.makini_connection_key IS
    'Makini''s own identity of the connection: its key in the System API listing, or the id GET /api/integrations/current answers for its token. Recorded the first time it is seen; a token that later belongs to another key stops the connection (CONNECTION_IDENTITY_MISMATCH) instead of mixing two systems'' rows under one connection_id.';
COMMENT ON COLUMN makini.connections.name IS
    'The connection''s display name in the System API listing (discovered connections).';
COMMENT ON COLUMN makini.connections.makini_status IS
    'The connection''s status in the System API listing when last seen (Pending, Synchronizing, In progress, Active, Inactive, ...).';
COMMENT ON COLUMN makini.connections.source IS
    'listed: named in a job file; discovered: found through the System API by the job in discovered_by_job.';
COMMENT ON COLUMN makini.connections.discovered_by_job IS
    'The job whose discovery found the connection; NULL for listed connections.';
COMMENT ON COLUMN makini.connections.discovered_at IS
    'When discovery first found the connection.';
COMMENT ON COLUMN makini.connections.last_seen_at IS
    'When the System API listing last showed the connection (discovered), or when a run last synced it (listed).';
COMMENT ON COLUMN makini.connections.active IS
    'False once a discovered connection is no longer synced (see inactive_reason); its rows stay. True again when discovery selects it again.';
COMMENT ON COLUMN makini.connections.inactive_reason IS
    'Why a discovered connection is not synced: gone (no longer listed), inactive (listed with status Inactive) or filtered (excluded by the job''s discover: filters); NULL while active.';
COMMENT ON COLUMN makini.connections.inactive_since IS
    'When the connection stopped being synced; NULL while active.';
COMMENT ON COLUMN makini.connections.upstream_sync_status IS
    'Makini''s own sync with the source system, from GET /api/integrations/current: inprogress, done, fulldone, error, or fail (the source platform''s credentials are invalid: needs attention at the source, not a Makini re-authorisation; the connection''s streams are skipped while it lasts).';
COMMENT ON COLUMN makini.connections.upstream_synced_at IS
    'When Makini last synchronised with the source system (sync_updated_at of GET /api/integrations/current).';
COMMENT ON COLUMN makini.connections.upstream_checked_at IS
    'When makini-sync last asked GET /api/integrations/current for the connection.';
