package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.index.search.SearchIndex;
import io.dmarclens.store.contract.KitReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReindexTest {
    static final long D = KitReports.epoch(LocalDate.of(2024, 5, 1));

    @TempDir
    Path dir;

    private void fill(EmbeddedStore store) {
        var batch = store.beginImport(KitReports.source("a.xml"));
        batch.beginAggregate(KitReports.header("google.com", "a-1", "example.com", D, D + 86_399));
        for (var r : List.of(KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                KitReports.spoofed(1, "192.0.2.66", 4, "example.com"))) {
            batch.record(r, KitReports.enrichment(r, null));
        }
        batch.endAggregate(List.of());
        batch.failure(KitReports.failureReport("192.0.2.66", "Hello", "a@example.com", "<1@x>", Instant.ofEpochSecond(D)));
        batch.tls(KitReports.tlsReport("t-1", Instant.ofEpochSecond(D)));
        batch.commit();
    }

    @Test
    void reindexRebuildsTheSameDocuments() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store);
            assertEquals(Map.of("record", 2L, "failure", 1L, "tls", 1L), store.searchIndex().documentCounts());
            store.reindex();
            assertEquals(Map.of("record", 2L, "failure", 1L, "tls", 1L), store.searchIndex().documentCounts());
            assertEquals(1, store.search("ip:192.0.2.66 AND kind:record", 10).totalHits());
        }
    }

    @Test
    void aLostIndexIsRebuiltOnOpen() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store);
        }
        deleteTree(dir.resolve("index"));
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            // An empty index agrees with the database up to id 0 and builds itself from there.
            assertEquals(SearchIndex.Check.CAUGHT_UP, store.searchIndex().lastCheck());
            assertEquals(Map.of("record", 2L, "failure", 1L, "tls", 1L), store.searchIndex().documentCounts());
        }
    }

    @Test
    void anIndexBehindTheDatabaseCatchesUpOnOpen() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store);
        }
        // Rows committed to SQLite that the index never saw, as after a crash between the two.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO aggregate_record (report_ref, idx, source_ip, count, disposition, dkim, spf,"
                    + " header_from, dkim_aligned, spf_aligned, dmarc_pass, verdict_disagrees, classification)"
                    + " SELECT report_ref, 9, '198.51.100.99', 1, 'none', 'fail', 'fail', header_from, 0, 0, 0, 0, 'threat'"
                    + " FROM aggregate_record LIMIT 1");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertEquals(SearchIndex.Check.CAUGHT_UP, store.searchIndex().lastCheck());
            assertEquals(1, store.search("ip:198.51.100.99", 10).totalHits());
            assertEquals(3L, store.searchIndex().documentCounts().get("record"));
        }
    }

    @Test
    void anIndexThatDisagreesWithTheDatabaseIsRebuilt() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store);
        }
        // A row the index holds is gone from the database (e.g. a database restored from an older backup).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM aggregate_record WHERE source_ip = '192.0.2.66'");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertEquals(SearchIndex.Check.REBUILT, store.searchIndex().lastCheck());
            assertEquals(0, store.search("ip:192.0.2.66 AND kind:record", 10).totalHits());
            assertEquals(1L, store.searchIndex().documentCounts().get("record"));
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertEquals(SearchIndex.Check.IN_SYNC, store.searchIndex().lastCheck());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
