package io.dmarclens.index.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-ahead log stays bounded while an import writes and readers keep reading. */
class WalLimitTest {
    @TempDir
    Path dir;

    @Test
    void logIsTruncatedOnceItPassesTheLimitDespiteBusyReaders() throws Exception {
        long limit = 256 * 1024;
        Path wal = dir.resolve(Database.FILE_NAME + "-wal");
        try (Database db = Database.open(dir, limit)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    db.read(c -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), SUM(size) FROM source_file");
                             ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getLong(1) : 0L;
                        }
                    });
                }
            });
            reader.start();
            long maxSeen = 0;
            byte[] raw = new byte[64 * 1024];
            try {
                for (int i = 0; i < 200; i++) {
                    raw[0] = (byte) i;
                    int n = i;
                    db.writeGrouped(c -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_file (sha256, name, origin,"
                                + " received_at, size, raw_encoding, raw) VALUES (?,?,?,?,?,?,?)")) {
                            ps.setString(1, "sha" + n);
                            ps.setString(2, "f" + n);
                            ps.setString(3, "test");
                            ps.setLong(4, n);
                            ps.setLong(5, raw.length);
                            ps.setString(6, "identity");
                            ps.setBytes(7, raw);
                            return ps.executeUpdate();
                        }
                    });
                    if (i % 20 == 0) {
                        db.flush();
                    }
                    maxSeen = Math.max(maxSeen, Files.exists(wal) ? Files.size(wal) : 0);
                }
                db.flush();
                maxSeen = Math.max(maxSeen, Files.size(wal));
                assertTrue(maxSeen > limit, "the test wrote past the limit: " + maxSeen);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (Files.size(wal) > limit && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                stop.set(true);
                reader.join();
            }
            assertTrue(Files.size(wal) <= limit, "log truncated while the reader kept reading: " + Files.size(wal)
                    + " bytes, at most " + maxSeen + " seen");
        }
    }
}
