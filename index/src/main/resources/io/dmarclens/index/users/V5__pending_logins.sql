-- Version 5 (#10, several nodes): the pending second step of a two-factor login moves from each process's
-- memory into the accounts, so that the code may reach another process than the password did. Kept by the
-- digest of the id in the browser's cookie. Times are epoch milliseconds.
CREATE TABLE pending_logins (digest TEXT PRIMARY KEY, user_name TEXT NOT NULL, credential TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires INTEGER NOT NULL, next TEXT NOT NULL);
CREATE INDEX pending_logins_user ON pending_logins(user_name, created_at);
CREATE INDEX pending_logins_expires ON pending_logins(expires);
