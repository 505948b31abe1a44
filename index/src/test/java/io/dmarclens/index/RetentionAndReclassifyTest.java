package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionAndReclassifyTest {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long DAY = 86_400;

    @TempDir
    Path dir;

    private long[] sums() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COALESCE(SUM(count), 0) FROM aggregate_record),"
                     + " (SELECT COALESCE(SUM(messages), 0) FROM rollup_daily),"
                     + " (SELECT COALESCE(SUM(messages), 0) FROM rollup_summary),"
                     + " (SELECT COUNT(*) FROM rollup_daily WHERE messages <= 0)"
                     + " + (SELECT COUNT(*) FROM rollup_summary WHERE messages <= 0)")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    @Test
    void retentionDeletesOldReportsAndTakesThemOutOfTheRollupsExactly() throws Exception {
        long d = Fixtures.epoch(D);
        Instant now = Instant.ofEpochSecond(d + 40 * DAY);
        // The sources arrive "now" too: raw retention goes by arrival time.
        try (EmbeddedStore store = EmbeddedStore.open(dir, Clock.fixed(now, ZoneOffset.UTC))) {
            // Old: a three-day report ending 37 days before "now"; new: yesterday.
            Fixtures.store(store, Fixtures.source("old.xml"), Fixtures.header("google.com", "old", "example.com", d,
                    d + 3 * DAY), List.of(Fixtures.passing(0, "203.0.113.5", 11, "example.com"),
                    Fixtures.spoofed(1, "192.0.2.66", 5, "example.com")), null);
            Fixtures.store(store, Fixtures.source("new.xml"), Fixtures.header("google.com", "new", "example.com",
                    d + 39 * DAY, d + 40 * DAY - 1), List.of(Fixtures.passing(0, "203.0.113.5", 7, "example.com")), null);
            var b = store.beginImport(Fixtures.source("ruf.eml"));
            b.failure(Fixtures.failureReport("192.0.2.66", "s", "a@example.com", "<m@x>", Instant.ofEpochSecond(d)));
            b.tls(Fixtures.tlsReport("t-old", Instant.ofEpochSecond(d)));
            b.commit();
            long oldSource = store.reports().reports(ReportFilter.all(), io.dmarclens.store.query.ReportSort.NEWEST,
                    Page.first(5)).get(0).sourceId();

            // Nothing is older than 90 days; only raw bytes older than 0 days go.
            RetentionResult nothing = store.applyRetention(new RetentionPolicy(null, Duration.ofDays(90)), now);
            assertEquals(0, nothing.aggregateReports());

            RetentionResult r = store.applyRetention(new RetentionPolicy(null, Duration.ofDays(30)), now);
            assertEquals(1, r.aggregateReports());
            assertEquals(2, r.records());
            assertEquals(1, r.failureReports());
            assertEquals(1, r.tlsReports());
            assertEquals(2, r.sourceFiles());
            assertArrayEquals(new long[]{7, 7, 7, 0}, sums());
            assertEquals(7, store.overview().totals(ReportFilter.all()).messages());
            assertEquals(0, store.search("ip:192.0.2.66", 10).totalHits());
            assertEquals(1, store.search("ip:203.0.113.5", 10).totalHits());
            assertEquals(0, store.failureReports().failureReports(ReportFilter.all(), Page.first(5)).size());
            // Raw bytes go by when they were received ("now"), the parsed report stays.
            assertTrue(store.rawSources().rawSource(oldSource).orElseThrow().available());
            RetentionResult raw = store.applyRetention(new RetentionPolicy(Duration.ZERO, null), now.plusSeconds(5));
            assertEquals(1, raw.rawSourcesCleared());
            assertEquals(0, raw.aggregateReports());
            assertEquals(7, store.overview().totals(ReportFilter.all()).messages());
            var source = store.rawSources().rawSource(oldSource).orElseThrow();
            assertFalse(source.available());
            assertFalse(store.rawSources().copyRawSource(oldSource, new ByteArrayOutputStream()));
        }
    }

    private static void assertArrayEquals(long[] expected, long[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    @Test
    void updateSenderAndReclassifyMoveCountsBetweenRollupRows() throws Exception {
        long d = Fixtures.epoch(D);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            // A spoofed-looking source over a two-day report (odd count: the split must still be exact).
            Fixtures.store(store, Fixtures.source("a.xml"), Fixtures.header("google.com", "a", "example.com", d,
                    d + 2 * DAY), List.of(Fixtures.spoofed(0, "192.0.2.66", 7, "example.com"),
                    Fixtures.passing(1, "203.0.113.5", 3, "example.com")), null);
            assertEquals(7, store.overview().totals(ReportFilter.all()).threat());

            // Its PTR name arrives later: it is the domain's own mail server, misconfigured.
            SenderInfo own = new SenderInfo("mail.example.com", "example.com", null, null, null, null, null);
            store.updateSender("192.0.2.66", own);
            int changed = store.reclassify("192.0.2.66", facts -> new RecordEnrichment(facts.sender(),
                    facts.current().dkimAligned(), facts.current().spfAligned(), facts.current().dmarcPass(), false,
                    Classification.MISCONFIGURED, "the domain's own server (" + facts.sender().reverseDns() + ") fails alignment"));
            assertEquals(1, changed);

            var totals = store.overview().totals(ReportFilter.all());
            assertEquals(0, totals.threat());
            assertEquals(7, totals.misconfigured());
            assertEquals(4, store.overview().totals(new ReportFilter(D, D, java.util.Set.of(), java.util.Set.of())).misconfigured());
            assertArrayEquals(new long[]{10, 10, 10, 0}, sums());
            SourceStats s = store.sources().sources(ReportFilter.all(), SourceSort.FAILING, Page.first(1)).get(0);
            assertEquals("mail.example.com", s.reverseDns());
            assertEquals("misconfigured", s.classification());
            assertTrue(s.classificationReason().contains("mail.example.com"), s.classificationReason());
            assertEquals(1, store.search("ptr:mail.example.com class:misconfigured", 10).totalHits());
            assertEquals(0, store.search("class:threat", 10).totalHits());

            // A known value is never replaced by an unknown one.
            store.updateSender("192.0.2.66", SenderInfo.UNKNOWN);
            assertEquals("mail.example.com", store.sources().sender("192.0.2.66").reverseDns());
            // Same verdict again changes nothing.
            assertEquals(0, store.reclassify("192.0.2.66", facts -> facts.current()));
        }
    }

    @Test
    void ptrCacheHonoursExpiry() {
        Instant now = Instant.ofEpochSecond(Fixtures.epoch(D));
        try (EmbeddedStore store = EmbeddedStore.open(dir, Clock.fixed(now, ZoneOffset.UTC))) {
            store.cachePtr("203.0.113.5", "mail.example.com", now.plusSeconds(3600));
            store.cachePtr("192.0.2.1", null, now.plusSeconds(3600));
            store.cachePtr("192.0.2.2", "gone.example", now.minusSeconds(1));
            assertEquals(Optional.of("mail.example.com"), store.cachedPtr("203.0.113.5").map(PtrCacheEntry::name));
            assertTrue(store.cachedPtr("192.0.2.1").isPresent());
            assertEquals(null, store.cachedPtr("192.0.2.1").get().name());
            assertTrue(store.cachedPtr("192.0.2.2").isEmpty());
            assertTrue(store.cachedPtr("198.51.100.1").isEmpty());
        }
    }
}
