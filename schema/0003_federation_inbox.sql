-- Federation I: finding the key behind an HTTP signature, and accepting
-- each incoming activity once.

-- Incoming signatures name their key by keyId ("<actor>#main-key").
CREATE INDEX accounts_key_id ON accounts (key_id) WHERE key_id <> '';

-- Activity ids already accepted by the inbox, so a replayed or re-delivered
-- activity is acknowledged without being processed twice. Rows older than
-- the signature window can be purged: a replay older than that fails the
-- signature's time check anyway.
CREATE TABLE inbox_activities (
	activity_id	text PRIMARY KEY,
	account_id	bigint REFERENCES accounts (id) ON DELETE CASCADE,	-- the signer
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_activities_received ON inbox_activities (received_at);
