-- Meent core schema. Migrations are append-only: change the schema with a
-- new numbered file, never by editing this one.

-- Mastodon-style snowflake IDs: milliseconds since the Unix epoch in the
-- high 48 bits, a wrapping sequence in the low 16. They sort by time, which
-- Mastodon apps (Ivory above all) rely on for pagination, and are sent to
-- clients as decimal strings.
CREATE SEQUENCE meent_id_seq;

CREATE FUNCTION meent_id_at(ts timestamptz) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
	SELECT (floor(extract(epoch FROM ts) * 1000)::bigint << 16)
	     | (nextval('meent_id_seq') & 65535)
$$;

CREATE FUNCTION meent_id() RETURNS bigint
LANGUAGE sql VOLATILE AS $$
	SELECT meent_id_at(clock_timestamp())
$$;

-- The instance's own domain names. One is primary (used in new actor
-- URIs); more may be added later for organisations with their own domain.
CREATE TABLE instance_domains (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	domain		text NOT NULL CHECK (domain = lower(domain) AND domain <> ''),
	is_primary	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX instance_domains_domain ON instance_domains (domain);
CREATE UNIQUE INDEX instance_domains_one_primary ON instance_domains (is_primary)
	WHERE is_primary;

-- Tenants: a ministry, an agency, a municipality.
CREATE TABLE organisations (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	slug		text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	url		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_slug ON organisations (slug);

-- People who sign in. The role is their role on the whole instance.
CREATE TABLE users (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	username	text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{1,64}$'),
	email		text NOT NULL DEFAULT '',
	password_hash	text NOT NULL DEFAULT '',	-- Argon2id PHC string; '' = no password sign-in
	role		text NOT NULL DEFAULT 'none'
			CHECK (role IN ('admin', 'moderator', 'none')),
	otp_secret	text,				-- 2FA, later
	locale		text NOT NULL DEFAULT 'en',
	disabled_at	timestamptz,
	last_sign_in_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (lower(username));
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email <> '';

-- Organisation administrators manage the accounts of their organisation.
CREATE TABLE organisation_members (
	organisation_id	bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role		text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (organisation_id, user_id)
);

-- ActivityPub actors, local (domain IS NULL) and remote.
CREATE TABLE accounts (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	username		text NOT NULL CHECK (length(username) BETWEEN 1 AND 2048),
	domain			text CHECK (domain = lower(domain)),	-- NULL: local
	organisation_id		bigint REFERENCES organisations (id),
	actor_type		text NOT NULL DEFAULT 'Person'
				CHECK (actor_type IN ('Person', 'Organization', 'Service',
				    'Group', 'Application')),
	uri			text NOT NULL,		-- the actor id
	url			text NOT NULL DEFAULT '',	-- the profile page
	display_name		text NOT NULL DEFAULT '',
	note			text NOT NULL DEFAULT '',	-- HTML
	note_source		text NOT NULL DEFAULT '',	-- plain text, local only
	fields			jsonb NOT NULL DEFAULT '[]',
	inbox_url		text NOT NULL DEFAULT '',
	outbox_url		text NOT NULL DEFAULT '',
	shared_inbox_url	text NOT NULL DEFAULT '',
	followers_url		text NOT NULL DEFAULT '',
	following_url		text NOT NULL DEFAULT '',
	featured_url		text NOT NULL DEFAULT '',
	public_key_pem		text NOT NULL DEFAULT '',
	private_key_pem		text,				-- local only
	key_id			text NOT NULL DEFAULT '',
	avatar_remote_url	text NOT NULL DEFAULT '',
	header_remote_url	text NOT NULL DEFAULT '',
	locked			boolean NOT NULL DEFAULT false,
	bot			boolean NOT NULL DEFAULT false,
	discoverable		boolean NOT NULL DEFAULT true,
	indexable		boolean NOT NULL DEFAULT true,
	memorial		boolean NOT NULL DEFAULT false,
	also_known_as		text[] NOT NULL DEFAULT '{}',
	moved_to_account_id	bigint REFERENCES accounts (id),
	silenced_at		timestamptz,
	suspended_at		timestamptz,
	deleted_at		timestamptz,
	last_fetched_at		timestamptz,
	last_webfingered_at	timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	-- A local account always belongs to an organisation and has its keys.
	CHECK (domain IS NOT NULL OR (organisation_id IS NOT NULL AND private_key_pem IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_username_domain ON accounts (lower(username), coalesce(domain, ''));
CREATE UNIQUE INDEX accounts_uri ON accounts (uri);
CREATE INDEX accounts_organisation ON accounts (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX accounts_domain ON accounts (domain) WHERE domain IS NOT NULL;

-- Counters kept apart from accounts so the hot rows stay narrow.
CREATE TABLE account_stats (
	account_id		bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
	statuses_count		bigint NOT NULL DEFAULT 0,
	followers_count		bigint NOT NULL DEFAULT 0,
	following_count		bigint NOT NULL DEFAULT 0,
	last_status_at		timestamptz
);

-- Which users may act as which local accounts: several staff behind one
-- official account, and one person running several accounts.
CREATE TABLE memberships (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	role		text NOT NULL DEFAULT 'editor'
			CHECK (role IN ('owner', 'manager', 'editor')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, account_id)
);
CREATE INDEX memberships_account ON memberships (account_id);

CREATE TABLE oauth_applications (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	name			text NOT NULL,
	website			text NOT NULL DEFAULT '',
	redirect_uris		text[] NOT NULL DEFAULT '{}',
	scopes			text NOT NULL DEFAULT 'read',
	client_id		text NOT NULL,
	client_secret_hash	text NOT NULL,		-- SHA-256, hex
	owner_user_id		bigint REFERENCES users (id) ON DELETE CASCADE,
	created_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX oauth_applications_client_id ON oauth_applications (client_id);

CREATE TABLE statuses (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	uri			text NOT NULL,
	url			text NOT NULL DEFAULT '',
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	in_reply_to_id		bigint REFERENCES statuses (id) ON DELETE SET NULL,
	in_reply_to_account_id	bigint REFERENCES accounts (id) ON DELETE SET NULL,
	in_reply_to_uri		text,			-- kept when the parent is unknown
	reblog_of_id		bigint REFERENCES statuses (id) ON DELETE CASCADE,
	conversation_id		bigint,
	text			text NOT NULL DEFAULT '',	-- source, local only
	content			text NOT NULL DEFAULT '',	-- sanitised HTML
	spoiler_text		text NOT NULL DEFAULT '',
	sensitive		boolean NOT NULL DEFAULT false,
	visibility		text NOT NULL DEFAULT 'public'
				CHECK (visibility IN ('public', 'unlisted', 'private', 'direct')),
	language		text,
	local			boolean NOT NULL DEFAULT false,
	application_id		bigint REFERENCES oauth_applications (id) ON DELETE SET NULL,
	edited_at		timestamptz,
	deleted_at		timestamptz,		-- tombstoned
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX statuses_uri ON statuses (uri);
CREATE INDEX statuses_account ON statuses (account_id, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX statuses_reply ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX statuses_reblog ON statuses (reblog_of_id) WHERE reblog_of_id IS NOT NULL;
CREATE UNIQUE INDEX statuses_one_reblog ON statuses (account_id, reblog_of_id)
	WHERE reblog_of_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX statuses_public ON statuses (id DESC)
	WHERE visibility = 'public' AND deleted_at IS NULL AND reblog_of_id IS NULL;

CREATE TABLE status_edits (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	text		text NOT NULL DEFAULT '',
	content		text NOT NULL DEFAULT '',
	spoiler_text	text NOT NULL DEFAULT '',
	sensitive	boolean NOT NULL DEFAULT false,
	media_ids	bigint[] NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE follows (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	uri			text,
	show_reblogs		boolean NOT NULL DEFAULT true,
	notify			boolean NOT NULL DEFAULT false,
	languages		text[],
	created_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (account_id <> target_account_id)
);
CREATE UNIQUE INDEX follows_pair ON follows (account_id, target_account_id);
CREATE INDEX follows_target ON follows (target_account_id, id DESC);

CREATE TABLE follow_requests (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	uri			text,
	show_reblogs		boolean NOT NULL DEFAULT true,
	notify			boolean NOT NULL DEFAULT false,
	created_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (account_id <> target_account_id)
);
CREATE UNIQUE INDEX follow_requests_pair ON follow_requests (account_id, target_account_id);
CREATE INDEX follow_requests_target ON follow_requests (target_account_id, id DESC);

CREATE TABLE blocks (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	uri			text,
	created_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX blocks_pair ON blocks (account_id, target_account_id);
CREATE INDEX blocks_target ON blocks (target_account_id);

CREATE TABLE mutes (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	target_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	hide_notifications	boolean NOT NULL DEFAULT true,
	expires_at		timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mutes_pair ON mutes (account_id, target_account_id);

CREATE TABLE favourites (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	uri		text,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX favourites_pair ON favourites (account_id, status_id);
CREATE INDEX favourites_status ON favourites (status_id);

CREATE TABLE bookmarks (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX bookmarks_pair ON bookmarks (account_id, status_id);

CREATE TABLE mentions (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	silent		boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mentions_pair ON mentions (status_id, account_id);
CREATE INDEX mentions_account ON mentions (account_id, status_id DESC);

CREATE TABLE tags (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_name ON tags (lower(name));

CREATE TABLE statuses_tags (
	status_id	bigint NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
	tag_id		bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
	PRIMARY KEY (tag_id, status_id)
);
CREATE INDEX statuses_tags_status ON statuses_tags (status_id);

CREATE TABLE media_attachments (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_id	bigint REFERENCES statuses (id) ON DELETE SET NULL,
	type		text NOT NULL DEFAULT 'unknown'
			CHECK (type IN ('image', 'gifv', 'video', 'audio', 'unknown')),
	content_type	text NOT NULL DEFAULT '',
	file_path	text,			-- local storage key, NULL until processed
	file_size	bigint,
	remote_url	text NOT NULL DEFAULT '',
	description	text NOT NULL DEFAULT '',
	blurhash	text,
	meta		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_attachments_status ON media_attachments (status_id) WHERE status_id IS NOT NULL;
CREATE INDEX media_attachments_account ON media_attachments (account_id, id DESC);

CREATE TABLE notifications (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	from_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	type		text NOT NULL CHECK (type IN ('mention', 'status', 'reblog',
			    'follow', 'follow_request', 'favourite', 'poll', 'update',
			    'admin.sign_up', 'admin.report')),
	status_id	bigint REFERENCES statuses (id) ON DELETE CASCADE,
	dismissed_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_account ON notifications (account_id, id DESC)
	WHERE dismissed_at IS NULL;

CREATE TABLE oauth_authorization_codes (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	code_hash		text NOT NULL,
	application_id		bigint NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
	user_id			bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	redirect_uri		text NOT NULL,
	scopes			text NOT NULL,
	code_challenge		text,
	code_challenge_method	text,
	expires_at		timestamptz NOT NULL,
	used_at			timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX oauth_authorization_codes_hash ON oauth_authorization_codes (code_hash);

-- Bearer tokens. Only SHA-256 hashes are stored; the token itself is shown
-- once, to whoever created it.
CREATE TABLE oauth_tokens (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	token_hash		text NOT NULL,
	refresh_token_hash	text,
	application_id		bigint REFERENCES oauth_applications (id) ON DELETE CASCADE,
	user_id			bigint REFERENCES users (id) ON DELETE CASCADE,
	account_id		bigint REFERENCES accounts (id) ON DELETE CASCADE,
	scopes			text NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT now(),
	expires_at		timestamptz,
	revoked_at		timestamptz,
	last_used_at		timestamptz,
	-- A user token acts as exactly one account the user is a member of.
	CHECK ((user_id IS NULL) = (account_id IS NULL))
);
CREATE UNIQUE INDEX oauth_tokens_hash ON oauth_tokens (token_hash);
CREATE UNIQUE INDEX oauth_tokens_refresh ON oauth_tokens (refresh_token_hash)
	WHERE refresh_token_hash IS NOT NULL;

-- Servers the operator moderates. Public reasons appear on the front page.
CREATE TABLE domain_blocks (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	domain		text NOT NULL CHECK (domain = lower(domain)),
	severity	text NOT NULL DEFAULT 'suspend'
			CHECK (severity IN ('silence', 'suspend', 'noop')),
	reject_media	boolean NOT NULL DEFAULT false,
	public_comment	text NOT NULL DEFAULT '',
	private_comment	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX domain_blocks_domain ON domain_blocks (domain);

CREATE TABLE instance_rules (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	text		text NOT NULL,
	hint		text NOT NULL DEFAULT '',
	priority	integer NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- The durable job queue. Workers claim rows with SELECT ... FOR UPDATE
-- SKIP LOCKED and hold a lease (locked_until); a job whose worker died is
-- claimed again when the lease runs out. Inserts notify 'meent_jobs' so
-- idle workers wake at once instead of polling.
CREATE TABLE jobs (
	id		bigint PRIMARY KEY DEFAULT meent_id(),
	queue		text NOT NULL DEFAULT 'default',
	kind		text NOT NULL,
	payload		jsonb NOT NULL DEFAULT '{}',
	state		text NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'running', 'done', 'failed', 'dead')),
	priority	smallint NOT NULL DEFAULT 0,
	attempts	integer NOT NULL DEFAULT 0,
	max_attempts	integer NOT NULL DEFAULT 20,
	run_at		timestamptz NOT NULL DEFAULT now(),
	locked_by	text,
	locked_until	timestamptz,
	last_error	text,
	dedup_key	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready ON jobs (queue, priority DESC, run_at)
	WHERE state IN ('queued', 'running');
CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key)
	WHERE dedup_key IS NOT NULL AND state IN ('queued', 'running');

CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('meent_jobs', NEW.queue);
	RETURN NULL;
END $$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
	FOR EACH ROW EXECUTE FUNCTION jobs_notify();

-- Counter maintenance. Triggers keep account_stats right whichever code
-- path (API, inbox, meentctl) changes the rows.
CREATE FUNCTION account_stats_bump(acct bigint, col text, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	-- The account may be going away in the same statement (a cascade).
	INSERT INTO account_stats (account_id)
	SELECT acct WHERE EXISTS (SELECT 1 FROM accounts WHERE id = acct)
	ON CONFLICT DO NOTHING;
	EXECUTE format('UPDATE account_stats SET %I = greatest(%I + $1, 0) WHERE account_id = $2',
	    col, col) USING delta, acct;
END $$;

CREATE FUNCTION follows_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM account_stats_bump(NEW.account_id, 'following_count', 1);
		PERFORM account_stats_bump(NEW.target_account_id, 'followers_count', 1);
	ELSE
		PERFORM account_stats_bump(OLD.account_id, 'following_count', -1);
		PERFORM account_stats_bump(OLD.target_account_id, 'followers_count', -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER follows_count AFTER INSERT OR DELETE ON follows
	FOR EACH ROW EXECUTE FUNCTION follows_count();

CREATE FUNCTION statuses_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' AND NEW.deleted_at IS NULL THEN
		PERFORM account_stats_bump(NEW.account_id, 'statuses_count', 1);
		UPDATE account_stats SET last_status_at = NEW.created_at
		 WHERE account_id = NEW.account_id;
	ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
		PERFORM account_stats_bump(NEW.account_id, 'statuses_count', -1);
	ELSIF TG_OP = 'DELETE' AND OLD.deleted_at IS NULL THEN
		PERFORM account_stats_bump(OLD.account_id, 'statuses_count', -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER statuses_count AFTER INSERT OR UPDATE OF deleted_at OR DELETE ON statuses
	FOR EACH ROW EXECUTE FUNCTION statuses_count();
