-- Version 2 (#12): roles, scope and two-factor on users, and the append-only audit log.
-- Users from before roles existed were the only kind there was, with every right: they become admins of
-- all domains (the column defaults), which also applies to users added without a role.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE users ADD COLUMN scope TEXT NOT NULL DEFAULT 'all';
ALTER TABLE users ADD COLUMN totp_secret TEXT;
CREATE TABLE recovery_codes (user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  code_hash TEXT NOT NULL, PRIMARY KEY (user_name, code_hash));
CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user_name TEXT NOT NULL,
  action TEXT NOT NULL, subject TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX audit_log_at ON audit_log(at);
-- Append-only in the file itself, whoever writes to it through SQL: no entry is changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
