-- Version 1: users and API tokens as DMARC Lens created them before web.db had versions. Every statement
-- is IF NOT EXISTS, so a file created then (tables present, no schema_version) opens unchanged and is
-- recorded as version 1.
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS api_tokens (digest TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  created_at INTEGER NOT NULL, last_used_at INTEGER);
