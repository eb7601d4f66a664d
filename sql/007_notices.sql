-- makini-sync warehouse: failure notices sent for a job's runs (notify: in the job file).
-- One row per channel a notice went to (command, webhook), or one row with channel 'none' for a notice held back by
-- the job's min_interval. Shared by every host running the job, so the rate limit holds across processes and hosts.

CREATE TABLE makini.job_notices (
    id       bigserial PRIMARY KEY,
    job      text NOT NULL,
    run_id   text NOT NULL,
    status   text NOT NULL CHECK (status IN ('failed', 'partial', 'needs_reauth', 'recovered')),
    channel  text NOT NULL CHECK (channel IN ('command', 'webhook', 'none')),
    outcome  text NOT NULL CHECK (outcome IN ('sent', 'failed', 'skipped')),
    detail   text,
    sent_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX job_notices_job_sent_at ON makini.job_notices (job, sent_at DESC);

COMMENT ON TABLE makini.job_notices IS
    'Failure notices of job runs: one row per channel a notice was sent to, or one skipped row (channel none) when the job''s min_interval held it back. Read by every host before sending, for the per-job rate limit and to know when a recovered notice is due.';
COMMENT ON COLUMN makini.job_notices.status IS
    'Why the notice was sent: failed, partial, needs_reauth, or recovered (the first success after a delivered failure notice).';
COMMENT ON COLUMN makini.job_notices.outcome IS
    'sent (command exit 0, webhook 2xx), failed (non-zero exit, HTTP error, timeout, unreachable; the run''s outcome is unchanged) or skipped (rate limited).';
COMMENT ON COLUMN makini.job_notices.detail IS
    'How the channel answered (exit status and stderr tail, HTTP status) or why the notice was skipped; redacted and bounded.';
COMMENT ON COLUMN makini.job_notices.sent_at IS
    'When the notice was sent or skipped, by the warehouse''s clock (the clock min_interval is measured with).';
