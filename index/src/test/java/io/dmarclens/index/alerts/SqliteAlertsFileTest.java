package io.dmarclens.index.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alerts.db} is versioned like the other SQLite files: recorded, and refused when newer than this build. */
class SqliteAlertsFileTest {
    @TempDir
    Path dir;

    @Test
    void recordsItsVersionAndRefusesANewerFile() throws Exception {
        SqliteAlerts.open(dir).close();
        Path file = dir.resolve(SqliteAlerts.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertEquals(SqliteAlerts.SCRIPTS.latestVersion(), Migrations.currentVersion(c));
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
            }
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteAlerts.open(dir));
        assertTrue(e.getMessage().contains("upgrade DMARC Lens"), e.getMessage());
    }
}
