package io.dmarclens.index.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The outbox in {@code alerts.db}: table {@code notice}. Every method holds the file's one connection. */
final class SqliteOutbox implements Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, alert_id, kind, rule, domain, subject, text, html, json, links, created_at,"
            + " attempts, next_attempt, delivered_at, last_error";

    private final Connection db;
    private final Path file;

    SqliteOutbox(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    @Override
    public long enqueue(Notice notice) {
        synchronized (db) {
            try {
                return insert(notice);
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    /** Inserts inside the caller's transaction (the alert log's), holding the connection. */
    long insert(Notice n) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO notice (alert_id, kind, rule, domain, subject, text,"
                + " html, json, links, created_at, next_attempt) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, n.alertId());
            ps.setString(2, n.kind().name());
            ps.setString(3, n.rule());
            ps.setString(4, n.domain());
            ps.setString(5, n.subject());
            ps.setString(6, n.text());
            ps.setString(7, n.html());
            ps.setString(8, n.json());
            ps.setString(9, links(n.links()));
            ps.setLong(10, n.createdAt().toEpochMilli());
            ps.setLong(11, n.createdAt().toEpochMilli());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public List<QueuedNotice> due(Instant now, int limit) {
        return select("SELECT " + COLUMNS + " FROM notice WHERE delivered_at IS NULL AND next_attempt <= ?"
                + " ORDER BY next_attempt, id LIMIT ?", now.toEpochMilli(), limit);
    }

    @Override
    public boolean claim(long id, Instant now, Instant until) {
        // One statement: of two connections (two processes on one data directory) exactly one changes the row.
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("UPDATE notice SET next_attempt = ? WHERE id = ?"
                    + " AND delivered_at IS NULL AND next_attempt <= ?")) {
                ps.setLong(1, until.toEpochMilli());
                ps.setLong(2, id);
                ps.setLong(3, now.toEpochMilli());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    @Override
    public void delivered(long id, Instant at) {
        update("UPDATE notice SET delivered_at = ?, next_attempt = NULL WHERE id = ? AND delivered_at IS NULL",
                at.toEpochMilli(), id);
    }

    @Override
    public void deliveredTo(long id, String channel, Instant at) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO notice_channel (notice_id, channel,"
                    + " delivered_at) VALUES (?,?,?)")) {
                ps.setLong(1, id);
                ps.setString(2, channel);
                ps.setLong(3, at.toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    @Override
    public Set<String> channelsDone(long id) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("SELECT channel FROM notice_channel WHERE notice_id = ?")) {
                ps.setLong(1, id);
                Set<String> out = new TreeSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw failure("read", e);
            }
        }
    }

    @Override
    public void failed(long id, Instant at, String error, Instant retryAt) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("UPDATE notice SET attempts = attempts + 1, last_error = ?,"
                    + " next_attempt = ? WHERE id = ? AND delivered_at IS NULL")) {
                ps.setString(1, error == null ? "" : error.length() > 2000 ? error.substring(0, 2000) : error);
                ps.setLong(2, retryAt.toEpochMilli());
                ps.setLong(3, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    @Override
    public List<QueuedNotice> forAlert(long alertId) {
        return select("SELECT " + COLUMNS + " FROM notice WHERE alert_id = ? ORDER BY id LIMIT ?", alertId, 1000);
    }

    @Override
    public List<QueuedNotice> recent(int limit) {
        return select("SELECT " + COLUMNS + " FROM notice ORDER BY id DESC LIMIT ?", limit);
    }

    private void update(String sql, long at, long id) {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setLong(1, at);
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failure("write", e);
            }
        }
    }

    private List<QueuedNotice> select(String sql, Object... args) {
        if ((int) args[args.length - 1] < 1 || (int) args[args.length - 1] > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000");
        }
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                List<QueuedNotice> out = new ArrayList<>();
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

    private static QueuedNotice read(ResultSet rs) throws SQLException {
        Notice notice = new Notice(Notice.Kind.valueOf(rs.getString(3)), rs.getLong(2), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), links(rs.getString(10)),
                Instant.ofEpochMilli(rs.getLong(11)));
        return new QueuedNotice(rs.getLong(1), notice, rs.getInt(12), instant(rs, 13), instant(rs, 14), rs.getString(15));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static String links(List<Notice.DashboardLink> links) {
        try {
            return JSON.writeValueAsString(links.stream().map(l -> List.of(l.label(), l.path())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Notice.DashboardLink> links(String json) {
        try {
            List<List<String>> pairs = JSON.readValue(json, new TypeReference<List<List<String>>>() { });
            return pairs.stream().map(p -> new Notice.DashboardLink(p.get(0), p.get(1))).toList();
        } catch (JsonProcessingException e) {
            throw new StoreException("the alerts file holds a notice with unreadable links: " + e.getMessage(), e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("cannot " + what + " the outbox in " + file + ": " + e.getMessage()
                + " (check the disk and the file's permissions)", e);
    }
}
