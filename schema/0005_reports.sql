-- Federation II: reports for the moderators. An incoming Flag (Mastodon's
-- ActivityPub::Activity::Flag) names a local account and some of its
-- statuses; the reporter is the remote signer, usually the reporting
-- server's instance actor. The columns follow Mastodon's reports table so
-- its admin API can be served from them later.
CREATE TABLE reports (
	id			bigint PRIMARY KEY DEFAULT meent_id(),
	account_id		bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,	-- the reporter
	target_account_id	bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	status_ids		bigint[] NOT NULL DEFAULT '{}',	-- of the target's statuses
	comment			text NOT NULL DEFAULT '',
	uri			text,				-- the Flag's id; NULL for local reports
	forwarded		boolean NOT NULL DEFAULT false,
	category		text NOT NULL DEFAULT 'other',
	action_taken_at		timestamptz,
	assigned_account_id	bigint REFERENCES accounts (id) ON DELETE SET NULL,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);
-- A re-delivered Flag is stored once.
CREATE UNIQUE INDEX reports_uri ON reports (uri);	-- NULLs (local reports) never collide
CREATE INDEX reports_target ON reports (target_account_id);
CREATE INDEX reports_unresolved ON reports (id DESC) WHERE action_taken_at IS NULL;
