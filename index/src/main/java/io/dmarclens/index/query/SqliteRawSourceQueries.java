package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RawSourceQueries;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Raw sources as received, and their original bytes.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteRawSourceQueries implements RawSourceQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteRawSourceQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Metadata of a raw source, or empty. */
    @Override
    public Optional<RawSource> rawSource(long id, DomainScope scope) {
        if (!inScope(id, scopes.resolve(scope))) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, origin, sha256, size, received_at,"
                    + " raw IS NOT NULL FROM source_file WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new RawSource(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), Instant.ofEpochSecond(rs.getLong(6)), rs.getInt(7) == 1));
                }
            }
        });
    }

    /**
     * Whether a reader of this scope may have the raw source: every scope may when it is all; a limited one when
     * at least one report was stored from it and every report stored from it is in scope (the bytes hold them all).
     */
    private boolean inScope(long sourceId, ResolvedScope scope) {
        if (scope.isAll()) {
            return true;
        }
        return db.read(c -> {
            boolean any = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT policy_domain FROM aggregate_report WHERE source_id = ?")) {
                ps.setLong(1, sourceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!scope.permitsAggregate(rs.getString(1))) {
                            return false;
                        }
                        any = true;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT reported_domain FROM failure_report WHERE source_id = ?")) {
                ps.setLong(1, sourceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!scope.permitsFailure(JsonColumns.strings(rs.getString(1)))) {
                            return false;
                        }
                        any = true;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, p.policy_domain FROM tls_report t"
                    + " LEFT JOIN tls_policy p ON p.tls_report_ref = t.id WHERE t.source_id = ? ORDER BY t.id")) {
                ps.setLong(1, sourceId);
                java.util.Map<Long, List<String>> domains = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> d = domains.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>());
                        if (rs.getString(2) != null) {
                            d.add(rs.getString(2));
                        }
                    }
                }
                for (List<String> d : domains.values()) {
                    if (!scope.permitsTlsReport(d)) {
                        return false;
                    }
                    any = true;
                }
            }
            return any;
        });
    }

    /**
     * Writes the original bytes of a raw source to {@code out}.
     *
     * @return false when there is no such source or retention deleted its content
     */
    @Override
    public boolean copyRawSource(long id, OutputStream out, DomainScope scope) {
        if (!inScope(id, scopes.resolve(scope))) {
            return false;
        }
        byte[][] stored = new byte[1][];
        String[] encoding = new String[1];
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT raw, raw_encoding FROM source_file WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored[0] = rs.getBytes(1);
                        encoding[0] = rs.getString(2);
                    }
                }
            }
            return null;
        });
        if (stored[0] == null) {
            return false;
        }
        try (InputStream in = "gzip".equals(encoding[0])
                ? new GZIPInputStream(new ByteArrayInputStream(stored[0]))
                : new ByteArrayInputStream(stored[0])) {
            in.transferTo(out);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy raw source " + id, e);
        }
    }
}
