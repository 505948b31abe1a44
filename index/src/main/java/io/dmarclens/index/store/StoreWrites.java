package io.dmarclens.index.store;

import io.dmarclens.store.CommitMode;
import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.StoredRecordFacts;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes other than report imports: raw sources, senders, the PTR cache, re-classification and
 * retention. Internal to the store; use {@link io.dmarclens.index.EmbeddedStore}.
 */
public final class StoreWrites {
    private final Database db;
    private final Clock clock;

    /** Writes to {@code db}, stamping what it stores with the time of {@code clock}. */
    public StoreWrites(Database db, Clock clock) {
        this.db = db;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores a raw source once per content hash and opens a batch on it. */
    public SqliteImportBatch beginImport(SourceFile source, CommitMode mode, Runnable afterCommit) {
        byte[] compressed;
        String encoding;
        try {
            byte[] head = new byte[4];
            int n;
            try (InputStream in = source.open()) {
                n = in.readNBytes(head, 0, 4);
            }
            boolean alreadyCompressed = n >= 2 && ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b
                    || head[0] == 'P' && head[1] == 'K');
            if (alreadyCompressed) {
                try (InputStream in = source.open()) {
                    compressed = in.readAllBytes();
                }
                encoding = "identity";
            } else {
                compressed = gzip(source);
                encoding = "gzip";
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the raw source " + source.name(), e);
        }
        Database.SqlFunction<Connection, Long> insert = c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_file (sha256, name, origin, received_at,"
                    + " size, raw_encoding, raw) VALUES (?,?,?,?,?,?,?) ON CONFLICT (sha256) DO NOTHING")) {
                ps.setString(1, source.sha256());
                ps.setString(2, source.name());
                ps.setString(3, source.origin());
                ps.setLong(4, clock.instant().getEpochSecond());
                ps.setLong(5, source.size());
                ps.setString(6, encoding);
                ps.setBytes(7, compressed);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM source_file WHERE sha256 = ?")) {
                ps.setString(1, source.sha256());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        };
        long id = mode == CommitMode.GROUPED ? db.writeGrouped(insert) : db.write(insert);
        return new SqliteImportBatch(db, clock, mode, afterCommit, id, source.sha256());
    }

    private static byte[] gzip(SourceFile source) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((int) Math.min(source.size() / 4 + 64, 1 << 24));
        try (InputStream in = source.open();
             OutputStream out = new GZIPOutputStream(bytes, 64 * 1024) {
                 {
                     def.setLevel(Deflater.BEST_SPEED);
                 }
             }) {
            in.transferTo(out);
        }
        return bytes.toByteArray();
    }

    public void updateSender(String ip, SenderInfo info) {
        db.write(c -> {
            Senders.upsert(c, ip, info, clock.instant());
            return null;
        });
    }

    public int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier) {
        return db.write(c -> {
            SenderInfo sender = SenderInfo.UNKNOWN;
            try (PreparedStatement ps = c.prepareStatement("SELECT reverse_dns, base_domain, country, asn, as_name,"
                    + " sender_name, sender_type FROM sender WHERE ip = ?")) {
                ps.setString(1, ip);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long asn = rs.getLong(4);
                        Long asnValue = rs.wasNull() ? null : asn;
                        sender = new SenderInfo(rs.getString(1), rs.getString(2), rs.getString(3), asnValue,
                                rs.getString(5), rs.getString(6), rs.getString(7));
                    }
                }
            }
            return StoredRollups.reclassify(c, ip, sender, classifier);
        });
    }

    public Optional<PtrCacheEntry> cachedPtr(String ip, Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, expires_at FROM ptr_cache WHERE ip = ? AND expires_at > ?")) {
                ps.setString(1, ip);
                ps.setLong(2, now.getEpochSecond());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PtrCacheEntry(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2))))
                            : Optional.empty();
                }
            }
        });
    }

    public void cachePtr(String ip, String name, Instant expiresAt) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ptr_cache (ip, name, expires_at) VALUES (?,?,?)"
                    + " ON CONFLICT (ip) DO UPDATE SET name = excluded.name, expires_at = excluded.expires_at")) {
                ps.setString(1, ip);
                ps.setString(2, name);
                ps.setLong(3, expiresAt.getEpochSecond());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deleted report keys for the search index ("a"/"f"/"t" + id) and the counts. */
    public record Deleted(RetentionResult result, List<String> reportKeys) {
    }

    /** Applies a retention policy; see {@link RetentionPolicy} for what is kept consistent. */
    public Deleted applyRetention(RetentionPolicy policy, Instant now) {
        return db.write(c -> {
            List<String> keys = new ArrayList<>();
            int aggregate = 0;
            long records = 0;
            int failures = 0;
            int tls = 0;
            if (policy.reports() != null) {
                long cutoff = now.minus(policy.reports()).getEpochSecond();
                List<long[]> old = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, record_count FROM aggregate_report WHERE end_ts < ? ORDER BY id")) {
                    ps.setLong(1, cutoff);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            old.add(new long[]{rs.getLong(1), rs.getLong(2)});
                        }
                    }
                }
                try (PreparedStatement del = c.prepareStatement("DELETE FROM aggregate_report WHERE id = ?");
                     PreparedStatement warn = c.prepareStatement(
                             "DELETE FROM report_warning WHERE kind = 'aggregate' AND report_ref = ?");
                     PreparedStatement copies = c.prepareStatement(
                             "DELETE FROM superseded_copy WHERE kind = 'aggregate' AND report_ref = ?")) {
                    for (long[] r : old) {
                        StoredRollups.subtractReport(c, r[0]);
                        warn.setLong(1, r[0]);
                        warn.executeUpdate();
                        copies.setLong(1, r[0]);
                        copies.executeUpdate();
                        del.setLong(1, r[0]);
                        del.executeUpdate();
                        keys.add("a" + r[0]);
                        aggregate++;
                        records += r[1];
                    }
                }
                StoredRollups.deleteEmptyRows(c);
                failures = deleteOld(c, "failure", "SELECT id FROM failure_report WHERE COALESCE(arrival_ts, imported_at) < ?",
                        "DELETE FROM failure_report WHERE id = ?", cutoff, "f", keys);
                tls = deleteOld(c, "tls", "SELECT id FROM tls_report WHERE end_ts < ?",
                        "DELETE FROM tls_report WHERE id = ?", cutoff, "t", keys);
            }
            int cleared = 0;
            if (policy.rawSources() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE source_file SET raw = NULL WHERE raw IS NOT NULL AND received_at < ?")) {
                    ps.setLong(1, now.minus(policy.rawSources()).getEpochSecond());
                    cleared = ps.executeUpdate();
                }
            }
            int orphans;
            try (Statement st = c.createStatement()) {
                orphans = st.executeUpdate("DELETE FROM source_file WHERE"
                        + " NOT EXISTS (SELECT 1 FROM aggregate_report a WHERE a.source_id = source_file.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM failure_report f WHERE f.source_id = source_file.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM tls_report t WHERE t.source_id = source_file.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM superseded_copy s WHERE s.source_id = source_file.id)"
                        + (policy.reports() == null ? " AND 0" : ""));
            }
            return new Deleted(new RetentionResult(cleared, aggregate, records, failures, tls, orphans), keys);
        });
    }

    private static int deleteOld(Connection c, String kind, String select, String delete, long cutoff, String prefix,
                                 List<String> keys) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setLong(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement(delete);
             PreparedStatement warn = c.prepareStatement("DELETE FROM report_warning WHERE kind = ? AND report_ref = ?");
             PreparedStatement copies = c.prepareStatement("DELETE FROM superseded_copy WHERE kind = ? AND report_ref = ?")) {
            for (long id : ids) {
                warn.setString(1, kind);
                warn.setLong(2, id);
                warn.executeUpdate();
                copies.setString(1, kind);
                copies.setLong(2, id);
                copies.executeUpdate();
                del.setLong(1, id);
                del.executeUpdate();
                keys.add(prefix + id);
            }
        }
        return ids.size();
    }
}
