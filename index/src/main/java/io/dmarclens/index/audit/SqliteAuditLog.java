package io.dmarclens.index.audit;

import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.index.users.WebDb;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in the table {@code audit_log} of {@code dataDir/web.db}, beside the accounts it speaks of,
 * so that rebuilding the report store keeps it. Triggers in the file refuse every UPDATE and DELETE of it.
 */
public final class SqliteAuditLog implements AuditLog {
    private final WebDb db;

    private SqliteAuditLog(WebDb db) {
        this.db = db;
    }

    /**
     * Opens (creating it when needed) {@code dataDir/web.db} and brings it to the latest version.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static SqliteAuditLog open(Path dataDir) {
        return new SqliteAuditLog(WebDb.open(dataDir, "the audit log", SqliteFiles.walConfig(Duration.ofSeconds(5))));
    }

    @Override
    public void append(AuditEntry e) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log(at, user_name, action, subject, address) VALUES(?,?,?,?,?)")) {
                ps.setLong(1, e.at().toEpochMilli());
                ps.setString(2, e.user());
                ps.setString(3, e.action());
                ps.setString(4, e.subject());
                ps.setString(5, e.address());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AuditEntry> find(AuditQuery q) {
        // Fixed SQL: an absent filter is a NULL parameter that matches everything.
        String sql = "SELECT at, user_name, action, subject, address FROM audit_log"
                + " WHERE (?1 IS NULL OR user_name=?1) AND (?2 IS NULL OR action=?2)"
                + " AND (?3 IS NULL OR at>=?3) AND (?4 IS NULL OR at<?4) ORDER BY id DESC LIMIT ?5";
        return db.read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, q.user().orElse(null));
                ps.setString(2, q.action().orElse(null));
                ps.setObject(3, q.from().map(Instant::toEpochMilli).orElse(null));
                ps.setObject(4, q.to().map(Instant::toEpochMilli).orElse(null));
                ps.setInt(5, Math.max(0, q.limit()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
