-- Version 4 (#12): API tokens get a public id (to list and revoke them by), a label, a scope that narrows
-- their user's and an expiry; users keep the last TOTP step they logged in with, so a code works once
-- even after a restart. Tokens from before keep working as they did: unnamed, the user's whole scope,
-- never expiring.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'all';
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
UPDATE api_tokens SET id = substr(digest, 1, 16);
CREATE UNIQUE INDEX api_tokens_id ON api_tokens(id);
ALTER TABLE users ADD COLUMN totp_step INTEGER;
