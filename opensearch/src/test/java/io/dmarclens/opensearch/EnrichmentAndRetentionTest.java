package io.dmarclens.opensearch;

import io.dmarclens.store.query.DaySplit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.Store;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Re-classification moves counts exactly; retention takes reports out exactly, whole months as indices. */
@ExtendWith(DropIndicesAfterClass.class)
class EnrichmentAndRetentionTest {
    private static final LocalDate D = LocalDate.of(2024, 5, 1);
    private static final long DAY = 86_400;

    private static void store(Store store, String id, long begin, long end, List<AggregateRecord> records) {
        KitReports.store(store, KitReports.source(id + ".xml"), KitReports.header("google.com", id, "example.com",
                begin, end), records, null);
    }

    @Test
    void reclassifyMovesEachDaysShareAndTheSameVerdictChangesNothing() {
        long d = KitReports.epoch(D);
        try (StoreOnNode node = new StoreOnNode(getClass(), "reclassify")) {
            Store store = node.open(Clock.fixed(Instant.ofEpochSecond(d + 5 * DAY), ZoneOffset.UTC));
            // Two records of one key over two days: only one of them changes, as the embedded store moves it.
            AggregateRecord spoofed = KitReports.spoofed(0, "192.0.2.66", 7, "example.com");
            AggregateRecord again = KitReports.spoofed(1, "192.0.2.66", 4, "example.com");
            AggregateRecord passing = KitReports.passing(2, "203.0.113.5", 3, "example.com");
            store(store, "a", d, d + 2 * DAY, List.of(spoofed, again, passing));
            long firstDayThreat = store.overview().totals(ReportFilter.all().withRange(D, D)).threat();
            store.updateSender("192.0.2.66", new SenderInfo("mail.example.com", "example.com", null, null, null,
                    null, null));
            int changed = store.reclassify("192.0.2.66", facts -> facts.record().index() != 0 ? null
                    : new RecordEnrichment(facts.sender(), false, false, false, false, Classification.MISCONFIGURED,
                    "the domain's own server (" + facts.sender().reverseDns() + ")"));
            assertEquals(1, changed);
            Totals t = store.overview().totals(ReportFilter.all());
            assertEquals(4, t.threat());
            assertEquals(7, t.misconfigured());
            assertEquals(14, t.messages());
            // The embedded store's arithmetic: the first day's threat share of 11, minus that of 7.
            long[] all = splitOf(d, 11);
            long[] moved = splitOf(d, 7);
            assertEquals(firstDayThreat - moved[0], all[0] - moved[0]);
            assertEquals(all[0] - moved[0], store.overview().totals(ReportFilter.all().withRange(D, D)).threat());
            assertEquals(moved[0], store.overview().totals(ReportFilter.all().withRange(D, D)).misconfigured());
            assertEquals(0, store.reclassify("192.0.2.66", facts -> facts.current()));
            assertEquals(t, store.overview().totals(ReportFilter.all()));
        }
    }

    private static long[] splitOf(long d, long count) {
        return DaySplit.of(d, d + 2 * DAY).apply(count);
    }

    @Test
    void ptrCacheHonoursTheStoresClock() {
        Instant now = Instant.ofEpochSecond(KitReports.epoch(D));
        try (StoreOnNode node = new StoreOnNode(getClass(), "ptr")) {
            Store store = node.open(Clock.fixed(now, ZoneOffset.UTC));
            store.cachePtr("203.0.113.5", "mail.example.com", now.plusSeconds(3600));
            store.cachePtr("192.0.2.1", null, now.plusSeconds(3600));
            store.cachePtr("192.0.2.2", "gone.example", now.minusSeconds(1));
            store.cachePtr("fe80::1%eth0", "link.local", now.plusSeconds(3600));
            assertEquals(Optional.of("mail.example.com"), store.cachedPtr("203.0.113.5").map(PtrCacheEntry::name));
            assertTrue(store.cachedPtr("192.0.2.1").isPresent());
            assertEquals(null, store.cachedPtr("192.0.2.1").get().name());
            assertTrue(store.cachedPtr("192.0.2.2").isEmpty());
            assertTrue(store.cachedPtr("198.51.100.1").isEmpty());
            assertEquals("link.local", store.cachedPtr("fe80::1%eth0").orElseThrow().name());
        }
    }

    @Test
    void retentionTakesOldReportsOutExactlyAndDropsWholeMonths() {
        long d = KitReports.epoch(D);
        Instant now = Instant.ofEpochSecond(d + 40 * DAY);
        try (StoreOnNode node = new StoreOnNode(getClass(), "retention")) {
            Store store = node.open(Clock.fixed(now, ZoneOffset.UTC));
            long april = KitReports.epoch(LocalDate.of(2024, 4, 10));
            // April: wholly old. May: one old (three days, odd counts) and one still young (ends 2 days ago).
            store(store, "april", april, april + DAY, List.of(KitReports.passing(0, "198.51.100.1", 5, "example.com")));
            store(store, "old", d, d + 3 * DAY, List.of(KitReports.passing(0, "203.0.113.5", 11, "example.com"),
                    KitReports.spoofed(1, "192.0.2.66", 5, "example.com")));
            store(store, "young", d + 20 * DAY, d + 38 * DAY, List.of(KitReports.passing(0, "203.0.113.5", 7,
                    "example.com")));
            try (ImportBatch b = store.beginImport(KitReports.source("ruf.eml"))) {
                b.failure(KitReports.failureReport("192.0.2.66", "s", "a@example.com", "<m@x>", Instant.ofEpochSecond(d)));
                b.tls(KitReports.tlsReport("t-old", Instant.ofEpochSecond(d)));
                b.commit();
            }
            assertEquals(28, store.overview().totals(ReportFilter.all()).messages());
            assertEquals(new RetentionResult(0, 0, 0, 0, 0, 0),
                    store.applyRetention(new RetentionPolicy(null, Duration.ofDays(90)), now));

            RetentionResult r = store.applyRetention(new RetentionPolicy(null, Duration.ofDays(30)), now);
            assertEquals(new RetentionResult(0, 2, 3, 1, 1, 3), r);
            assertEquals(7, store.overview().totals(ReportFilter.all()).messages());
            assertEquals(7, store.overview().daily(ReportFilter.all()).stream().mapToLong(x -> x.totals().messages()).sum());
            assertFalse(indexExists(node, node.names.month(Family.RECORDS, april)), "April went as an index");
            assertTrue(indexExists(node, node.names.month(Family.RECORDS, d)), "May keeps its young report");
            assertEquals(1, node.count(Family.RECORDS));
            assertEquals(0, node.count(Family.FAILURES) + node.count(Family.TLS) + node.count(Family.TLS_FAILURES));
            assertEquals(1, node.count(Family.SOURCES));

            RetentionResult raw = store.applyRetention(new RetentionPolicy(Duration.ZERO, null), now.plusSeconds(5));
            assertEquals(new RetentionResult(1, 0, 0, 0, 0, 0), raw);
            assertEquals(0, node.count(Family.RAW));
            assertEquals(7, store.overview().totals(ReportFilter.all()).messages());
        }
    }

    private static boolean indexExists(StoreOnNode node, String index) {
        return node.cluster().send("HEAD", "/" + index, Map.of(), null).ok();
    }
}
