package io.dmarclens.index.ingestlog;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxIds;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
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
import org.sqlite.SQLiteConfig;

/**
 * The ingest log in its own SQLite file {@code dataDir/ingest.db} (WAL), apart from the report store, with
 * versioned migrations (scripts beside this class); with the bytes of quarantined messages (also in the data
 * directory's {@code quarantine/}, which the node reads first).
 */
public final class SqliteIngestLog implements IngestLog {
    /** File name of the ingest log inside the data directory. */
    public static final String FILE_NAME = "ingest.db";
    static final Migrations.Scripts SCRIPTS = new Migrations.Scripts("the ingest log " + FILE_NAME,
            SqliteIngestLog.class, List.of("V1__ingest_log.sql", "V2__partial_reports.sql",
                    "V3__node_quarantine_content.sql"));
    private static final String COLUMNS = "id, received_at, channel, origin, name, size, status, reports, records, "
            + "duplicates, kinds, substr(detail, 1, 4000), finished_at, partial, node"; // rows from before #14 may hold 40 MB of detail

    private final Path file;
    private final Connection db;
    private final Clock clock;
    private final String node;
    // Prepared once: every message passes through these, and preparing costs as much as running them.
    private final PreparedStatement insertAccepted;
    private final PreparedStatement updateFinished;
    private final PreparedStatement selectById;

    private SqliteIngestLog(Path file, Connection db, Clock clock, String node) throws SQLException {
        this.file = file;
        this.db = db;
        this.clock = clock;
        this.node = node;
        this.insertAccepted = db.prepareStatement("INSERT OR IGNORE INTO ingest_log "
                + "(id, received_at, channel, origin, source_key, name, size, status, node) VALUES (?,?,?,?,?,?,?,?,?)");
        this.updateFinished = db.prepareStatement("UPDATE ingest_log SET status=?, reports=?, records=?, "
                + "duplicates=?, kinds=?, detail=?, finished_at=?, partial=? WHERE id=?"
                + " AND NOT (status='STORED' AND ?='DUPLICATE')");
        this.selectById = db.prepareStatement("SELECT " + COLUMNS + " FROM ingest_log WHERE id=?");
    }

    /**
     * Opens (creating when needed) {@code dataDir/ingest.db} and brings it to the latest version; {@code clock}
     * stamps refusals and finished messages.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static SqliteIngestLog open(Path dataDir, Clock clock) {
        return open(dataDir, clock, "");
    }

    /** As {@link #open(Path, Clock)}, naming {@code node} on the entries it creates. */
    public static SqliteIngestLog open(Path dataDir, Clock clock, String node) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            SQLiteConfig config = SqliteFiles.walConfig(Duration.ofSeconds(10));
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            Connection db = SqliteFiles.connect(file, config);
            try {
                Migrations.migrate(db, SCRIPTS);
                return new SqliteIngestLog(file, db, clock, node == null ? "" : node);
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the ingest log " + file + ": " + e.getMessage()
                    + " (check that the data directory exists and is writable)", e);
        }
    }

    /** As {@link #open(Path, Clock)} with the system clock. */
    public static SqliteIngestLog open(Path dataDir) {
        return open(dataDir, Clocks.system());
    }

    @Override
    public synchronized void accepted(InboxMessage m) {
        try {
            insertAccepted(m);
        } catch (SQLException e) {
            throw failure("write", e);
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
        ps.setString(9, node);
        ps.executeUpdate();
    }

    @Override
    public synchronized List<IngestLogEntry> finished(List<Finished> done) {
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
            throw failure("write", e);
        }
        List<IngestLogEntry> entries = new ArrayList<>(done.size());
        for (Finished f : done) {
            entries.add(get(f.message().id()).orElseThrow());
        }
        return entries;
    }

    private void writeFinished(InboxMessage m, ProcessingResult result) throws SQLException {
        IngestStatus status = result.status();
        List<String> lines = new ArrayList<>();
        result.partialReports().forEach(p -> lines.add("partial report: " + p));
        lines.addAll(result.unreadableParts());
        String detail = result.error() != null ? result.error() : String.join("\n", lines);
        insertAccepted(m); // missing when the accepted entry could not be written
        PreparedStatement ps = updateFinished;
        ps.setString(1, status.name());
        ps.setInt(2, result.reports());
        ps.setLong(3, result.records());
        ps.setInt(4, result.duplicates());
        ps.setString(5, String.join(",", new TreeSet<>(result.kinds())));
        ps.setString(6, detail);
        ps.setLong(7, clock.millis());
        ps.setInt(8, result.partialReports().size());
        ps.setString(9, m.id());
        ps.setString(10, status.name());
        ps.executeUpdate();
    }

    @Override
    public synchronized IngestLogEntry rejected(MessageOrigin origin, long size, String reason) {
        Instant now = clock.instant();
        String id = InboxIds.next(now);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO ingest_log "
                + "(id, received_at, channel, origin, source_key, name, size, status, detail, finished_at, node) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
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
            ps.setString(11, node);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
        return get(id).orElseThrow();
    }

    @Override
    public synchronized void dropped(String id, String reason) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE ingest_log SET status=?, "
                + "detail=? || char(10) || 'quarantined because: ' || detail WHERE id=? AND status=?")) {
            ps.setString(1, IngestStatus.DROPPED.name());
            ps.setString(2, reason);
            ps.setString(3, id);
            ps.setString(4, IngestStatus.QUARANTINED.name());
            if (ps.executeUpdate() > 0) {
                forgetContent(id);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized Optional<IngestLogEntry> get(String id) {
        try {
            selectById.setString(1, id);
            try (ResultSet rs = selectById.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized Optional<IngestLogEntry> bySourceKey(String sourceKey) {
        if (sourceKey.isEmpty()) {
            return Optional.empty();
        }
        return first("SELECT " + COLUMNS + " FROM ingest_log WHERE source_key=? ORDER BY received_at DESC LIMIT 1",
                sourceKey);
    }

    @Override
    public synchronized IngestLogPage page(IngestStatus status, int offset, int limit) {
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
            throw failure("read", e);
        }
    }

    @Override
    public synchronized Map<IngestStatus, Long> countByStatus() {
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
            throw failure("read", e);
        }
        return counts;
    }

    @Override
    public synchronized void keepContent(String id, byte[] content) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO quarantine_content(id, content) VALUES(?,?)"
                + " ON CONFLICT(id) DO UPDATE SET content=excluded.content")) {
            ps.setString(1, id);
            ps.setBytes(2, content);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized Optional<byte[]> content(String id) {
        try (PreparedStatement ps = db.prepareStatement("SELECT content FROM quarantine_content WHERE id=?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized Set<String> withContent(java.util.Collection<String> ids) {
        Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM quarantine_content WHERE id=?")) {
            for (String id : new java.util.LinkedHashSet<>(ids)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(id);
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return out;
    }

    @Override
    public synchronized void forgetContent(String id) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM quarantine_content WHERE id=?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private Optional<IngestLogEntry> first(String sql, String arg) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
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
                unfinished ? null : Instant.ofEpochMilli(finished), rs.getInt(14), rs.getString(15));
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
    public synchronized void close() {
        try {
            insertAccepted.close();
            updateFinished.close();
            selectById.close();
            db.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    /** A failure a user can act on: which file, what went wrong, what to check. */
    private StoreException failure(String action, SQLException e) {
        return new StoreException("cannot " + action + " the ingest log " + file + ": " + e.getMessage()
                + " (check that the disk is not full and the file is writable)", e);
    }
}
