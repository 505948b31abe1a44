package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Enrichment after the import: what becomes known about a source ({@link Store#updateSender}), classifying
 * its records again with the counts moved exactly ({@link Store#reclassify}), and the reverse DNS cache.
 */
public abstract class EnrichmentContract extends StoreContract {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long DAY = 86_400;

    @Test
    void updateSenderAndReclassifyMoveCountsExactly() throws Exception {
        long d = KitReports.epoch(D);
        Store store = open(dir);
        // A spoofed-looking source over a two-day report (odd count: the split must still be exact).
        AggregateRecord spoofed = KitReports.spoofed(0, "192.0.2.66", 7, "example.com");
        AggregateRecord passing = KitReports.passing(1, "203.0.113.5", 3, "example.com");
        KitReports.store(store, KitReports.source("a.xml"), KitReports.header("google.com", "a", "example.com", d,
                d + 2 * DAY), List.of(spoofed, passing), null);
        long firstDay = store.overview().totals(ReportFilter.all().withRange(D, D)).threat();
        assertEquals(spoofed.count(), store.overview().totals(ReportFilter.all()).threat());

        // Its PTR name arrives later: it is the domain's own mail server, misconfigured.
        SenderInfo own = new SenderInfo("mail.example.com", "example.com", null, null, null, null, null);
        store.updateSender("192.0.2.66", own);
        assertEquals("mail.example.com", store.sources().sender("192.0.2.66").reverseDns());
        int changed = store.reclassify("192.0.2.66", facts -> new RecordEnrichment(facts.sender(),
                facts.current().dkimAligned(), facts.current().spfAligned(), facts.current().dmarcPass(), false,
                Classification.MISCONFIGURED, "the domain's own server (" + facts.sender().reverseDns() + ") fails alignment"));
        assertEquals(1, changed);

        var totals = store.overview().totals(ReportFilter.all());
        assertEquals(0, totals.threat());
        assertEquals(spoofed.count(), totals.misconfigured());
        assertEquals(firstDay, store.overview().totals(ReportFilter.all().withRange(D, D)).misconfigured(),
                "each day's share moved, not the whole count to one day");
        Consistency.assertCountsAgree(store, spoofed.count() + passing.count());
        SourceStats s = store.sources().sources(ReportFilter.all(), SourceSort.FAILING, Page.first(1)).get(0);
        assertEquals("mail.example.com", s.reverseDns());
        assertEquals("misconfigured", s.classification());
        assertTrue(s.classificationReason().contains("mail.example.com"), s.classificationReason());
        store.awaitIndexed();
        assertEquals(1, store.search("ptr:mail.example.com class:misconfigured", 10).totalHits());
        assertEquals(0, store.search("class:threat", 10).totalHits());

        // A known value is never replaced by an unknown one.
        store.updateSender("192.0.2.66", SenderInfo.UNKNOWN);
        assertEquals("mail.example.com", store.sources().sender("192.0.2.66").reverseDns());
        // Same verdict again changes nothing.
        assertEquals(0, store.reclassify("192.0.2.66", facts -> facts.current()));
        assertEquals(totals, store.overview().totals(ReportFilter.all()));
    }

    @Test
    void ptrCacheHonoursExpiry() {
        Instant now = Instant.ofEpochSecond(KitReports.epoch(D));
        Store store = open(dir, Clock.fixed(now, ZoneOffset.UTC));
        store.cachePtr("203.0.113.5", "mail.example.com", now.plusSeconds(3600));
        store.cachePtr("192.0.2.1", null, now.plusSeconds(3600));
        store.cachePtr("192.0.2.2", "gone.example", now.minusSeconds(1));
        assertEquals(Optional.of("mail.example.com"), store.cachedPtr("203.0.113.5").map(PtrCacheEntry::name));
        assertTrue(store.cachedPtr("192.0.2.1").isPresent());
        assertEquals(null, store.cachedPtr("192.0.2.1").get().name(), "no PTR record is an answer too");
        assertTrue(store.cachedPtr("192.0.2.2").isEmpty(), "expired by the store's clock");
        assertTrue(store.cachedPtr("198.51.100.1").isEmpty());
    }
}
