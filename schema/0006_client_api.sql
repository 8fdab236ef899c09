-- Mastodon client API I: what the API needs beyond the core tables.

-- Per-status counters, kept by triggers like account_stats, so that a
-- timeline page renders its counts without counting rows.
CREATE TABLE status_stats (
	status_id		bigint PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
	replies_count		bigint NOT NULL DEFAULT 0,
	reblogs_count		bigint NOT NULL DEFAULT 0,
	favourites_count	bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION status_stats_bump(st bigint, col text, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF st IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO status_stats (status_id)
	SELECT st WHERE EXISTS (SELECT 1 FROM statuses WHERE id = st)
	ON CONFLICT DO NOTHING;
	EXECUTE format('UPDATE status_stats SET %I = greatest(%I + $1, 0) WHERE status_id = $2',
	    col, col) USING delta, st;
END $$;

-- A reply or a reblog counts while it is not deleted.
CREATE FUNCTION statuses_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' AND NEW.deleted_at IS NULL THEN
		PERFORM status_stats_bump(NEW.in_reply_to_id, 'replies_count', 1);
		PERFORM status_stats_bump(NEW.reblog_of_id, 'reblogs_count', 1);
	ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
		PERFORM status_stats_bump(OLD.in_reply_to_id, 'replies_count', -1);
		PERFORM status_stats_bump(OLD.reblog_of_id, 'reblogs_count', -1);
	ELSIF TG_OP = 'DELETE' AND OLD.deleted_at IS NULL THEN
		PERFORM status_stats_bump(OLD.in_reply_to_id, 'replies_count', -1);
		PERFORM status_stats_bump(OLD.reblog_of_id, 'reblogs_count', -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER statuses_stats AFTER INSERT OR UPDATE OF deleted_at OR DELETE ON statuses
	FOR EACH ROW EXECUTE FUNCTION statuses_stats();

CREATE FUNCTION favourites_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM status_stats_bump(NEW.status_id, 'favourites_count', 1);
	ELSE
		PERFORM status_stats_bump(OLD.status_id, 'favourites_count', -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER favourites_stats AFTER INSERT OR DELETE ON favourites
	FOR EACH ROW EXECUTE FUNCTION favourites_stats();

-- Counts of rows that existed before this migration.
INSERT INTO status_stats (status_id, replies_count, reblogs_count, favourites_count)
SELECT s.id,
    (SELECT count(*) FROM statuses r WHERE r.in_reply_to_id = s.id AND r.deleted_at IS NULL),
    (SELECT count(*) FROM statuses b WHERE b.reblog_of_id = s.id AND b.deleted_at IS NULL),
    (SELECT count(*) FROM favourites f WHERE f.status_id = s.id)
FROM statuses s;

-- Home timelines, written when a status is created (fan-out on write, as
-- Mastodon's FanOutOnWriteService does into Redis) so that reading one is
-- a single index range. Only local accounts have a home timeline. Triggers
-- fill it whichever path (API or inbox) created the status or the follow.
CREATE TABLE home_feeds (
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	PRIMARY KEY (account_id, status_id)
);
CREATE INDEX home_feeds_status ON home_feeds (status_id);

-- A new status reaches its author's own feed (when local) and the feeds of
-- the local followers allowed to see it: public, unlisted and
-- followers-only posts, reblogs only for follows that show reblogs.
-- Direct posts reach the mentioned accounts through mentions_feed below.
CREATE FUNCTION statuses_feed() RETURNS trigger LANGUAGE plpgsql AS $$
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
	  JOIN accounts a ON a.id = f.account_id AND a.domain IS NULL
	 WHERE f.target_account_id = NEW.account_id
	   AND (NEW.reblog_of_id IS NULL OR f.show_reblogs)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER statuses_feed AFTER INSERT ON statuses
	FOR EACH ROW EXECUTE FUNCTION statuses_feed();

-- A local account mentioned in a private or direct status sees it at home.
CREATE FUNCTION mentions_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO home_feeds (account_id, status_id)
	SELECT NEW.account_id, NEW.status_id
	  FROM accounts a, statuses s
	 WHERE a.id = NEW.account_id AND a.domain IS NULL
	   AND s.id = NEW.status_id AND s.deleted_at IS NULL
	   AND s.visibility IN ('private', 'direct')
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER mentions_feed AFTER INSERT ON mentions
	FOR EACH ROW EXECUTE FUNCTION mentions_feed();

-- Following someone brings their recent posts home; unfollowing takes
-- them away again (Mastodon's FeedManager#merge_into_home / unmerge).
CREATE FUNCTION follows_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF EXISTS (SELECT 1 FROM accounts WHERE id = NEW.account_id AND domain IS NULL) THEN
			INSERT INTO home_feeds (account_id, status_id)
			SELECT NEW.account_id, s.id FROM statuses s
			 WHERE s.account_id = NEW.target_account_id AND s.deleted_at IS NULL
			   AND s.visibility IN ('public', 'unlisted', 'private')
			   AND (s.reblog_of_id IS NULL OR NEW.show_reblogs)
			 ORDER BY s.id DESC LIMIT 400
			ON CONFLICT DO NOTHING;
		END IF;
	ELSE
		DELETE FROM home_feeds h USING statuses s
		 WHERE h.account_id = OLD.account_id AND s.id = h.status_id
		   AND s.account_id = OLD.target_account_id
		   AND NOT EXISTS (SELECT 1 FROM mentions m
				    WHERE m.status_id = s.id AND m.account_id = OLD.account_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER follows_feed AFTER INSERT OR DELETE ON follows
	FOR EACH ROW EXECUTE FUNCTION follows_feed();

-- A deleted status leaves every feed.
CREATE FUNCTION statuses_unfeed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM home_feeds WHERE status_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER statuses_unfeed AFTER UPDATE OF deleted_at ON statuses
	FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
	EXECUTE FUNCTION statuses_unfeed();

-- Pinned statuses (the featured collection and ?pinned=true).
CREATE TABLE status_pins (
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, status_id)
);

-- Muted conversations (POST /api/v1/statuses/:id/mute).
CREATE TABLE conversation_mutes (
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	conversation_id	bigint NOT NULL,
	PRIMARY KEY (account_id, conversation_id)
);

-- Reading positions (GET/POST /api/v1/markers).
CREATE TABLE markers (
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	timeline	text NOT NULL CHECK (timeline IN ('home', 'notifications')),
	last_read_id	bigint NOT NULL,
	version		integer NOT NULL DEFAULT 1,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, timeline)
);

-- Idempotency-Key of POST /api/v1/statuses: the same key from the same
-- account within an hour returns the same status.
CREATE TABLE idempotency_keys (
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	key		text NOT NULL,
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Browser sessions of the OAuth sign-in pages. Like tokens, only the
-- SHA-256 of the cookie value is stored.
CREATE TABLE web_sessions (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	token_hash	text NOT NULL,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE UNIQUE INDEX web_sessions_token ON web_sessions (token_hash);

-- Rate limit counters: one row per key (a token, an address, an action)
-- and fixed window. Unlogged: losing them in a crash only resets limits,
-- and every meentd on the database sees the same counts.
CREATE UNLOGGED TABLE rate_limits (
	key		text PRIMARY KEY,
	window_start	timestamptz NOT NULL,
	hits		integer NOT NULL DEFAULT 0
);

-- User preferences (GET /api/v1/preferences, verify_credentials source).
ALTER TABLE users
	ADD COLUMN default_visibility text NOT NULL DEFAULT 'public'
		CHECK (default_visibility IN ('public', 'unlisted', 'private', 'direct')),
	ADD COLUMN default_sensitive boolean NOT NULL DEFAULT false,
	ADD COLUMN default_language text,
	ADD COLUMN expand_media text NOT NULL DEFAULT 'default'
		CHECK (expand_media IN ('default', 'show_all', 'hide_all')),
	ADD COLUMN expand_spoilers boolean NOT NULL DEFAULT false;

-- Which app posted a status is already statuses.application_id; a status's
-- thread is conversation_id. Index the conversation for /context.
CREATE INDEX statuses_conversation ON statuses (conversation_id)
	WHERE conversation_id IS NOT NULL;

-- Replies that arrived before their parent, linked when it is stored.
CREATE INDEX statuses_reply_uri ON statuses (in_reply_to_uri)
	WHERE in_reply_to_id IS NULL AND in_reply_to_uri IS NOT NULL;

-- Timelines: local public, and all statuses by id for the federated one.
CREATE INDEX statuses_local_public ON statuses (id DESC)
	WHERE local AND visibility = 'public' AND deleted_at IS NULL AND reblog_of_id IS NULL;

-- Notifications of one kind for one account (types[] filters).
CREATE INDEX notifications_account_type ON notifications (account_id, type, id DESC)
	WHERE dismissed_at IS NULL;

-- Favourites and bookmarks listed newest first.
CREATE INDEX favourites_account ON favourites (account_id, id DESC);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id DESC);

-- Local avatar and header uploads (storage keys under media_dir).
ALTER TABLE accounts
	ADD COLUMN avatar_file text,
	ADD COLUMN header_file text;

-- Counters are bumped when the transaction commits, not when the row is
-- written: a post by an account locks that account's account_stats row
-- only for the instant of the commit, so an account's posts (and the
-- favourites of one status) do not queue behind each other's whole
-- transactions. The bump updates first and inserts only for a missing
-- row, so the common case takes one row lock, not two statements.
CREATE OR REPLACE FUNCTION account_stats_bump(acct bigint, col text, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('UPDATE account_stats SET %I = greatest(%I + $1, 0) WHERE account_id = $2',
	    col, col) USING delta, acct;
	-- EXECUTE leaves FOUND alone; the row count says whether the row was there.
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		-- The account may be going away in the same statement (a cascade).
		INSERT INTO account_stats (account_id)
		SELECT acct WHERE EXISTS (SELECT 1 FROM accounts WHERE id = acct)
		ON CONFLICT DO NOTHING;
		EXECUTE format('UPDATE account_stats SET %I = greatest(%I + $1, 0) WHERE account_id = $2',
		    col, col) USING delta, acct;
	END IF;
END $$;

CREATE OR REPLACE FUNCTION status_stats_bump(st bigint, col text, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	IF st IS NULL THEN
		RETURN;
	END IF;
	EXECUTE format('UPDATE status_stats SET %I = greatest(%I + $1, 0) WHERE status_id = $2',
	    col, col) USING delta, st;
	-- EXECUTE leaves FOUND alone; the row count says whether the row was there.
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		INSERT INTO status_stats (status_id)
		SELECT st WHERE EXISTS (SELECT 1 FROM statuses WHERE id = st)
		ON CONFLICT DO NOTHING;
		EXECUTE format('UPDATE status_stats SET %I = greatest(%I + $1, 0) WHERE status_id = $2',
		    col, col) USING delta, st;
	END IF;
END $$;

-- One statement for a new status's author: the count and the time.
CREATE OR REPLACE FUNCTION statuses_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' AND NEW.deleted_at IS NULL THEN
		UPDATE account_stats SET statuses_count = statuses_count + 1,
		    last_status_at = greatest(last_status_at, NEW.created_at)
		 WHERE account_id = NEW.account_id;
		IF NOT FOUND THEN
			PERFORM account_stats_bump(NEW.account_id, 'statuses_count', 1);
			UPDATE account_stats SET last_status_at = NEW.created_at
			 WHERE account_id = NEW.account_id;
		END IF;
	ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
		PERFORM account_stats_bump(NEW.account_id, 'statuses_count', -1);
	ELSIF TG_OP = 'DELETE' AND OLD.deleted_at IS NULL THEN
		PERFORM account_stats_bump(OLD.account_id, 'statuses_count', -1);
	END IF;
	RETURN NULL;
END $$;

DROP TRIGGER statuses_count ON statuses;
CREATE CONSTRAINT TRIGGER statuses_count AFTER INSERT OR UPDATE OF deleted_at OR DELETE
	ON statuses DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION statuses_count();
DROP TRIGGER statuses_stats ON statuses;
CREATE CONSTRAINT TRIGGER statuses_stats AFTER INSERT OR UPDATE OF deleted_at OR DELETE
	ON statuses DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION statuses_stats();
DROP TRIGGER favourites_stats ON favourites;
CREATE CONSTRAINT TRIGGER favourites_stats AFTER INSERT OR DELETE
	ON favourites DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION favourites_stats();

-- Every status belongs to a thread (conversation_id): a reply joins its
-- parent's, anything else starts its own. Set here, so remote posts from
-- the inbox get one too (muting a thread, /conversations).
CREATE FUNCTION statuses_conversation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.conversation_id IS NULL THEN
		NEW.conversation_id := coalesce((SELECT coalesce(p.conversation_id, p.id)
		    FROM statuses p WHERE p.id = NEW.in_reply_to_id), NEW.id);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER statuses_conversation BEFORE INSERT ON statuses
	FOR EACH ROW EXECUTE FUNCTION statuses_conversation();
