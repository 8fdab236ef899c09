-- Job wake-ups name a job. Every job thread of every meentd LISTENs; with
-- the queue name as the payload each insert woke them all, and all but one
-- claimed nothing: two wasted claims for each job with two threads. The
-- payload is now the smallest id the statement inserted, so that the
-- threads of one process can agree, without talking, which of them claims
-- (jobs/worker.c). One notification per statement, not per row: the
-- fan-out inserts thousands of deliveries in one statement, and a row
-- trigger with distinct payloads would send thousands of notifications.
DROP TRIGGER jobs_notify ON jobs;
DROP FUNCTION jobs_notify();
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	first bigint;
BEGIN
	SELECT min(id) INTO first FROM added;
	IF first IS NOT NULL THEN
		PERFORM pg_notify('meent_jobs', first::text);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
	REFERENCING NEW TABLE AS added
	FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

-- The claim (0004's jobs_claim) and the lease recovery (jobs_lease) have
-- their own indexes; 0001's jobs_ready served neither and cost an index
-- entry at every insert and state change.
DROP INDEX jobs_ready;
