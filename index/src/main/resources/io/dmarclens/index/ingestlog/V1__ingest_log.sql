-- Version 1: the ingest log as DMARC Lens created it before ingest.db had versions. Every statement is
-- IF NOT EXISTS, so a file created then (tables present, no schema_version) opens unchanged and is
-- recorded as version 1.
CREATE TABLE IF NOT EXISTS ingest_log (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  origin TEXT NOT NULL,
  source_key TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL,
  status TEXT NOT NULL,
  reports INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  kinds TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  finished_at INTEGER);
CREATE INDEX IF NOT EXISTS ingest_log_received ON ingest_log(received_at);
CREATE INDEX IF NOT EXISTS ingest_log_status ON ingest_log(status, received_at);
CREATE INDEX IF NOT EXISTS ingest_log_source ON ingest_log(source_key) WHERE source_key <> '';
