package io.dmarclens.index.users;

import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.StoredSession;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions in {@code web.db}'s {@code sessions} table, on the connection the accounts give them: every process
 * that opens the same data directory sees them (WAL lets several processes read and write the file).
 */
final class SqliteSessions implements SessionStore {
    private final WebDb web;

    SqliteSessions(WebDb web) {
        this.web = web;
    }

    @Override
    public void create(StoredSession s, int maxPerUser) {
        web.inTransaction(db -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO sessions(digest, user_name, csrf_token,"
                    + " credential, created_at, expires, ends_at, enrol_only) VALUES(?,?,?,?,?,?,?,?)")) {
                ps.setString(1, s.digest());
                ps.setString(2, s.user());
                ps.setString(3, s.csrfToken());
                ps.setString(4, s.credential());
                ps.setLong(5, s.createdAt().toEpochMilli());
                ps.setLong(6, s.expires().toEpochMilli());
                ps.setLong(7, s.endsAt().toEpochMilli());
                ps.setInt(8, s.enrolOnly() ? 1 : 0);
                ps.executeUpdate();
            }
            // The user's sessions beyond the bound, oldest login first, end with the new one counted.
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM sessions WHERE digest IN (SELECT digest"
                    + " FROM sessions WHERE user_name=? ORDER BY created_at DESC, digest DESC LIMIT -1 OFFSET ?)")) {
                ps.setString(1, s.user());
                ps.setInt(2, Math.max(1, maxPerUser));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<StoredSession> find(String digest, Instant now) {
        return web.read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT user_name, csrf_token, credential, created_at,"
                    + " expires, ends_at, enrol_only FROM sessions WHERE digest=?")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    StoredSession s = new StoredSession(digest, rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7) != 0);
                    return s.liveAt(now) ? Optional.of(s) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void renew(String digest, Instant expires) {
        update("UPDATE sessions SET expires=? WHERE digest=?", expires.toEpochMilli(), digest);
    }

    @Override
    public void completeEnrolment(String digest) {
        update("UPDATE sessions SET enrol_only=0 WHERE digest=?", null, digest);
    }

    @Override
    public boolean end(String digest) {
        return update("DELETE FROM sessions WHERE digest=?", null, digest) > 0;
    }

    @Override
    public int endAll(String user) {
        return update("DELETE FROM sessions WHERE user_name=?", null, user);
    }

    @Override
    public int purge(Instant now) {
        return web.write(db -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM sessions WHERE expires<? OR ends_at<=?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Runs one statement with an optional leading number and a text last. */
    private int update(String sql, Long number, String text) {
        return web.write(db -> {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                int i = 1;
                if (number != null) {
                    ps.setLong(i++, number);
                }
                ps.setString(i, text);
                return ps.executeUpdate();
            }
        });
    }
}
