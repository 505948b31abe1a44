-- Version 4: partial reports (issue #12). A report whose input stopped before the report's end (a cut-off
-- transfer, a damaged gzip or zip, XML ending inside a record) is stored with what could be read and the
-- reason in `partial` (NULL: read to its end). A later copy of the same report that reads further replaces
-- it. The copies it replaced are listed in superseded_copy, so their raw sources stay downloadable.
-- Existing rows were all stored as whole reports and keep partial NULL.
ALTER TABLE aggregate_report ADD COLUMN partial TEXT;
ALTER TABLE tls_report ADD COLUMN partial TEXT;
CREATE TABLE superseded_copy (
  id            INTEGER PRIMARY KEY,
  kind          TEXT    NOT NULL,          -- 'aggregate' or 'tls'
  report_ref    INTEGER NOT NULL,          -- the stored report that replaced it (aggregate_report or tls_report id)
  source_id     INTEGER NOT NULL REFERENCES source_file(id),
  source_part   TEXT    NOT NULL,
  content_key   TEXT    NOT NULL,
  record_count  INTEGER NOT NULL,          -- aggregate records (TLS: policies) that copy gave
  partial       TEXT,                      -- why that copy could not be read to its end
  imported_at   INTEGER NOT NULL,
  superseded_at INTEGER NOT NULL
);
CREATE INDEX superseded_copy_report ON superseded_copy (kind, report_ref);
CREATE INDEX superseded_copy_source ON superseded_copy (source_id);
