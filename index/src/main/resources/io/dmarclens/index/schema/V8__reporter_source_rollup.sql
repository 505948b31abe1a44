-- Version 8: the compact per-source rollup once more per reporter, for the source lists filtered by reporter.
-- rollup_daily leads with day and policy domain, so a list of one reporter read every row of its days (0.65 per
-- record); this table holds, per reporter, what rollup_source holds (the same spans: one day, or seven days from
-- an epoch day divisible by 7), so that list reads at most 14 rows per source of the reporter however many
-- records there are. Filled from rollup_daily here, as version 3 filled rollup_source, so stores upgrade.
CREATE TABLE rollup_reporter_source (
  reporter      TEXT    NOT NULL,
  span          INTEGER NOT NULL,   -- 1 (one day) or 7 (seven days from day)
  day           INTEGER NOT NULL,   -- epoch day (UTC) the bucket starts on
  source_ip     TEXT    NOT NULL,
  messages      INTEGER NOT NULL,
  dmarc_pass    INTEGER NOT NULL,
  spf_aligned   INTEGER NOT NULL,
  dkim_aligned  INTEGER NOT NULL,
  unclassified  INTEGER NOT NULL,   -- messages per classification
  compliant     INTEGER NOT NULL,
  forwarded     INTEGER NOT NULL,
  misconfigured INTEGER NOT NULL,
  threat        INTEGER NOT NULL,
  PRIMARY KEY (reporter, span, day, source_ip)
) WITHOUT ROWID;

INSERT INTO rollup_reporter_source
SELECT reporter, 1, day, source_ip, SUM(messages), SUM(dmarc_pass * messages), SUM(spf_aligned * messages),
       SUM(dkim_aligned * messages),
       SUM(CASE WHEN classification = '' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'compliant' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'forwarded' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'misconfigured' THEN messages ELSE 0 END),
       SUM(CASE WHEN classification = 'threat' THEN messages ELSE 0 END)
FROM rollup_daily GROUP BY reporter, day, source_ip HAVING SUM(messages) <> 0;

INSERT INTO rollup_reporter_source
SELECT reporter, 7, day - ((day % 7) + 7) % 7 AS week, source_ip, SUM(messages), SUM(dmarc_pass), SUM(spf_aligned),
       SUM(dkim_aligned), SUM(unclassified), SUM(compliant), SUM(forwarded), SUM(misconfigured), SUM(threat)
FROM rollup_reporter_source WHERE span = 1 GROUP BY reporter, week, source_ip;
