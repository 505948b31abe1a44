package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RawSourceQueries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Raw sources as received, and their original bytes.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteRawSourceQueries implements RawSourceQueries {
    private final Database db;

    public SqliteRawSourceQueries(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Metadata of a raw source, or empty. */
    @Override
    public Optional<RawSource> rawSource(long id) {
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
     * Writes the original bytes of a raw source to {@code out}.
     *
     * @return false when there is no such source or retention deleted its content
     */
    @Override
    public boolean copyRawSource(long id, OutputStream out) {
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
