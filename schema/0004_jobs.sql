-- Federation II: the job workers (src/jobs) and the per-domain circuit
-- breaker of deliveries.

-- A manual retry (meentctl jobs retry) gives a dead job a fresh retry
-- window: the window is measured from here, or from created_at when NULL.
ALTER TABLE jobs ADD COLUMN retry_since timestamptz;

-- The workers claim the ready jobs of every queue, highest priority first,
-- oldest first. jobs_ready (0001) leads with queue, which they do not
-- filter on; this one serves the claim's ORDER BY ... LIMIT directly.
CREATE INDEX jobs_claim ON jobs (priority DESC, run_at) WHERE state = 'queued';

-- Leases that ran out: the jobs of a meentd that died.
CREATE INDEX jobs_lease ON jobs (locked_until) WHERE state = 'running';

-- Finished jobs by age, for purging (by the workers and meentctl jobs purge).
CREATE INDEX jobs_finished ON jobs (state, updated_at) WHERE state IN ('done', 'dead');

-- The circuit breaker, one row per remote host that ever failed a
-- delivery. A host that keeps failing for job_domain_unavailable_after
-- (7 days by default, as Mastodon) without a single success is marked
-- unavailable: its deliveries are then postponed without being tried,
-- but for one probe an hour. The first success, or the first signed
-- request from it, clears the row.
CREATE TABLE delivery_domains (
	domain		text PRIMARY KEY CHECK (domain = lower(domain) AND domain <> ''),
	failures	integer NOT NULL DEFAULT 0,	-- since failing_since
	failing_since	timestamptz,			-- first failure since the last success; NULL: healthy
	last_failure_at	timestamptz,
	last_error	text,
	unavailable_at	timestamptz,			-- NULL: deliveries are attempted
	last_success_at	timestamptz,
	last_seen_at	timestamptz			-- the last request from it that cleared it
);
CREATE INDEX delivery_domains_unavailable ON delivery_domains (domain)
	WHERE unavailable_at IS NOT NULL;
