package io.dmarclens.ingest.inbox;

import io.dmarclens.store.Clocks;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The ingest log: one row per message that reached DMARC Lens, kept in its own SQLite file
 * {@code dataDir/ingest.db} (WAL), apart from the report store. The inbox files, not this log, are what
 * makes an accepted message durable; the log is the record users read.
 */
public final class IngestLog implements AutoCloseable {
    private static final String COLUMNS = "id, received_at, channel, origin, name, size, status, reports, records, "
            + "duplicates, kinds, detail, finished_at";

    private final Connection db;
    private final Clock clock;
    // Prepared once: every message passes through these, and preparing costs as much as running them.
    private final PreparedStatement insertAccepted;
    private final PreparedStatement updateFinished;
    private final PreparedStatement selectById;

    private IngestLog(Connection db, Clock clock) throws SQLException {
        this.db = db;
        this.clock = clock;
        this.insertAccepted = db.prepareStatement("INSERT OR IGNORE INTO ingest_log "
                + "(id, received_at, channel, origin, source_key, name, size, status) VALUES (?,?,?,?,?,?,?,?)");
        this.updateFinished = db.prepareStatement("UPDATE ingest_log SET status=?, reports=?, records=?, "
                + "duplicates=?, kinds=?, detail=?, finished_at=? WHERE id=? AND NOT (status='STORED' AND ?='DUPLICATE')");
        this.selectById = db.prepareStatement("SELECT " + COLUMNS + " FROM ingest_log WHERE id=?");
    }

    /** Opens (creating when needed) {@code dataDir/ingest.db}. */
    public static IngestLog open(Path dataDir, Clock clock) throws IOException {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("ingest.db"));
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS ingest_log (
                          id TEXT PRIMARY KEY,
                          received_at INTEGER NOT NULL,
                          channel TEXT NOT NULL,
                          origin TEXT NOT NULL,
                          source_key TEXT NOT NULL DEFAULT '',
                          name TEXT NOT NULL DEFAULT '',
                          size INTEGER NOT NULL,
                          status TEXT NOT NULL,
                          reports INTEGER NOT NULL DEFAULT 0,
                          records INTEGER NOT NULL DEFAULT 0,
                          duplicates INTEGER NOT NULL DEFAULT 0,
                          kinds TEXT NOT NULL DEFAULT '',
                          detail TEXT NOT NULL DEFAULT '',
                          finished_at INTEGER)""");
                s.execute("CREATE INDEX IF NOT EXISTS ingest_log_received ON ingest_log(received_at)");
                s.execute("CREATE INDEX IF NOT EXISTS ingest_log_status ON ingest_log(status, received_at)");
                s.execute("CREATE INDEX IF NOT EXISTS ingest_log_source ON ingest_log(source_key) WHERE source_key <> ''");
            }
            return new IngestLog(db, clock);
        } catch (SQLException e) {
            throw new IOException("cannot open the ingest log " + dataDir.resolve("ingest.db") + ": " + e.getMessage(), e);
        }
    }

    public static IngestLog open(Path dataDir) throws IOException {
        return open(dataDir, Clocks.system());
    }

    /** Records a message just accepted into the inbox (status PENDING); nothing happens if it is already there. */
    public synchronized void accepted(InboxMessage m) throws IOException {
        try {
            insertAccepted(m);
        } catch (SQLException e) {
            throw new IOException("cannot write the ingest log: " + e.getMessage(), e);
        }
    }

    private void insertAccepted(InboxMessage m) throws SQLException {
        PreparedStatement ps = insertAccepted;
        ps.setString(1, m.id());
            ps.setLong(2, m.receivedAt().toEpochMilli());
            ps.setString(3, m.origin().channel().name());
            ps.setString(4, encode(m.origin().details()));
            ps.setString(5, m.origin().sourceKey());
            ps.setString(6, m.name());
        ps.setLong(7, m.size());
        ps.setString(8, IngestStatus.PENDING.name());
        ps.executeUpdate();
    }

    /**
     * Records what processing did. Processing the same message again after a crash finds its reports
     * already stored; that second result must not turn a STORED entry into a DUPLICATE one.
     */
    public synchronized IngestLogEntry finished(InboxMessage m, ProcessingResult result) throws IOException {
        return finished(List.of(new Finished(m, result))).get(0);
    }

    /** A message and what processing did with it. */
    public record Finished(InboxMessage message, ProcessingResult result) { }

    /**
     * Records what processing did with several messages in one transaction (one WAL commit): the
     * inbox workers finish their messages in runs.
     */
    public synchronized List<IngestLogEntry> finished(List<Finished> done) throws IOException {
        try {
            db.setAutoCommit(false);
            try {
                for (Finished f : done) {
                    writeFinished(f.message(), f.result());
                }
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the ingest log: " + e.getMessage(), e);
        }
        List<IngestLogEntry> entries = new ArrayList<>(done.size());
        for (Finished f : done) {
            entries.add(get(f.message().id()).orElseThrow());
        }
        return entries;
    }

    private void writeFinished(InboxMessage m, ProcessingResult result) throws SQLException {
        IngestStatus status = result.status();
        String detail = result.error() != null ? result.error() : String.join("\n", result.unreadableParts());
        insertAccepted(m); // missing when the accepted entry could not be written
        PreparedStatement ps = updateFinished;
        ps.setString(1, status.name());
        ps.setInt(2, result.reports());
        ps.setLong(3, result.records());
        ps.setInt(4, result.duplicates());
        ps.setString(5, String.join(",", new TreeSet<>(result.kinds())));
        ps.setString(6, detail);
        ps.setLong(7, clock.millis());
        ps.setString(8, m.id());
        ps.setString(9, status.name());
        ps.executeUpdate();
    }

    /** Records a message refused before it was accepted (too large, inbox not writable). */
    public synchronized IngestLogEntry rejected(MessageOrigin origin, long size, String reason) throws IOException {
        Instant now = clock.instant();
        String id = InboxIds.next(now);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO ingest_log "
                + "(id, received_at, channel, origin, source_key, name, size, status, detail, finished_at) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, origin.channel().name());
            ps.setString(4, encode(origin.details()));
            ps.setString(5, "");
            ps.setString(6, "");
            ps.setLong(7, size);
            ps.setString(8, IngestStatus.REJECTED.name());
            ps.setString(9, reason);
            ps.setLong(10, now.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot write the ingest log: " + e.getMessage(), e);
        }
        return get(id).orElseThrow();
    }

    public synchronized Optional<IngestLogEntry> get(String id) throws IOException {
        try {
            selectById.setString(1, id);
            try (ResultSet rs = selectById.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the ingest log: " + e.getMessage(), e);
        }
    }

    /** The newest entry for a message read from a source before (an IMAP message read again). */
    public synchronized Optional<IngestLogEntry> bySourceKey(String sourceKey) throws IOException {
        if (sourceKey.isEmpty()) {
            return Optional.empty();
        }
        return first("SELECT " + COLUMNS + " FROM ingest_log WHERE source_key=? ORDER BY received_at DESC LIMIT 1",
                sourceKey);
    }

    /** A page of the log, newest first; {@code status} null for every status. */
    public synchronized IngestLogPage page(IngestStatus status, int offset, int limit) throws IOException {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and 1000");
        }
        String where = status == null ? "" : " WHERE status=?";
        try {
            long total;
            try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM ingest_log" + where)) {
                if (status != null) {
                    ps.setString(1, status.name());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<IngestLogEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM ingest_log" + where
                    + " ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?")) {
                int i = 1;
                if (status != null) {
                    ps.setString(i++, status.name());
                }
                ps.setInt(i++, limit);
                ps.setInt(i, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(read(rs));
                    }
                }
            }
            return new IngestLogPage(entries, total, offset, limit);
        } catch (SQLException e) {
            throw new IOException("cannot read the ingest log: " + e.getMessage(), e);
        }
    }

    /** Counts entries by status, for the dashboard and tests. */
    public synchronized Map<IngestStatus, Long> countByStatus() throws IOException {
        Map<IngestStatus, Long> counts = new LinkedHashMap<>();
        for (IngestStatus s : IngestStatus.values()) {
            counts.put(s, 0L);
        }
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, count(*) FROM ingest_log GROUP BY status")) {
            while (rs.next()) {
                counts.put(IngestStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the ingest log: " + e.getMessage(), e);
        }
        return counts;
    }

    private Optional<IngestLogEntry> first(String sql, String arg) throws IOException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the ingest log: " + e.getMessage(), e);
        }
    }

    private static IngestLogEntry read(ResultSet rs) throws SQLException {
        long finished = rs.getLong(13);
        boolean unfinished = rs.wasNull();
        String kinds = rs.getString(11);
        return new IngestLogEntry(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                new MessageOrigin(MessageOrigin.Channel.valueOf(rs.getString(3)), decode(rs.getString(4))),
                rs.getString(5), rs.getLong(6), IngestStatus.valueOf(rs.getString(7)), rs.getInt(8), rs.getLong(9),
                rs.getInt(10), kinds.isEmpty() ? Set.of() : Set.of(kinds.split(",")), rs.getString(12),
                unfinished ? null : Instant.ofEpochMilli(finished));
    }

    /** Origin details as lines {@code name=value}; values never hold line breaks (they come from protocol lines). */
    private static String encode(Map<String, String> details) {
        return details.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace('\n', ' ').replace('\r', ' '))
                .collect(Collectors.joining("\n"));
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> details = new LinkedHashMap<>();
        Arrays.stream(text.split("\n")).filter(l -> l.indexOf('=') > 0)
                .forEach(l -> details.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return details;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            insertAccepted.close();
            updateFinished.close();
            selectById.close();
            db.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the ingest log: " + e.getMessage(), e);
        }
    }

}
