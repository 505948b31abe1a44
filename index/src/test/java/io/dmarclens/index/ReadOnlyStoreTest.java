package io.dmarclens.index;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.ReportFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store opened read-only beside the writable one in the same data directory (as {@code search} and
 * {@code export} run beside {@code serve}): it reads committed rows and the index's last commit, never
 * creates or migrates, and the writable open is refused while another writer holds the directory.
 */
class ReadOnlyStoreTest {
    static final long D = KitReports.epoch(LocalDate.of(2024, 5, 1));

    @TempDir
    Path dir;

    private static void fill(EmbeddedStore store, String id, String ip) {
        var batch = store.beginImport(KitReports.source(id + ".xml"));
        batch.beginAggregate(KitReports.header("google.com", id, "example.com", D, D + 86_399));
        var r = KitReports.spoofed(0, ip, 4, "example.com");
        batch.record(r, KitReports.enrichment(r, null));
        batch.endAggregate(List.of());
        batch.commit();
    }

    @Test
    void readsBesideTheWriterWithoutItsLock() throws Exception {
        try (EmbeddedStore writer = EmbeddedStore.open(dir)) {
            fill(writer, "a-1", "192.0.2.1");
            writer.awaitIndexed();
            try (EmbeddedStore reader = EmbeddedStore.openReadOnly(dir)) {
                assertTrue(reader.readOnly());
                // The writer has not committed its index since the report: the reader sees the rows, not the hit.
                assertEquals(1, exported(reader).size());
                assertEquals(0, reader.search("ip:192.0.2.1", 10).totalHits());
                assertEquals(1, reader.unsearchableRows());
            }
        }
        // Closing the writer commits its index: a reader now finds everything.
        try (EmbeddedStore writer = EmbeddedStore.open(dir); EmbeddedStore reader = EmbeddedStore.openReadOnly(dir)) {
            assertEquals(1, reader.search("ip:192.0.2.1", 10).totalHits());
            assertEquals(0, reader.unsearchableRows());
            fill(writer, "a-2", "192.0.2.2");
            // A committed report is readable at once, before any index commit.
            assertEquals(Set.of("192.0.2.1", "192.0.2.2"), Set.copyOf(exported(reader)));
            assertEquals(1, reader.unsearchableRows());
            assertEquals(Map.of("record", 1L, "failure", 0L, "tls", 0L), reader.searchableDocuments());
        }
    }

    @Test
    void neverWrites() {
        try (EmbeddedStore writer = EmbeddedStore.open(dir)) {
            fill(writer, "a-1", "192.0.2.1");
        }
        try (EmbeddedStore reader = EmbeddedStore.openReadOnly(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> fill(reader, "a-2", "192.0.2.2"));
            assertTrue(e.getMessage().contains("reading only"), e.getMessage());
            assertThrows(StoreException.class, reader::reindex);
            assertThrows(StoreException.class, () -> reader.cachePtr("192.0.2.1", "x.example", Instant.EPOCH));
        }
    }

    @Test
    void aDirectoryWithoutAStoreIsRefusedAndLeftAsItWas() {
        Path typo = dir.resolve("typo-dir");
        StoreException e = assertThrows(StoreException.class, () -> EmbeddedStore.openReadOnly(typo));
        assertEquals("no store in " + typo.toAbsolutePath() + " (no dmarc-lens.db): check --data, or import"
                + " reports first", e.getMessage());
        assertFalse(Files.exists(typo), "nothing created");
    }

    @Test
    void aDatabaseOfAnotherSchemaVersionIsRefused() throws Exception {
        try (EmbeddedStore writer = EmbeddedStore.open(dir)) {
            fill(writer, "a-1", "192.0.2.1");
        }
        int latest = io.dmarclens.index.schema.Migrations.latestVersion();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (" + (latest + 1) + ", 0)");
        }
        StoreException newer = assertThrows(StoreException.class, () -> EmbeddedStore.openReadOnly(dir));
        assertEquals("the database " + dir.resolve("dmarc-lens.db") + " has schema version " + (latest + 1)
                + " but this DMARC Lens only knows up to " + latest + ": upgrade DMARC Lens", newer.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM schema_version WHERE version >= " + latest);
        }
        StoreException older = assertThrows(StoreException.class, () -> EmbeddedStore.openReadOnly(dir));
        assertTrue(older.getMessage().contains("has schema version " + (latest - 1) + ", older than"), older.getMessage());
    }

    @Test
    void aSecondWriterIsToldInOneLineToStopTheFirst() {
        try (EmbeddedStore writer = EmbeddedStore.open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> EmbeddedStore.open(dir));
            assertEquals("the data directory " + dir.toAbsolutePath() + " is in use by another DMARC Lens process"
                    + " (a running serve or import): stop it first", e.getMessage());
        }
    }

    private static List<String> exported(EmbeddedStore store) {
        List<String> ips = new ArrayList<>();
        store.reports().exportRecords(new ReportFilter(null, null, Set.of(), Set.of()), r -> ips.add(r.sourceIp()));
        return ips;
    }
}
