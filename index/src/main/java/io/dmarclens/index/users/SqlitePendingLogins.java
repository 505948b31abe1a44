package io.dmarclens.index.users;

import io.dmarclens.store.users.PendingLogin;
import io.dmarclens.store.users.PendingLogins;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Pending second steps of two-factor logins in {@code web.db}'s {@code pending_logins} table, on the connection
 * of the sessions: every process that opens the same data directory sees them; a step is taken by a
 * delete, which one connection wins.
 */
final class SqlitePendingLogins implements PendingLogins {
    private final WebDb web;

    SqlitePendingLogins(WebDb web) {
        this.web = web;
    }

    @Override
    public boolean begin(PendingLogin p, int maxPerUser, int maxTotal) {
        return web.inTransaction(db -> {
            // Lapsed steps go at every write, not only when the bound is reached: the table holds what is live.
            delete(db, "DELETE FROM pending_logins WHERE expires < ?", p.createdAt().toEpochMilli());
            if (count(db) >= maxTotal) {
                return false;
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO pending_logins(digest, user_name,"
                    + " credential, created_at, expires, next) VALUES(?,?,?,?,?,?)")) {
                ps.setString(1, p.digest());
                ps.setString(2, p.user());
                ps.setString(3, p.credential());
                ps.setLong(4, p.createdAt().toEpochMilli());
                ps.setLong(5, p.expires().toEpochMilli());
                ps.setString(6, p.next());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM pending_logins WHERE digest IN (SELECT"
                    + " digest FROM pending_logins WHERE user_name=? ORDER BY created_at DESC, digest DESC"
                    + " LIMIT -1 OFFSET ?)")) {
                ps.setString(1, p.user());
                ps.setInt(2, Math.max(1, maxPerUser));
                ps.executeUpdate();
            }
            return true;
        });
    }

    private static long count(Connection db) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM pending_logins");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static int delete(Connection db, String sql, long at) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, at);
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<PendingLogin> find(String digest, Instant now) {
        return web.read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT user_name, credential, created_at, expires, next"
                    + " FROM pending_logins WHERE digest=?")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    PendingLogin p = new PendingLogin(digest, rs.getString(1), rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5));
                    return p.liveAt(now) ? Optional.of(p) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<PendingLogin> take(String digest, Instant now) {
        // Under the one lock, so that this process finds and deletes without another thread between.
        return web.write(db -> {
            Optional<PendingLogin> p = find(digest, now);
            if (p.isEmpty()) {
                return p;
            }
            // The delete decides: of two processes that both found the step, one deletes it.
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM pending_logins WHERE digest=?")) {
                ps.setString(1, digest);
                return ps.executeUpdate() == 1 ? p : Optional.empty();
            }
        });
    }

    @Override
    public int purge(Instant now) {
        return web.write(db -> delete(db, "DELETE FROM pending_logins WHERE expires < ?", now.toEpochMilli()));
    }
}
