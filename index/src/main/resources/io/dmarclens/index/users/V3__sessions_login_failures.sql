-- Version 3 (#10, several nodes): login sessions and failed-login counters move from each process's memory
-- into the accounts, so that every process on the same accounts shares them. A session is kept by the
-- digest of its id, never the id. Times are epoch milliseconds.
CREATE TABLE sessions (digest TEXT PRIMARY KEY, user_name TEXT NOT NULL, csrf_token TEXT NOT NULL,
  credential TEXT NOT NULL, created_at INTEGER NOT NULL, expires INTEGER NOT NULL, ends_at INTEGER NOT NULL,
  enrol_only INTEGER NOT NULL);
CREATE INDEX sessions_user ON sessions(user_name, created_at);
CREATE INDEX sessions_ends ON sessions(ends_at);
CREATE TABLE login_failures (counter TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX login_failures_counter ON login_failures(counter, at);
CREATE TABLE login_known (pair TEXT PRIMARY KEY, at INTEGER NOT NULL);
