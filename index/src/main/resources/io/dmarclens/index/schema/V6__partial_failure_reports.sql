-- Version 5: failure reports read from a cut-off container (a gzip or zip that stops early) are stored
-- like partial aggregate and TLS reports (version 4): with the reason in `partial` (NULL: read to its end),
-- since the mail may have lost its later fields or original headers. Existing rows keep partial NULL.
ALTER TABLE failure_report ADD COLUMN partial TEXT;
