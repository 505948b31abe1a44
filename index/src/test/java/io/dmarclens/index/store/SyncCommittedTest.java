package io.dmarclens.index.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Database#syncCommitted()} syncs the write-ahead log that holds the commits (not some other file),
 * and copes with the states the log goes through: written, truncated by a checkpoint, removed on close.
 */
class SyncCommittedTest {
    @TempDir
    Path dir;

    @Test
    void syncsTheLogHoldingTheCommitsInEveryStateOfIt() throws Exception {
        Path wal = dir.resolve(Database.FILE_NAME + "-wal");
        try (Database db = Database.open(dir)) {
            db.writeGrouped(c -> insert(c, "a"));
            db.flush();
            assertTrue(Files.size(wal) > 0, "the commit went to the log");
            assertTrue(db.syncCommitted(), "the log was synced");
            assertEquals(1L, db.read(SyncCommittedTest::count));

            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
                 var st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            assertEquals(0, Files.size(wal));
            assertTrue(db.syncCommitted());
            assertEquals(1L, db.read(SyncCommittedTest::count));
        }
        assertFalse(Files.exists(wal), "closing the last connection checkpoints the log away");
        try (Database db = Database.open(dir)) {
            assertEquals(1L, db.read(SyncCommittedTest::count));
        }
    }

    private static int insert(java.sql.Connection c, String sha) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_file (sha256, name, origin, received_at,"
                + " size, raw_encoding, raw) VALUES (?, 'f', 'test', 0, 0, 'identity', NULL)")) {
            ps.setString(1, sha);
            return ps.executeUpdate();
        }
    }

    private static long count(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM source_file"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
