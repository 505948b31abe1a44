package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.store.SqliteImportBatch;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.query.ReportFilter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports imported with {@link CommitMode#GROUPED}: atomic one by one, committed together. */
class GroupedCommitTest {
    @TempDir
    Path dir;

    static final long BEGIN = Fixtures.epoch(LocalDate.of(2024, 5, 1));

    private static List<AggregateRecord> records(String ipPrefix) {
        return List.of(
                Fixtures.passing(0, ipPrefix + ".5", 10, "example.com"),
                Fixtures.spoofed(1, ipPrefix + ".66", 4, "example.com"));
    }

    private static boolean storeGrouped(EmbeddedStore store, String reportId, String ipPrefix, boolean abort) {
        ImportBatch batch = store.beginImport(Fixtures.source(reportId + ".xml"), CommitMode.GROUPED);
        boolean isNew = batch.beginAggregate(Fixtures.header("google.com", reportId, "example.com", BEGIN, BEGIN + 86_399));
        if (isNew) {
            for (AggregateRecord r : records(ipPrefix)) {
                batch.record(r, Fixtures.enrichment(r, Fixtures.GOOGLE));
            }
            if (abort) {
                batch.abortAggregate("broken in the middle");
            } else {
                batch.endAggregate(List.of());
            }
        }
        ImportResult result = batch.commit();
        return result.aggregateReports() == 1;
    }

    private long storedRecords() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM aggregate_record")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void abortedReportRollsBackAloneAndTheRestOfTheGroupIsCommittedByFlush() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertTrue(storeGrouped(store, "r1", "203.0.113", false));
            assertFalse(storeGrouped(store, "r2", "198.51.100", true));
            assertTrue(storeGrouped(store, "r3", "192.0.2", false));
            store.flush();
            assertEquals(4, storedRecords(), "r1 and r3, two records each, are on disk; r2 is not");
            assertEquals(28, store.overview().totals(ReportFilter.all()).messages());
            store.awaitIndexed();
            assertEquals(0, store.search("ip:198.51.100.0/24", 10).totalHits());
            assertEquals(2, store.search("ip:192.0.2.0/24", 10).totalHits());
        }
    }

    @Test
    void duplicateInsideAnUncommittedGroupIsRecognised() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertTrue(storeGrouped(store, "r1", "203.0.113", false));
            assertFalse(storeGrouped(store, "r1", "203.0.113", false), "same report again before the group commit");
            store.flush();
            assertEquals(2, storedRecords());
        }
    }

    @Test
    void reportOfAnotherImportThatFailsDoesNotTakeTheGroupWithIt() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertTrue(storeGrouped(store, "r1", "203.0.113", false));
            // A receiver's import (each report committed) fails while r1 waits for its group commit.
            ImportBatch batch = store.beginImport(Fixtures.source("smtp.xml"));
            assertTrue(batch.beginAggregate(Fixtures.header("yahoo.com", "y1", "example.com", BEGIN, BEGIN + 86_399)));
            batch.record(records("198.51.100").get(0), Fixtures.enrichment(records("198.51.100").get(0), Fixtures.GOOGLE));
            batch.abortAggregate("the message was cut off");
            batch.commit();
            store.flush();
            assertEquals(2, storedRecords(), "r1 survives the other import's rollback");
        }
    }

    @Test
    void closeCommitsWhatFlushDidNotAndTheIndexCatchesUp() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertTrue(storeGrouped(store, "r1", "203.0.113", false));
            assertTrue(storeGrouped(store, "r2", "198.51.100", false));
        }
        assertEquals(4, storedRecords());
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertEquals(2, store.search("ip:198.51.100.0/24", 10).totalHits());
            assertEquals(4, store.searchIndex().documentCounts().get("record"));
        }
    }

    @Test
    void anotherWriteCommitsTheGroupFirst() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertTrue(storeGrouped(store, "r1", "203.0.113", false));
            store.cachePtr("203.0.113.5", "mail.example.com", java.time.Instant.parse("2024-05-01T00:00:00Z"));
            assertEquals(2, storedRecords(), "the PTR cache write committed r1 before its own transaction");
        }
    }
}
