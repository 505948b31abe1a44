-- Version 2: how many reports of each message were stored as partial (issue #12: their input stopped
-- before their end). Messages logged before keep 0.
ALTER TABLE ingest_log ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
