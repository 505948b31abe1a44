package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention: reports older than the policy says are deleted with their records and search documents, and
 * their counts are taken out of every figure exactly (multi-day reports included); raw bytes go by age.
 */
public abstract class RetentionContract extends StoreContract {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long DAY = 86_400;

    @Test
    void oldReportsAreDeletedAndTakenOutOfEveryFigureExactly() throws Exception {
        long d = KitReports.epoch(D);
        Instant now = Instant.ofEpochSecond(d + 40 * DAY);
        // The sources arrive "now" too: raw retention goes by arrival time.
        Store store = open(dir, Clock.fixed(now, ZoneOffset.UTC));
        // Old: a three-day report (odd counts, so the day split must be taken back exactly) ending 37 days
        // before "now"; new: the day before "now".
        List<AggregateRecord> old = List.of(KitReports.passing(0, "203.0.113.5", 11, "example.com"),
                KitReports.spoofed(1, "192.0.2.66", 5, "example.com"));
        List<AggregateRecord> recent = List.of(KitReports.passing(0, "203.0.113.5", 7, "example.com"));
        KitReports.store(store, KitReports.source("old.xml"),
                KitReports.header("google.com", "old", "example.com", d, d + 3 * DAY), old, null);
        KitReports.store(store, KitReports.source("new.xml"),
                KitReports.header("google.com", "new", "example.com", d + 39 * DAY, d + 40 * DAY - 1), recent, null);
        try (ImportBatch b = store.beginImport(KitReports.source("ruf.eml"))) {
            b.failure(KitReports.failureReport("192.0.2.66", "s", "a@example.com", "<m@x>", Instant.ofEpochSecond(d)));
            b.tls(KitReports.tlsReport("t-old", Instant.ofEpochSecond(d)));
            b.commit();
        }
        long oldMessages = ImportContract.messages(old);
        long recentMessages = ImportContract.messages(recent);
        Consistency.assertCountsAgree(store, oldMessages + recentMessages);
        List<ReportSummary> reports = store.reports().reports(ReportFilter.all(), ReportSort.OLDEST, Page.first(5));
        long oldSource = reports.get(0).sourceId();
        long recentSource = reports.get(1).sourceId();

        RetentionResult nothing = store.applyRetention(new RetentionPolicy(null, Duration.ofDays(90)), now);
        assertEquals(new RetentionResult(0, 0, 0, 0, 0, 0), nothing, "nothing is 90 days old");

        RetentionResult r = store.applyRetention(new RetentionPolicy(null, Duration.ofDays(30)), now);
        // The old report's source and the failure/TLS source are referred to by nothing any more.
        assertEquals(new RetentionResult(0, 1, old.size(), 1, 1, 2), r);
        Consistency.assertCountsAgree(store, recentMessages);
        List<DailyTotals> days = store.overview().daily(ReportFilter.all());
        assertTrue(days.stream().allMatch(x -> !x.day().isBefore(D.plusDays(39))), days::toString);
        store.awaitIndexed();
        assertEquals(0, store.search("ip:192.0.2.66", 10).totalHits());
        assertEquals(recent.size(), store.search("ip:203.0.113.5", 10).totalHits());
        assertEquals(0, store.failureReports().failureReports(ReportFilter.all(), Page.first(5)).size());
        assertEquals(0, store.tlsReports().tlsReports(ReportFilter.all(), Page.first(5)).size());
        assertTrue(store.rawSources().rawSource(oldSource).isEmpty(), "its source went with it");

        // Raw bytes go by when they were received; the parsed report stays.
        RawSource source = store.rawSources().rawSource(recentSource).orElseThrow();
        assertTrue(source.available());
        assertEquals(now, source.receivedAt(), "received by the store's clock");
        RetentionResult raw = store.applyRetention(new RetentionPolicy(Duration.ZERO, null), now.plusSeconds(5));
        assertEquals(1, raw.rawSourcesCleared());
        assertEquals(0, raw.aggregateReports());
        Consistency.assertCountsAgree(store, recentMessages);
        assertFalse(store.rawSources().rawSource(recentSource).orElseThrow().available());
        assertFalse(store.rawSources().copyRawSource(recentSource, new ByteArrayOutputStream()));
        assertEquals(1, store.reports().countReports(ReportFilter.all()));
    }

    @Test
    void keepForeverDeletesNothing() {
        Store store = open(dir);
        long d = KitReports.epoch(D);
        List<AggregateRecord> records = List.of(KitReports.passing(0, "203.0.113.5", 11, "example.com"));
        KitReports.store(store, KitReports.source("old.xml"),
                KitReports.header("google.com", "old", "example.com", d, d + DAY - 1), records, null);
        RetentionResult r = store.applyRetention(RetentionPolicy.keepForever(), Instant.ofEpochSecond(d + 10_000 * DAY));
        assertEquals(new RetentionResult(0, 0, 0, 0, 0, 0), r);
        Consistency.assertCountsAgree(store, ImportContract.messages(records));
    }
}
