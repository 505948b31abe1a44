package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @TempDir
    Path dir;

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
    }

    @Test
    void newDatabaseGetsEveryVersionOnceAndWalMode() throws Exception {
        EmbeddedStore.open(dir).close();
        EmbeddedStore.open(dir).close();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<Integer> versions = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
            }
            assertEquals(Migrations.latestVersion(), versions.size());
            assertEquals(1, versions.get(0));
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : List.of("aggregate_report", "aggregate_record", "rollup_daily", "rollup_summary", "sender",
                    "ptr_cache", "failure_report", "tls_report", "tls_policy", "tls_failure", "report_warning",
                    "source_file", "schema_version")) {
                assertTrue(tables.contains(t), t + " missing from " + tables);
            }
        }
    }

    @Test
    void databaseOfNewerVersionIsRefusedWithAClearMessage() throws Exception {
        EmbeddedStore.open(dir).close();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> EmbeddedStore.open(dir));
        assertTrue(e.getMessage().contains("999") && e.getMessage().contains("upgrade"), e.getMessage());
    }
}
