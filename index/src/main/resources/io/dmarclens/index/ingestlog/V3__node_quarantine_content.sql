-- Version 3 (#10, several nodes): the node that received each message (entries from before keep ''), and the
-- bytes of quarantined messages kept with the log, as a shared log keeps them for every node's dashboard.
ALTER TABLE ingest_log ADD COLUMN node TEXT NOT NULL DEFAULT '';
CREATE TABLE quarantine_content (id TEXT PRIMARY KEY, content BLOB NOT NULL);
