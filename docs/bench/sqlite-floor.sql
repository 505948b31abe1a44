-- What SQLite alone needs to store 5,000,000 aggregate records the way DMARC Lens stores them: one
-- aggregate_record row each (with its two indexes) and one rollup_daily upsert each, as in
-- `dmarc-lens bench import` (3,000 addresses, 40 domains, 6 reporters, 90 days). No Java, no JNI, no
-- parsing, no Lucene, one transaction per statement: a floor, not an estimate.
--   rm -f /tmp/floor.db*; sqlite3 /tmp/floor.db < docs/bench/sqlite-floor.sql
-- docs/performance.md has the figures of this machine.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;

CREATE TABLE aggregate_record (
  id INTEGER PRIMARY KEY, report_ref INTEGER NOT NULL, idx INTEGER NOT NULL, source_ip TEXT NOT NULL,
  count INTEGER NOT NULL, disposition TEXT NOT NULL, dkim TEXT NOT NULL, spf TEXT NOT NULL,
  header_from TEXT NOT NULL, envelope_from TEXT, envelope_to TEXT, reasons TEXT, dkim_results TEXT,
  spf_results TEXT, dkim_aligned INTEGER NOT NULL, spf_aligned INTEGER NOT NULL, dmarc_pass INTEGER NOT NULL,
  verdict_disagrees INTEGER NOT NULL, classification TEXT NOT NULL, classification_reason TEXT);
CREATE INDEX aggregate_record_report ON aggregate_record (report_ref);
CREATE INDEX aggregate_record_ip ON aggregate_record (source_ip);

CREATE TABLE rollup_daily (
  day INTEGER NOT NULL, policy_domain TEXT NOT NULL, header_from TEXT NOT NULL, source_ip TEXT NOT NULL,
  reporter TEXT NOT NULL, disposition TEXT NOT NULL, dkim TEXT NOT NULL, spf TEXT NOT NULL,
  dkim_aligned INTEGER NOT NULL, spf_aligned INTEGER NOT NULL, dmarc_pass INTEGER NOT NULL,
  classification TEXT NOT NULL, reasons TEXT NOT NULL, messages INTEGER NOT NULL,
  PRIMARY KEY (day, policy_domain, reporter, source_ip, header_from, disposition, dkim, spf,
               dkim_aligned, spf_aligned, dmarc_pass, classification, reasons)) WITHOUT ROWID;

.timer on
-- Record i belongs to report r = i / 500; each report has its own day, domain and reporter (r mod 90,
-- r / 90 mod 40, r / 3600), so its 500 records are 500 new rollup rows, a little more than the
-- benchmark's 3.2 million rows (its reports repeat some addresses).
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999999)
INSERT INTO aggregate_record
SELECT i + 1, i / 500, i % 500, '198.51.' || ((i * 7919) % 3000 / 256) || '.' || ((i * 7919) % 3000 % 256),
       1 + i % 7, 'none', 'pass', 'pass', 'brand' || (i / 500 % 40) || '.example.com', NULL, NULL, '[]',
       '[["brand' || (i / 500 % 40) || '.example.com","s1","pass","pass",null]]',
       '[["brand' || (i / 500 % 40) || '.example.com",null,"pass","pass",null]]', 1, 1, 1, 0, 'compliant',
       'DMARC pass: DKIM aligned pass (d=brand' || (i / 500 % 40) || '.example.com)'
FROM n;

WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999999)
INSERT INTO rollup_daily
SELECT 20600 + (i / 500) % 90, 'brand' || (i / 500 / 90 % 40) || '.example.com', 'brand' || (i / 500 / 90 % 40) || '.example.com',
       '198.51.' || ((i * 7919) % 3000 / 256) || '.' || ((i * 7919) % 3000 % 256), 'reporter' || (i / 500 / 3600 % 6),
       'none', 'pass', 'pass', 1, 1, 1, 'compliant', '', 1 + i % 7
FROM n WHERE true
ON CONFLICT DO UPDATE SET messages = messages + excluded.messages;

.timer off
SELECT 'aggregate_record rows', COUNT(*) FROM aggregate_record;
SELECT 'rollup_daily rows', COUNT(*) FROM rollup_daily;
