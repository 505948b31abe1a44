-- Version 5: whether each aggregate report is known to come from the organisation it names (the DKIM
-- signature of its mail, aligned with the reporter's domain), and an "unverified" flag in the rollup keys
-- so that the figures can leave unverified reports out.
-- authenticity: verified, unverified, imported (by hand), not_checked (offline, or stored before version 5).
ALTER TABLE aggregate_report ADD COLUMN authenticity TEXT NOT NULL DEFAULT 'not_checked';
ALTER TABLE aggregate_report ADD COLUMN authenticity_reason TEXT NOT NULL DEFAULT 'stored before reports were checked';
CREATE INDEX aggregate_report_unverified ON aggregate_report (begin_ts) WHERE authenticity = 'unverified';

-- The flag is part of the primary keys, so the tables are rebuilt; every row stored so far counts as checked.
CREATE TABLE rollup_daily_v5 (
  day            INTEGER NOT NULL,
  policy_domain  TEXT    NOT NULL,
  header_from    TEXT    NOT NULL,
  source_ip      TEXT    NOT NULL,
  reporter       TEXT    NOT NULL,
  disposition    TEXT    NOT NULL,
  dkim           TEXT    NOT NULL,
  spf            TEXT    NOT NULL,
  dkim_aligned   INTEGER NOT NULL,
  spf_aligned    INTEGER NOT NULL,
  dmarc_pass     INTEGER NOT NULL,
  classification TEXT    NOT NULL,
  reasons        TEXT    NOT NULL,
  unverified     INTEGER NOT NULL,       -- 1: from reports whose origin was checked and not verified
  messages       INTEGER NOT NULL,
  PRIMARY KEY (day, policy_domain, reporter, source_ip, header_from, disposition, dkim, spf,
               dkim_aligned, spf_aligned, dmarc_pass, classification, reasons, unverified)
) WITHOUT ROWID;
INSERT INTO rollup_daily_v5
SELECT day, policy_domain, header_from, source_ip, reporter, disposition, dkim, spf, dkim_aligned, spf_aligned,
       dmarc_pass, classification, reasons, 0, messages FROM rollup_daily;
DROP TABLE rollup_daily;
ALTER TABLE rollup_daily_v5 RENAME TO rollup_daily;

CREATE TABLE rollup_summary_v5 (
  day            INTEGER NOT NULL,
  policy_domain  TEXT    NOT NULL,
  reporter       TEXT    NOT NULL,
  disposition    TEXT    NOT NULL,
  dkim           TEXT    NOT NULL,
  spf            TEXT    NOT NULL,
  dkim_aligned   INTEGER NOT NULL,
  spf_aligned    INTEGER NOT NULL,
  dmarc_pass     INTEGER NOT NULL,
  classification TEXT    NOT NULL,
  unverified     INTEGER NOT NULL,
  messages       INTEGER NOT NULL,
  PRIMARY KEY (day, policy_domain, reporter, disposition, dkim, spf, dkim_aligned, spf_aligned,
               dmarc_pass, classification, unverified)
) WITHOUT ROWID;
INSERT INTO rollup_summary_v5
SELECT day, policy_domain, reporter, disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass,
       classification, 0, messages FROM rollup_summary;
DROP TABLE rollup_summary;
ALTER TABLE rollup_summary_v5 RENAME TO rollup_summary;
