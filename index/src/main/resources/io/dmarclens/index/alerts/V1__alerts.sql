-- alerts.db version 1: the alert rules' durable state and the outbox of notices to deliver.
-- Times are epoch milliseconds.
CREATE TABLE alert (
    id              INTEGER PRIMARY KEY,
    rule            TEXT    NOT NULL,
    domain          TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    since           INTEGER NOT NULL,
    opened_at       INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    resolved_at     INTEGER,
    summary         TEXT    NOT NULL,
    amount          INTEGER NOT NULL,
    evidence        TEXT    NOT NULL,
    evaluations     INTEGER NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at INTEGER,
    comment         TEXT
);
-- At most one unresolved alert per rule and domain: grouping holds even if two evaluations race.
CREATE UNIQUE INDEX alert_unresolved ON alert (rule, domain) WHERE state <> 'RESOLVED';
CREATE INDEX alert_rule_domain ON alert (rule, domain, id);
CREATE TABLE notice (
    id           INTEGER PRIMARY KEY,
    alert_id     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    domain       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    html         TEXT    NOT NULL,
    json         TEXT    NOT NULL,
    links        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER,
    delivered_at INTEGER,
    last_error   TEXT
);
CREATE INDEX notice_due ON notice (next_attempt) WHERE delivered_at IS NULL;
CREATE TABLE rule_state (
    key        TEXT PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
