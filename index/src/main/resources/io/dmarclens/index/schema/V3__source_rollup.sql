-- Version 3: a compact per-source rollup for the source lists, sized by days x sources instead of by records.
-- span 1 rows hold one UTC day; span 7 rows hold the seven days from a day that is a multiple of 7 (epoch
-- days), so a 90-day range reads about 13 weekly rows and at most 12 daily rows per source. Every measure is
-- a message count (already multiplied out). Backfilled here from rollup_daily, so existing stores upgrade.
CREATE TABLE rollup_source (
  span                   INTEGER NOT NULL,   -- 1 (one day) or 7 (seven days from day)
  day                    INTEGER NOT NULL,   -- epoch day (UTC) the bucket starts on
  source_ip              TEXT    NOT NULL,
  messages               INTEGER NOT NULL,
  dmarc_pass             INTEGER NOT NULL,
  spf_aligned            INTEGER NOT NULL,
  dkim_aligned           INTEGER NOT NULL,
  unclassified           INTEGER NOT NULL,   -- messages per classification
  compliant              INTEGER NOT NULL,
  forwarded              INTEGER NOT NULL,
  misconfigured          INTEGER NOT NULL,
  threat                 INTEGER NOT NULL,
  forwarded_dkim_aligned INTEGER NOT NULL,   -- forwarded messages whose DKIM survived aligned
  PRIMARY KEY (span, day, source_ip)
) WITHOUT ROWID;

INSERT INTO rollup_source
SELECT 1, day, source_ip, SUM(messages), SUM(dmarc_pass * messages), SUM(spf_aligned * messages),
       SUM(dkim_aligned * messages),
       SUM(CASE WHEN classification = '' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'compliant' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'forwarded' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'misconfigured' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'threat' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'forwarded' THEN dkim_aligned * messages ELSE 0 END)
FROM rollup_daily GROUP BY day, source_ip;

INSERT INTO rollup_source
SELECT 7, day - ((day % 7) + 7) % 7 AS week, source_ip, SUM(messages), SUM(dmarc_pass), SUM(spf_aligned),
       SUM(dkim_aligned), SUM(unclassified), SUM(compliant), SUM(forwarded), SUM(misconfigured), SUM(threat),
       SUM(forwarded_dkim_aligned)
FROM rollup_source WHERE span = 1 GROUP BY week, source_ip;

-- The override reasons seen on forwarded mail, per day and source: read only for the sources of one page.
CREATE TABLE rollup_forwarding_reasons (
  source_ip TEXT    NOT NULL,
  day       INTEGER NOT NULL,
  reasons   TEXT    NOT NULL,                -- as in rollup_daily.reasons
  messages  INTEGER NOT NULL,
  PRIMARY KEY (source_ip, day, reasons)
) WITHOUT ROWID;

INSERT INTO rollup_forwarding_reasons
SELECT source_ip, day, reasons, SUM(messages) FROM rollup_daily WHERE classification = 'forwarded'
GROUP BY source_ip, day, reasons;

-- The source queries no longer group rollup_daily by source (unless filtered by reporter or domain, where the
-- day range leads), so its wide covering index only made every import dearer.
DROP INDEX rollup_daily_source;
