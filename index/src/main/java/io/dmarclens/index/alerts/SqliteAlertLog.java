package io.dmarclens.index.alerts;

import io.dmarclens.index.sqlite.Transactions;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertFinding;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.alerts.Notice;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The alert log in {@code alerts.db}: tables {@code alert} and {@code rule_state}; notices go to the outbox's table. */
final class SqliteAlertLog implements AlertLog {
    private static final String COLUMNS = "id, rule, domain, state, since, opened_at, updated_at, resolved_at, summary,"
            + " amount, evidence, evaluations, acknowledged_by, acknowledged_at, comment";

    private final Connection db;
    private final Path file;
    private final SqliteOutbox outbox;

    SqliteAlertLog(Connection db, Path file, SqliteOutbox outbox) {
        this.db = db;
        this.file = file;
        this.outbox = outbox;
    }

    @Override
    public Optional<Alert> unresolved(String rule, String domain) {
        return first("SELECT " + COLUMNS + " FROM alert WHERE rule = ? AND domain = ? AND state <> 'RESOLVED'",
                rule, domain);
    }

    @Override
    public Optional<Alert> latest(String rule, String domain) {
        return first("SELECT " + COLUMNS + " FROM alert WHERE rule = ? AND domain = ? ORDER BY id DESC LIMIT 1",
                rule, domain);
    }

    @Override
    public Alert raise(AlertFinding f, java.util.function.LongFunction<Notice> notice, Instant at) {
        synchronized (db) {
            long id = inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO alert (rule, domain, state, since, opened_at,"
                        + " updated_at, summary, amount, evidence, evaluations) VALUES (?,?,?,?,?,?,?,?,?,1)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, f.rule());
                    ps.setString(2, f.domain());
                    ps.setString(3, AlertState.OPEN.name());
                    ps.setLong(4, f.since().toEpochMilli());
                    ps.setLong(5, at.toEpochMilli());
                    ps.setLong(6, at.toEpochMilli());
                    ps.setString(7, f.summary());
                    ps.setLong(8, f.amount());
                    ps.setString(9, f.evidence());
                    try {
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                            throw new IllegalStateException("rule " + f.rule() + " already has an unresolved alert for "
                                    + f.domain(), e);
                        }
                        throw e;
                    }
                    long newId;
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        newId = keys.getLong(1);
                    }
                    outbox.insert(notice.apply(newId).withAlertId(newId));
                    return newId;
                }
            });
            return alert(id).orElseThrow();
        }
    }

    @Override
    public Alert update(long id, AlertFinding f, Instant at) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("UPDATE alert SET updated_at = ?, summary = ?, amount = ?,"
                    + " evidence = ?, since = min(since, ?), evaluations = evaluations + 1"
                    + " WHERE id = ? AND state <> 'RESOLVED'")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, f.summary());
                ps.setLong(3, f.amount());
                ps.setString(4, f.evidence());
                ps.setLong(5, f.since().toEpochMilli());
                ps.setLong(6, id);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("alert " + id + " is not unresolved");
                }
            } catch (SQLException e) {
                throw failure("write", e);
            }
            return alert(id).orElseThrow();
        }
    }

    @Override
    public Optional<Alert> resolve(long id, Notice notice, Instant at) {
        synchronized (db) {
            boolean changed = inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement("UPDATE alert SET state = 'RESOLVED', resolved_at = ?"
                        + " WHERE id = ? AND state <> 'RESOLVED'")) {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setLong(2, id);
                    if (ps.executeUpdate() == 0) {
                        return false;
                    }
                }
                outbox.insert(notice.withAlertId(id));
                return true;
            });
            return changed ? alert(id) : Optional.empty();
        }
    }

    @Override
    public Optional<Alert> acknowledge(long id, String user, String comment, Instant at) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("UPDATE alert SET state = 'ACKNOWLEDGED', acknowledged_by = ?,"
                    + " acknowledged_at = ?, comment = ? WHERE id = ? AND state <> 'RESOLVED'")) {
                ps.setString(1, user);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, comment);
                ps.setLong(4, id);
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            } catch (SQLException e) {
                throw failure("write", e);
            }
            return alert(id);
        }
    }

    @Override
    public Optional<Alert> alert(long id) {
        return first("SELECT " + COLUMNS + " FROM alert WHERE id = ?", id);
    }

    @Override
    public List<Alert> alerts(AlertQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!q.states().isEmpty()) {
            sql.append(" AND state IN (").append(String.join(",", java.util.Collections.nCopies(q.states().size(), "?")))
                    .append(')');
            q.states().stream().map(Enum::name).sorted().forEach(args::add);
        }
        if (q.domain() != null) {
            sql.append(" AND domain = ?");
            args.add(q.domain());
        }
        if (q.rule() != null) {
            sql.append(" AND rule = ?");
            args.add(q.rule());
        }
        sql.append(" ORDER BY state = 'RESOLVED', id DESC LIMIT ? OFFSET ?");
        args.add(q.limit());
        args.add(q.offset());
        return select(sql.toString(), args.toArray());
    }

    @Override
    public Map<AlertState, Long> countByState() {
        Map<AlertState, Long> counts = new EnumMap<>(AlertState.class);
        for (AlertState s : AlertState.values()) {
            counts.put(s, 0L);
        }
        synchronized (db) {
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT state, count(*) FROM alert GROUP BY state")) {
                while (rs.next()) {
                    counts.put(AlertState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
        return counts;
    }

    @Override
    public Optional<String> ruleState(String key) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("SELECT value FROM rule_state WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    @Override
    public void saveRuleState(String key, String value, Instant at) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO rule_state (key, value, updated_at) VALUES (?,?,?)"
                    + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.setLong(3, at.toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (db) {
            try {
                db.close();
            } catch (SQLException e) {
                throw failure("close", e);
            }
        }
    }

    private Optional<Alert> first(String sql, Object... args) {
        List<Alert> rows = select(sql, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<Alert> select(String sql, Object... args) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<Alert> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    private static Alert read(ResultSet rs) throws SQLException {
        return new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), AlertState.valueOf(rs.getString(4)),
                SqliteOutbox.instant(rs, 5), SqliteOutbox.instant(rs, 6), SqliteOutbox.instant(rs, 7),
                SqliteOutbox.instant(rs, 8), rs.getString(9), rs.getLong(10), rs.getString(11), rs.getLong(12),
                rs.getString(13), SqliteOutbox.instant(rs, 14), rs.getString(15));
    }

    /** Runs {@code work} in one transaction (the caller holds the connection). */
    private <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return Transactions.run(db, work);
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("cannot " + what + " the alerts in " + file + ": " + e.getMessage()
                + " (check the disk and the file's permissions)", e);
    }
}
