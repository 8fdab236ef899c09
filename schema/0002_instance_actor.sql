-- The instance actor: an Application at https://<domain>/actor whose key
-- signs fetches made on behalf of the server (as Mastodon's does). It is a
-- local account that belongs to no organisation, so the rule that every
-- local account has an organisation now excludes it.
ALTER TABLE accounts DROP CONSTRAINT accounts_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_local_complete CHECK (
	domain IS NOT NULL OR (
		private_key_pem IS NOT NULL AND
		(organisation_id IS NOT NULL OR actor_type = 'Application')));

-- At most one instance actor.
CREATE UNIQUE INDEX accounts_instance_actor ON accounts (actor_type)
	WHERE domain IS NULL AND actor_type = 'Application';
