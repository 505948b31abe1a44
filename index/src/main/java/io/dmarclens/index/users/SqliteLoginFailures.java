package io.dmarclens.index.users;

import io.dmarclens.store.users.LoginFailures;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Failed-login counters in {@code web.db} ({@code login_failures}: one row per failure and counter;
 * {@code login_known}: the pairs that logged in), on the connection the accounts give them.
 */
final class SqliteLoginFailures implements LoginFailures {
    private final WebDb web;

    SqliteLoginFailures(WebDb web) {
        this.web = web;
    }

    @Override
    public Map<String, List<Instant>> failures(Collection<String> keys, Instant since) {
        Map<String, List<Instant>> out = new LinkedHashMap<>();
        web.read(db -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT at FROM login_failures WHERE counter=? AND at>? ORDER BY at")) {
                for (String key : new LinkedHashSet<>(keys)) {
                    ps.setString(1, key);
                    ps.setLong(2, since.toEpochMilli());
                    List<Instant> times = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            times.add(Instant.ofEpochMilli(rs.getLong(1)));
                        }
                    }
                    if (!times.isEmpty()) {
                        out.put(key, List.copyOf(times));
                    }
                }
            }
            return null;
        });
        return out;
    }

    @Override
    public void add(Collection<String> keys, Instant at, int depth, Instant since) {
        web.inTransaction(db -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO login_failures(counter, at) VALUES(?,?)");
                 PreparedStatement trim = db.prepareStatement("DELETE FROM login_failures WHERE counter=? AND (at<=?"
                         + " OR rowid NOT IN (SELECT rowid FROM login_failures WHERE counter=?"
                         + " ORDER BY at DESC, rowid DESC LIMIT ?))")) {
                for (String key : new LinkedHashSet<>(keys)) {
                    insert.setString(1, key);
                    insert.setLong(2, at.toEpochMilli());
                    insert.executeUpdate();
                    trim.setString(1, key);
                    trim.setLong(2, since.toEpochMilli());
                    trim.setString(3, key);
                    trim.setInt(4, Math.max(1, depth));
                    trim.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void takeBack(Collection<String> keys, Instant at) {
        web.write(db -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM login_failures WHERE rowid IN (SELECT rowid"
                    + " FROM login_failures WHERE counter=? AND at=? LIMIT 1)")) {
                for (String key : new LinkedHashSet<>(keys)) {
                    ps.setString(1, key);
                    ps.setLong(2, at.toEpochMilli());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void clear(String key) {
        web.write(db -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM login_failures WHERE counter=?")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void loggedIn(String key, Instant at) {
        web.write(db -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO login_known(pair, at) VALUES(?,?)"
                    + " ON CONFLICT(pair) DO UPDATE SET at=max(at, excluded.at)")) {
                ps.setString(1, key);
                ps.setLong(2, at.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Instant> lastLogin(String key) {
        return web.read(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT at FROM login_known WHERE pair=?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public int purge(Instant failuresBefore, Instant loginsBefore) {
        return web.write(db -> {
            try (PreparedStatement counters = db.prepareStatement("SELECT COUNT(*) FROM (SELECT counter FROM"
                    + " login_failures GROUP BY counter HAVING max(at)<=?)");
                 PreparedStatement failures = db.prepareStatement("DELETE FROM login_failures WHERE at<=?");
                 PreparedStatement known = db.prepareStatement("DELETE FROM login_known WHERE at<=?")) {
                counters.setLong(1, failuresBefore.toEpochMilli());
                int gone;
                try (ResultSet rs = counters.executeQuery()) {
                    gone = rs.next() ? rs.getInt(1) : 0;
                }
                failures.setLong(1, failuresBefore.toEpochMilli());
                failures.executeUpdate();
                known.setLong(1, loginsBefore.toEpochMilli());
                return gone + known.executeUpdate();
            }
        });
    }
}
