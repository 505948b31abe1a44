package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.retention.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Report authenticity: the verdict on a report's origin is kept with it, and the figures that leave
 * unverified reports out ({@link ReportFilter#excludeUnverified()}) stay exact through re-classification
 * and retention, which move a report's shares between rollup rows, whatever path a query takes.
 */
public abstract class AuthenticityContract extends StoreContract {
    private static final LocalDate D = LocalDate.of(2024, 5, 1);
    private static final long DAY = 86_400;

    @Test
    void unverifiedReportsStayApartThroughReclassificationAndRetention() {
        long d = KitReports.epoch(D);
        Instant now = Instant.ofEpochSecond(d + 40 * DAY);
        Store store = open(dir, Clock.fixed(now, ZoneOffset.UTC));
        // The same source in a verified report (3 messages) and in a forged one (1,000), on the same days...
        long recent = d + 37 * DAY;
        store(store, "genuine", recent, Authenticity.verified("DKIM signature of google.com"), 3);
        store(store, "forged", recent, Authenticity.unverified("no DKIM signature"), 1000);
        // ...and an old forged report that retention takes out.
        store(store, "old", d, Authenticity.unverified("no DKIM signature"), 50);

        ReportFilter all = ReportFilter.all();
        ReportFilter trusted = all.excludingUnverified(true);
        assertEquals(1053, store.overview().totals(all).messages());
        assertEquals(3, store.overview().totals(trusted).messages());
        assertEquals(2L, store.reports().countByVerdict().get(Authenticity.Verdict.UNVERIFIED));
        assertEquals(Authenticity.unverified("no DKIM signature"), store.reports().reports(
                new ReportFilter(D.plusDays(37), D.plusDays(38), Set.of(), Set.of()), ReportSort.MOST_MESSAGES,
                Page.first(1)).get(0).authenticity());
        assertEquals(1, store.reports().countReports(trusted));

        int changed = store.reclassify("192.0.2.66", facts -> new RecordEnrichment(facts.sender(),
                facts.current().dkimAligned(), facts.current().spfAligned(), facts.current().dmarcPass(), false,
                Classification.MISCONFIGURED, "re-classified"));
        assertEquals(3, changed);
        assertEquals(3, store.overview().totals(trusted).misconfigured());
        assertEquals(1053, store.overview().totals(all).misconfigured());
        assertEquals(1053, store.sources().sources(all, SourceSort.MESSAGES, Page.first(5)).get(0).messages());
        assertEquals(3, store.sources().sources(trusted, SourceSort.MESSAGES, Page.first(5)).get(0).messages());
        assertEquals(1, store.sources().countSources(trusted));

        store.applyRetention(new RetentionPolicy(null, Duration.ofDays(30)), now);
        assertEquals(1003, store.overview().totals(all).messages());
        assertEquals(3, store.overview().totals(trusted).messages());
        assertEquals(1L, store.reports().countByVerdict().get(Authenticity.Verdict.UNVERIFIED));
    }

    @Test
    void aSignedReportReplacesAnUnverifiedCopyOfTheSameIdentityAndNotTheOtherWayRound() {
        Store store = open(dir);
        long d = KitReports.epoch(D);
        store(store, "same-id", d, Authenticity.unverified("no DKIM signature"), 1000);
        store(store, "same-id", d, Authenticity.verified("DKIM signature of google.com"), 3);
        store(store, "same-id", d, Authenticity.unverified("no DKIM signature"), 500);
        assertEquals(1, store.reports().countReports(ReportFilter.all()));
        assertEquals(Authenticity.Verdict.VERIFIED, store.reports().reports(ReportFilter.all(), ReportSort.NEWEST,
                Page.first(1)).get(0).authenticity().verdict());
        assertEquals(3, store.overview().totals(ReportFilter.all()).messages());
    }

    private static void store(Store store, String id, long begin, Authenticity authenticity, long count) {
        try (ImportBatch batch = store.beginImport(KitReports.source(id + "-" + count + ".xml"))) {
            if (batch.beginAggregate(KitReports.header("google.com", id, "example.com", begin, begin + 2 * DAY),
                    authenticity)) {
                AggregateRecord r = KitReports.spoofed(0, "192.0.2.66", count, "example.com");
                batch.record(r, KitReports.enrichment(r, null));
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }
}
