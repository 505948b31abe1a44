-- Version 1: reports, records, rollups, senders and the PTR cache.
-- Empty strings stand for "absent" in key columns so that they can be part of primary keys.

CREATE TABLE source_file (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  origin      TEXT    NOT NULL,
  received_at INTEGER NOT NULL,          -- epoch seconds
  size        INTEGER NOT NULL,          -- bytes before compression
  raw_encoding TEXT   NOT NULL,          -- gzip: we compressed it; identity: it came compressed (gzip, zip)
  raw         BLOB                       -- NULL once retention dropped the raw source
);

CREATE TABLE aggregate_report (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES source_file(id),
  source_part    TEXT    NOT NULL,
  content_key    TEXT    NOT NULL UNIQUE,  -- source sha256 + '#' + position of the report in it
  reporter       TEXT    NOT NULL,
  reporter_email TEXT    NOT NULL,
  extra_contact  TEXT,
  report_id      TEXT    NOT NULL,
  policy_domain  TEXT    NOT NULL,
  begin_ts       INTEGER NOT NULL,
  end_ts         INTEGER NOT NULL,
  version        TEXT,
  namespace      TEXT,
  generator      TEXT,
  errors         TEXT,                   -- JSON array of strings
  p TEXT, sp TEXT, np TEXT, adkim TEXT, aspf TEXT, pct INTEGER, fo TEXT, testing TEXT, discovery TEXT,
  record_count   INTEGER NOT NULL DEFAULT 0,
  message_count  INTEGER NOT NULL DEFAULT 0,
  imported_at    INTEGER NOT NULL,
  UNIQUE (reporter, reporter_email, report_id, policy_domain, begin_ts, end_ts)
);
CREATE INDEX aggregate_report_begin ON aggregate_report (begin_ts);
CREATE INDEX aggregate_report_domain ON aggregate_report (policy_domain, begin_ts);
CREATE INDEX aggregate_report_source ON aggregate_report (source_id);

CREATE TABLE aggregate_record (
  id                    INTEGER PRIMARY KEY,
  report_ref            INTEGER NOT NULL REFERENCES aggregate_report(id) ON DELETE CASCADE,
  idx                   INTEGER NOT NULL,
  source_ip             TEXT    NOT NULL,
  count                 INTEGER NOT NULL,
  disposition           TEXT    NOT NULL,
  dkim                  TEXT    NOT NULL,
  spf                   TEXT    NOT NULL,
  header_from           TEXT    NOT NULL,
  envelope_from         TEXT,
  envelope_to           TEXT,
  reasons               TEXT,            -- JSON [{type, raw, comment}]
  dkim_results          TEXT,            -- JSON [{domain, selector, result, raw, human}]
  spf_results           TEXT,            -- JSON [{domain, scope, result, raw, human}]
  dkim_aligned          INTEGER NOT NULL,
  spf_aligned           INTEGER NOT NULL,
  dmarc_pass            INTEGER NOT NULL,
  verdict_disagrees     INTEGER NOT NULL,
  classification        TEXT    NOT NULL,
  classification_reason TEXT
);
CREATE INDEX aggregate_record_report ON aggregate_record (report_ref);
CREATE INDEX aggregate_record_ip ON aggregate_record (source_ip);

-- Fine rollup: one row per day and every dimension the dashboard filters or groups by.
CREATE TABLE rollup_daily (
  day            INTEGER NOT NULL,       -- epoch day (UTC)
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
  reasons        TEXT    NOT NULL,       -- override reason types, comma-separated, sorted
  messages       INTEGER NOT NULL,
  PRIMARY KEY (day, policy_domain, reporter, source_ip, header_from, disposition, dkim, spf,
               dkim_aligned, spf_aligned, dmarc_pass, classification, reasons)
) WITHOUT ROWID;
CREATE INDEX rollup_daily_ip ON rollup_daily (source_ip, day);

-- Coarse rollup without source and header_from, for totals and series: a few rows per day.
CREATE TABLE rollup_summary (
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
  messages       INTEGER NOT NULL,
  PRIMARY KEY (day, policy_domain, reporter, disposition, dkim, spf, dkim_aligned, spf_aligned,
               dmarc_pass, classification)
) WITHOUT ROWID;

CREATE TABLE sender (
  ip          TEXT PRIMARY KEY,
  reverse_dns TEXT,
  base_domain TEXT,
  country     TEXT,
  asn         INTEGER,
  as_name     TEXT,
  sender_name TEXT,
  sender_type TEXT,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE ptr_cache (
  ip         TEXT PRIMARY KEY,
  name       TEXT,                       -- NULL caches "no PTR record"
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE failure_report (
  id                  INTEGER PRIMARY KEY,
  source_id           INTEGER NOT NULL REFERENCES source_file(id),
  source_part         TEXT    NOT NULL,
  content_key         TEXT    NOT NULL UNIQUE,
  format              TEXT    NOT NULL,
  feedback_type       TEXT,
  user_agent          TEXT,
  version             TEXT,
  arrival_ts          INTEGER,
  source_ip           TEXT,
  reporting_mta       TEXT,
  original_mail_from  TEXT,
  original_rcpt_to    TEXT,              -- JSON array
  reported_domain     TEXT,              -- JSON array
  auth_failure        TEXT,              -- JSON array
  identity_alignment  TEXT,              -- JSON array
  delivery_result     TEXT,
  dkim_domain         TEXT,
  dkim_selector       TEXT,
  dkim_identity       TEXT,
  spf_dns             TEXT,
  auth_results        TEXT,              -- JSON array
  incidents           INTEGER NOT NULL,
  fields              TEXT,              -- JSON object of lists
  msg_from            TEXT,
  msg_to              TEXT,
  msg_subject         TEXT,
  msg_date            TEXT,
  msg_id              TEXT,
  msg_headers         TEXT,              -- JSON [[name, value]]
  msg_headers_only    INTEGER,
  msg_body_bytes      INTEGER,
  human_readable      TEXT,
  imported_at         INTEGER NOT NULL
);
CREATE INDEX failure_report_arrival ON failure_report (arrival_ts);
CREATE INDEX failure_report_source ON failure_report (source_id);

CREATE TABLE tls_report (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES source_file(id),
  source_part  TEXT    NOT NULL,
  content_key  TEXT    NOT NULL UNIQUE,
  organization TEXT    NOT NULL,
  report_id    TEXT    NOT NULL,
  begin_ts     INTEGER NOT NULL,
  end_ts       INTEGER NOT NULL,
  contact      TEXT,
  imported_at  INTEGER NOT NULL,
  UNIQUE (organization, report_id, begin_ts, end_ts)
);
CREATE INDEX tls_report_begin ON tls_report (begin_ts);
CREATE INDEX tls_report_source ON tls_report (source_id);

CREATE TABLE tls_policy (
  id             INTEGER PRIMARY KEY,
  tls_report_ref INTEGER NOT NULL REFERENCES tls_report(id) ON DELETE CASCADE,
  policy_type    TEXT,
  policy_string  TEXT,                   -- JSON array
  policy_domain  TEXT,
  mx_host        TEXT,                   -- JSON array
  success_count  INTEGER NOT NULL,
  failure_count  INTEGER NOT NULL
);
CREATE INDEX tls_policy_report ON tls_policy (tls_report_ref);

CREATE TABLE tls_failure (
  id                    INTEGER PRIMARY KEY,
  tls_policy_ref        INTEGER NOT NULL REFERENCES tls_policy(id) ON DELETE CASCADE,
  tls_report_ref        INTEGER NOT NULL REFERENCES tls_report(id) ON DELETE CASCADE,
  result_type           TEXT,
  sending_mta_ip        TEXT,
  receiving_mx_hostname TEXT,
  receiving_mx_helo     TEXT,
  receiving_ip          TEXT,
  failed_sessions       INTEGER NOT NULL,
  additional_info       TEXT,
  failure_reason_code   TEXT
);
CREATE INDEX tls_failure_report ON tls_failure (tls_report_ref);

-- Warnings of any report kind: kind is 'aggregate', 'failure' or 'tls'.
CREATE TABLE report_warning (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  report_ref INTEGER NOT NULL,
  location   TEXT,
  message    TEXT    NOT NULL
);
CREATE INDEX report_warning_ref ON report_warning (kind, report_ref);
