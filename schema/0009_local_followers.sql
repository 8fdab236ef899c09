-- Cheaper posts: local followers found without every follower's account,
-- and counters touched only by the posts that change them.
--
-- A new post goes into the home feeds of its author's local followers
-- (0006's statuses_feed). It found them by joining every follow of the
-- author to accounts and keeping the local ones: an official account
-- with 100,000 followers, nearly all on other servers, paid 100,000
-- account lookups per post to find its few local readers. Whether a
-- follower is local never changes (an account's domain is fixed), so
-- the follow row says it, set when the row is written, and a partial
-- index lists the local followers of an account alone.
ALTER TABLE follows ADD COLUMN local_follower boolean NOT NULL DEFAULT false;
UPDATE follows f SET local_follower = true
  FROM accounts a WHERE a.id = f.account_id AND a.domain IS NULL;
CREATE INDEX follows_local_followers ON follows (target_account_id) WHERE local_follower;

CREATE FUNCTION follows_local_follower() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.local_follower := EXISTS (SELECT 1 FROM accounts
		WHERE id = NEW.account_id AND domain IS NULL);
	RETURN NEW;
END $$;
CREATE TRIGGER follows_local_follower BEFORE INSERT OR UPDATE OF account_id ON follows
	FOR EACH ROW EXECUTE FUNCTION follows_local_follower();

CREATE OR REPLACE FUNCTION statuses_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.deleted_at IS NOT NULL OR NEW.visibility = 'direct' THEN
		IF NEW.local AND NEW.deleted_at IS NULL THEN
			INSERT INTO home_feeds VALUES (NEW.account_id, NEW.id)
			ON CONFLICT DO NOTHING;
		END IF;
		RETURN NULL;
	END IF;
	INSERT INTO home_feeds (account_id, status_id)
	SELECT NEW.account_id, NEW.id WHERE NEW.local
	UNION
	SELECT f.account_id, NEW.id FROM follows f
	 WHERE f.target_account_id = NEW.account_id AND f.local_follower
	   AND (NEW.reblog_of_id IS NULL OR f.show_reblogs)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

-- A new status counts for its parent or its boosted original only when it
-- has one: most have neither, and the per-row trigger still ran a
-- PL/pgSQL function with two queries for each of them. Inserts now fire it
-- only for replies and boosts; deletions as before.
DROP TRIGGER statuses_stats ON statuses;
CREATE CONSTRAINT TRIGGER statuses_stats AFTER UPDATE OF deleted_at OR DELETE
	ON statuses DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION statuses_stats();
CREATE CONSTRAINT TRIGGER statuses_stats_new AFTER INSERT
	ON statuses DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.in_reply_to_id IS NOT NULL OR NEW.reblog_of_id IS NOT NULL)
	EXECUTE FUNCTION statuses_stats();
