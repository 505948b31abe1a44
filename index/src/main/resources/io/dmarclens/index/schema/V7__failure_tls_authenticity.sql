-- Version 7: failure (ruf) and SMTP TLS reports get the verdict on their origin that aggregate reports got in
-- version 5 (the DKIM signature of the report mail, aligned with the reporting domain; see docs/security.md),
-- and the forwarding list's override reasons get the "unverified" key column of rollup_daily, so that
-- ReportFilter.excludeUnverified leaves a forged report's reasons out there too.
-- authenticity: verified, unverified, imported (by hand), not_checked (offline, or stored before version 7).
ALTER TABLE failure_report ADD COLUMN authenticity TEXT NOT NULL DEFAULT 'not_checked';
ALTER TABLE failure_report ADD COLUMN authenticity_reason TEXT NOT NULL DEFAULT 'stored before failure reports were checked';
ALTER TABLE tls_report ADD COLUMN authenticity TEXT NOT NULL DEFAULT 'not_checked';
ALTER TABLE tls_report ADD COLUMN authenticity_reason TEXT NOT NULL DEFAULT 'stored before TLS reports were checked';

-- The flag is part of the primary key, so the table is rebuilt. Unlike version 5, aggregate reports stored
-- since then may be unverified: the rows are summed again from rollup_daily, which carries the flag and is
-- fed with the same per-day shares (SourceRollups), so the new table holds exactly what the import would
-- have written.
CREATE TABLE rollup_forwarding_reasons_v7 (
  source_ip  TEXT    NOT NULL,
  day        INTEGER NOT NULL,
  reasons    TEXT    NOT NULL,                -- as in rollup_daily.reasons
  unverified INTEGER NOT NULL,                -- 1: from reports whose origin was checked and not verified
  messages   INTEGER NOT NULL,
  PRIMARY KEY (source_ip, day, reasons, unverified)
) WITHOUT ROWID;
INSERT INTO rollup_forwarding_reasons_v7
SELECT source_ip, day, reasons, unverified, SUM(messages) FROM rollup_daily WHERE classification = 'forwarded'
GROUP BY source_ip, day, reasons, unverified HAVING SUM(messages) <> 0;
DROP TABLE rollup_forwarding_reasons;
ALTER TABLE rollup_forwarding_reasons_v7 RENAME TO rollup_forwarding_reasons;
