package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.ReportFilter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped commits on SQLite's one writer connection (what every store does with grouped imports is in
 * the contract kit, {@link io.dmarclens.store.contract.ImportContract}).
 */
class GroupedCommitTest {
    @TempDir
    Path dir;

    static final long BEGIN = KitReports.epoch(LocalDate.of(2024, 5, 1));

    /** Records committed: the export reads on a reader connection, which sees committed rows only. */
    private static long committedRecords(EmbeddedStore store) {
        AtomicLong n = new AtomicLong();
        store.reports().exportRecords(ReportFilter.all(), r -> n.incrementAndGet());
        return n.get();
    }

    @Test
    void anotherWriteCommitsTheGroupFirst() {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            ImportBatch batch = store.beginImport(KitReports.source("r1.xml"), CommitMode.GROUPED);
            assertTrue(batch.beginAggregate(KitReports.header("google.com", "r1", "example.com", BEGIN, BEGIN + 86_399)));
            List<AggregateRecord> records = List.of(KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                    KitReports.spoofed(1, "203.0.113.66", 4, "example.com"));
            for (AggregateRecord r : records) {
                batch.record(r, KitReports.enrichment(r, KitReports.GOOGLE));
            }
            batch.endAggregate(List.of());
            batch.commit();
            // The PTR cache write runs in a transaction of its own, on the same writer connection.
            store.cachePtr("203.0.113.5", "mail.example.com", java.time.Instant.ofEpochSecond(BEGIN));
            assertEquals(records.size(), committedRecords(store), "the PTR cache write committed r1 before its own");
        }
    }
}
