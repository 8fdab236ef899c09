-- Cheaper writes: of posts (feeds, threads), of incoming activities, of jobs.
--
-- home_feeds is derived data, written by 0006's triggers for every local
-- follower of every new status. Its two foreign keys made each of those
-- rows run two referential checks, each a lookup that also locks the
-- parent row (FOR KEY SHARE): forty-odd checks per post for twenty local
-- followers, and row locks that concurrent posts to the same followers
-- share. Nothing deletes accounts or statuses in Meent (both are marked
-- deleted_at), but an operator may; the cascade the keys gave is kept
-- by the statement triggers below. A feed row whose status is gone is
-- harmless in the meantime: the home timeline joins statuses.
ALTER TABLE home_feeds DROP CONSTRAINT home_feeds_account_id_fkey;
ALTER TABLE home_feeds DROP CONSTRAINT home_feeds_status_id_fkey;

CREATE FUNCTION home_feeds_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'statuses' THEN
		DELETE FROM home_feeds WHERE status_id IN (SELECT id FROM gone);
	ELSE
		DELETE FROM home_feeds WHERE account_id IN (SELECT id FROM gone);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER home_feeds_cascade AFTER DELETE ON statuses
	REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION home_feeds_cascade();
CREATE TRIGGER home_feeds_cascade AFTER DELETE ON accounts
	REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION home_feeds_cascade();

-- A status's thread (0006's statuses_conversation) is asked of the parent
-- only for a reply. The one expression did it for every insert, and with
-- in_reply_to_id NULL PL/pgSQL's plan cache found a plan for that value
-- far cheaper than the generic one, so it planned the expression anew at
-- each insert: 70 us of planning per stored post. The trigger no longer
-- runs at all for a row that names its thread (the API's posts).
CREATE OR REPLACE FUNCTION statuses_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.in_reply_to_id IS NOT NULL THEN
		SELECT coalesce(p.conversation_id, p.id) INTO NEW.conversation_id
		  FROM statuses p WHERE p.id = NEW.in_reply_to_id;
	END IF;
	NEW.conversation_id := coalesce(NEW.conversation_id, NEW.id);
	RETURN NEW;
END $$;
DROP TRIGGER statuses_conversation ON statuses;
CREATE TRIGGER statuses_conversation BEFORE INSERT ON statuses
	FOR EACH ROW WHEN (NEW.conversation_id IS NULL)
	EXECUTE FUNCTION statuses_conversation();

-- The inbox's de-duplication rows name their signer for the record only.
-- The foreign key checked and share-locked the signer's account row at
-- every incoming activity; a server sending many at once from one actor
-- (a busy account, a relay) made concurrent locks on one row, which
-- PostgreSQL keeps as multixacts. A row whose account was deleted outright
-- is harmless: it is pruned with the others by age.
ALTER TABLE inbox_activities DROP CONSTRAINT inbox_activities_account_id_fkey;

-- A NOTIFY per statement that queues jobs (0007) cost a quarter of the
-- database's time under a steady inbox load: a commit that notifies takes
-- the notification queue's lock, and every listening connection is
-- signalled and woken. It is needed only when the workers may be asleep,
-- that is when no job was ready before these. While the queue is busy
-- the workers keep claiming without being told: a full claim claims
-- again, and a claim that emptied the queue looks once more a moment
-- later (jobs/worker.c), which finds jobs whose insert saw the queue busy
-- but committed just after that claim. A job that commits later still
-- is found by the poll (job_poll_interval). The oldest queued job in the
-- claim's order decides; one not yet due there means a NOTIFY, as before.
CREATE OR REPLACE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	first bigint;
	busy boolean;
BEGIN
	SELECT min(id) INTO first FROM added;
	IF first IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT j.run_at <= now() INTO busy FROM jobs j
	 WHERE j.state = 'queued' AND j.id < first
	 ORDER BY j.priority DESC, j.run_at LIMIT 1;
	IF busy IS NOT TRUE THEN
		PERFORM pg_notify('meent_jobs', first::text);
	END IF;
	RETURN NULL;
END $$;
