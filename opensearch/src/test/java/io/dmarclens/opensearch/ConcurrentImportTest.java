package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two processes (two stores on the same indices) and many threads storing the same reports at the same
 * moment, each in its own order, grouped or not, with a partial copy racing its complete copy: one copy of
 * each report is stored, the complete one, and the figures are those of storing each once.
 */
@ExtendWith(DropIndicesAfterClass.class)
class ConcurrentImportTest {
    private static final long BEGIN = KitReports.epoch(java.time.LocalDate.of(2024, 5, 1));
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(BEGIN + 3 * 86_400), ZoneOffset.UTC);

    private record Copy(String file, String reportId, List<AggregateRecord> records, Truncation truncation) {
    }

    private static List<AggregateRecord> records(String prefix, int n) {
        List<AggregateRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AggregateRecord r = i % 3 == 0 ? KitReports.spoofed(i, prefix + "." + i, i + 1, "example.com")
                    : KitReports.passing(i, prefix + "." + i, i + 1, "example.com");
            out.add(r);
        }
        return out;
    }

    private static void store(Store store, Copy c, CommitMode mode) {
        try (ImportBatch batch = store.beginImport(KitReports.source(c.file()), mode)) {
            if (batch.beginAggregate(KitReports.header("google.com", c.reportId(), "example.com", BEGIN,
                    BEGIN + 2 * 86_400))) {
                for (AggregateRecord r : c.records()) {
                    batch.record(r, KitReports.enrichment(r, null));
                }
                batch.endAggregate(List.of(), c.truncation());
            }
            batch.commit();
        }
    }

    @Test
    void manyImportersOfTheSameReportsLeaveOneCopyOfEach() throws Exception {
        try (StoreOnNode node = new StoreOnNode(getClass(), "race")) {
            Store a = node.open(CLOCK);
            Store b = node.open(CLOCK);
            List<Copy> copies = new ArrayList<>();
            long expectedMessages = 0;
            long expectedRecords = 0;
            for (int i = 0; i < 5; i++) {
                List<AggregateRecord> rs = records("10.0." + i, 40 + i);
                copies.add(new Copy("r" + i + ".xml", "r" + i, rs, null));
                expectedMessages += rs.stream().mapToLong(AggregateRecord::count).sum();
                expectedRecords += rs.size();
            }
            List<AggregateRecord> whole = records("10.9.9", 30);
            copies.add(new Copy("cut.xml.gz", "cut", whole.subList(0, 12), new Truncation("gzip stream cut")));
            copies.add(new Copy("whole.xml", "cut", whole, null));
            expectedMessages += whole.stream().mapToLong(AggregateRecord::count).sum();
            expectedRecords += whole.size();

            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Store store = t % 2 == 0 ? a : b;
                CommitMode mode = t % 4 < 2 ? CommitMode.EACH_REPORT : CommitMode.GROUPED;
                List<Copy> order = new ArrayList<>(copies);
                Collections.shuffle(order, new Random(t));
                done.add(pool.submit(() -> {
                    for (Copy c : order) {
                        store(store, c, mode);
                    }
                    store.flush();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            Totals ta = a.overview().totals(ReportFilter.all());
            assertEquals(expectedMessages, ta.messages());
            assertEquals(ta, b.overview().totals(ReportFilter.all()), "both processes see the same");
            assertEquals(expectedRecords, node.count(Family.RECORDS), "one copy of each record");
            assertEquals(6, node.count(Family.REPORTS));
            long messagesInRollups = a.overview().daily(ReportFilter.all()).stream()
                    .mapToLong(d -> d.totals().messages()).sum();
            assertEquals(expectedMessages, messagesInRollups);
        }
    }
}
