-- makini-sync: what a stream survived but an operator should see, by code.
-- FUTURE_TIMESTAMP: records stamped beyond the run's clock + future_tolerance (written; the checkpoint stays at
-- that horizon). GROUP_INCOMPLETE: a timestamp group that kept changing and could not be read completely (the
-- checkpoint stays before it; a full refresh marks nothing deleted).

ALTER TABLE makini.sync_stream_runs ADD COLUMN warnings_by_code jsonb NOT NULL DEFAULT '{}';

COMMENT ON COLUMN makini.sync_stream_runs.warnings_by_code IS
    'Warnings by code, e.g. {"FUTURE_TIMESTAMP": 2}: FUTURE_TIMESTAMP counts records stamped beyond the clock + future_tolerance (written, checkpoint held at that horizon); GROUP_INCOMPLETE counts timestamp groups that could not be read completely (checkpoint held before them, no full-refresh tombstones).';

ALTER TABLE makini.sync_stream_runs ADD COLUMN page_size integer;

COMMENT ON COLUMN makini.sync_stream_runs.page_size IS
    'Records per page the stream ended with: smaller than configured when a page too heavy to fetch (over max_page_bytes, an upstream timeout or 504) was asked for again with half as many records (counted as PAGE_SHRUNK in warnings_by_code).';
