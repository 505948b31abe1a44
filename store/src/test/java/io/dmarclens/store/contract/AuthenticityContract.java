package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.util.ArrayList;
import java.util.Map;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyPeriod;
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

    @Test
    void aForgedReportCannotShowAPolicyTheDomainNeverPublishedWhenUnverifiedReportsAreLeftOut() {
        Store store = open(dir);
        long d = KitReports.epoch(D);
        store(store, "genuine-1", d, Authenticity.verified("DKIM signature of google.com"), 3, Disposition.REJECT);
        store(store, "forged", d + 2 * DAY, Authenticity.unverified("no DKIM signature"), 1000, Disposition.NONE);
        store(store, "genuine-2", d + 4 * DAY, Authenticity.verified("DKIM signature of google.com"), 3,
                Disposition.REJECT);
        assertEquals(List.of("reject", "none", "reject"), store.domains().policyHistory("example.com").stream()
                .map(PolicyPeriod::p).toList());
        List<PolicyPeriod> trusted = store.domains().policyHistory("example.com", true);
        assertEquals(List.of("reject"), trusted.stream().map(PolicyPeriod::p).toList());
        assertEquals(2, trusted.get(0).reports());
    }

    @Test
    void failureReportsKeepTheirVerdictAndTheSettingLeavesUnverifiedOnesOut() {
        Store store = open(dir);
        Instant arrival = Instant.ofEpochSecond(KitReports.epoch(D) + 3_600);
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf-signed.eml"))) {
            batch.failure(KitReports.failureReport("192.0.2.10", "genuine", "a@example.com", "<1@example.com>", arrival),
                    Authenticity.verified("DKIM signature of yahoo.com"));
            batch.commit();
        }
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf-forged.eml"))) {
            batch.failure(KitReports.failureReport("192.0.2.11", "forged", "b@example.com", "<2@example.com>",
                    arrival.plusSeconds(60)), Authenticity.unverified("no DKIM signature"));
            batch.commit();
        }
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf-by-hand.eml"))) {
            batch.failure(KitReports.failureReport("192.0.2.12", "by hand", "c@example.com", "<3@example.com>",
                    arrival.plusSeconds(120))); // the one-argument call: a file imported by hand
            batch.commit();
        }
        ReportFilter all = ReportFilter.all();
        List<FailureRow> rows = store.failureReports().failureReports(all, Page.first(10));
        // Newest first: by hand, forged, genuine.
        assertEquals(List.of(Authenticity.imported(), Authenticity.unverified("no DKIM signature"),
                Authenticity.verified("DKIM signature of yahoo.com")), rows.stream().map(FailureRow::authenticity).toList());
        assertEquals(Authenticity.unverified("no DKIM signature"),
                store.failureReports().failureReport(rows.get(1).id()).orElseThrow().authenticity());

        List<FailureRow> trusted = store.failureReports().failureReports(all.excludingUnverified(true), Page.first(10));
        assertEquals(List.of("192.0.2.12", "192.0.2.10"), trusted.stream().map(FailureRow::sourceIp).toList());
        List<FailureRow> exported = new ArrayList<>();
        store.failureReports().exportFailureReports(all.excludingUnverified(true), exported::add);
        assertEquals(List.of("192.0.2.12", "192.0.2.10"), exported.stream().map(FailureRow::sourceIp).toList());
        assertEquals(Map.of(Authenticity.Verdict.VERIFIED, 1L, Authenticity.Verdict.UNVERIFIED, 1L,
                Authenticity.Verdict.IMPORTED, 1L, Authenticity.Verdict.NOT_CHECKED, 0L),
                store.failureReports().countByVerdict());
    }

    @Test
    void tlsReportsKeepTheirVerdictAndTheSettingLeavesUnverifiedOnesOut() {
        Store store = open(dir);
        Instant day = Instant.ofEpochSecond(KitReports.epoch(D));
        storeTls(store, "tls-genuine", day, Authenticity.verified("DKIM signature of google.com"));
        storeTls(store, "tls-forged", day.plusSeconds(86_400), Authenticity.unverified("no DKIM signature"));
        try (ImportBatch batch = store.beginImport(KitReports.source("tls-by-hand.json"))) {
            batch.tls(KitReports.tlsReport("tls-by-hand", day.plusSeconds(2 * 86_400)));
            batch.commit();
        }
        ReportFilter all = ReportFilter.all();
        List<TlsReportSummary> reports = store.tlsReports().tlsReports(all, Page.first(10));
        assertEquals(List.of(Authenticity.imported(), Authenticity.unverified("no DKIM signature"),
                Authenticity.verified("DKIM signature of google.com")),
                reports.stream().map(TlsReportSummary::authenticity).toList());
        TlsReportDetail forged = store.tlsReports().tlsReport(reports.get(1).id()).orElseThrow();
        assertEquals(Authenticity.Verdict.UNVERIFIED, forged.summary().authenticity().verdict());
        assertEquals(Authenticity.Verdict.UNVERIFIED,
                forged.policies().get(0).failures().get(0).authenticity().verdict());

        assertEquals(List.of("tls-by-hand", "tls-genuine"), store.tlsReports()
                .tlsReports(all.excludingUnverified(true), Page.first(10)).stream().map(TlsReportSummary::reportId).toList());
        List<TlsFailureRow> failures = new ArrayList<>();
        store.tlsReports().exportTlsFailures(all.excludingUnverified(true), failures::add);
        assertEquals(List.of("tls-genuine", "tls-by-hand"), failures.stream().map(TlsFailureRow::reportId).toList());
        failures.clear();
        store.tlsReports().exportTlsFailures(all, failures::add);
        assertEquals(3, failures.size());
        assertEquals(Map.of(Authenticity.Verdict.VERIFIED, 1L, Authenticity.Verdict.UNVERIFIED, 1L,
                Authenticity.Verdict.IMPORTED, 1L, Authenticity.Verdict.NOT_CHECKED, 0L),
                store.tlsReports().countByVerdict());
    }

    @Test
    void aSignedTlsReportReplacesAnUnverifiedCopyOfTheSameIdentityAndNotTheOtherWayRound() {
        Store store = open(dir);
        Instant day = Instant.ofEpochSecond(KitReports.epoch(D));
        // A forgery mailed first under the real report's identity (organisation, report id, dates)...
        storeTls(store, "same-id", day, Authenticity.unverified("no DKIM signature"));
        // ...does not keep the signed report out, and a later unsigned copy does not replace the signed one.
        assertEquals(1, storeTls(store, "same-id", day, Authenticity.verified("DKIM signature of google.com"))
                .tlsReports());
        assertEquals(0, storeTls(store, "same-id", day, Authenticity.unverified("no DKIM signature")).tlsReports());
        List<TlsReportSummary> reports = store.tlsReports().tlsReports(ReportFilter.all(), Page.first(10));
        assertEquals(1, reports.size());
        assertEquals(Authenticity.Verdict.VERIFIED, reports.get(0).authenticity().verdict());
        List<TlsFailureRow> failures = new ArrayList<>();
        store.tlsReports().exportTlsFailures(ReportFilter.all(), failures::add);
        assertEquals(1, failures.size());
    }

    @Test
    void theForwardingListLeavesTheOverrideReasonsOfUnverifiedReportsOut() {
        Store store = open(dir);
        long d = KitReports.epoch(D);
        AggregateRecord genuine = KitReports.forwarded(0, "192.0.2.80", 5, "example.com");
        // The forgery puts 1,000 messages and a reason no genuine report gave on the same forwarder.
        AggregateRecord forged = new AggregateRecord(0, "192.0.2.80", 1000, Disposition.NONE, DmarcResult.PASS,
                DmarcResult.FAIL, List.of(new PolicyOverrideReason(PolicyOverride.TRUSTED_FORWARDER, "trusted_forwarder",
                "forged")), "example.com", "lists.example.org", "example.net", genuine.dkimResults(),
                genuine.spfResults());
        storeRecord(store, "genuine", d, Authenticity.verified("DKIM signature of google.com"), genuine);
        storeRecord(store, "forged", d, Authenticity.unverified("no DKIM signature"), forged);

        ReportFilter range = new ReportFilter(D, D.plusDays(2), Set.of(), Set.of());
        ForwardingSource all = store.forwarding().forwardingSources(range, Page.first(5)).get(0);
        assertEquals(1005, all.messages());
        assertEquals(List.of("forwarded", "trusted_forwarder"), all.overrideReasons());
        ForwardingSource trusted = store.forwarding().forwardingSources(range.excludingUnverified(true), Page.first(5))
                .get(0);
        assertEquals(5, trusted.messages());
        assertEquals(List.of("forwarded"), trusted.overrideReasons());
        // With a domain filter the list takes the other path through the rollups: the same answers.
        ReportFilter byDomain = range.withDomains(Set.of("example.com"));
        assertEquals(all, store.forwarding().forwardingSources(byDomain, Page.first(5)).get(0));
        assertEquals(trusted, store.forwarding().forwardingSources(byDomain.excludingUnverified(true), Page.first(5))
                .get(0));
    }

    @Test
    void searchLeavesTheRecordsAndReportsOfUnverifiedOriginOutWhenAsked() throws SearchSyntaxException {
        Store store = open(dir);
        long d = KitReports.epoch(D);
        storeRecord(store, "genuine", d, Authenticity.verified("DKIM signature of google.com"),
                KitReports.passing(0, "192.0.2.90", 3, "example.com"));
        storeRecord(store, "forged", d, Authenticity.unverified("no DKIM signature"),
                KitReports.passing(0, "192.0.2.91", 100_000, "example.com"));
        Instant arrival = Instant.ofEpochSecond(d + 3_600);
        try (ImportBatch batch = store.beginImport(KitReports.source("ruf-forged.eml"))) {
            batch.failure(KitReports.failureReport("192.0.2.92", "forged", "b@example.com", "<2@example.com>", arrival),
                    Authenticity.unverified("no DKIM signature"));
            batch.commit();
        }
        storeTls(store, "tls-forged", Instant.ofEpochSecond(d), Authenticity.unverified("no DKIM signature"));
        store.awaitIndexed();

        assertEquals(2, store.search("ip:192.0.2.90 OR ip:192.0.2.91", 10).totalHits());
        SearchResults trusted = store.search("ip:192.0.2.90 OR ip:192.0.2.91", 10, true);
        assertEquals(1, trusted.totalHits());
        RecordRow hit = store.reports().records(List.of(trusted.hits().get(0).id())).get(0);
        assertEquals("192.0.2.90", hit.sourceIp());
        assertEquals(Authenticity.Verdict.VERIFIED, hit.authenticity().verdict());
        RecordRow forgedRow = store.reports().records(
                List.of(store.search("ip:192.0.2.91", 10).hits().get(0).id())).get(0);
        assertEquals(Authenticity.Verdict.UNVERIFIED, forgedRow.authenticity().verdict());

        assertEquals(1, store.search("ip:192.0.2.92", 10).totalHits());
        assertEquals(0, store.search("ip:192.0.2.92", 10, true).totalHits());
        assertEquals(1, store.search("result:certificate-expired", 10).totalHits());
        assertEquals(0, store.search("result:certificate-expired", 10, true).totalHits());
        // The verdict is a field of its own too.
        assertEquals(2, store.search("origin:unverified AND NOT kind:record", 10).totalHits());
        assertEquals(1, store.search("origin:verified", 10).totalHits());
    }

    private static ImportResult storeTls(Store store, String id, Instant start, Authenticity authenticity) {
        try (ImportBatch batch = store.beginImport(KitReports.source(id + "-" + authenticity.verdict().code() + ".json"))) {
            batch.tls(KitReports.tlsReport(id, start), authenticity);
            return batch.commit();
        }
    }

    private static void storeRecord(Store store, String id, long begin, Authenticity authenticity, AggregateRecord r) {
        try (ImportBatch batch = store.beginImport(KitReports.source(id + "-" + r.count() + ".xml"))) {
            if (batch.beginAggregate(KitReports.header("google.com", id, "example.com", begin, begin + DAY), authenticity)) {
                batch.record(r, KitReports.enrichment(r, null));
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }

    private static void store(Store store, String id, long begin, Authenticity authenticity, long count) {
        store(store, id, begin, authenticity, count, Disposition.NONE);
    }

    private static void store(Store store, String id, long begin, Authenticity authenticity, long count,
                              Disposition policy) {
        try (ImportBatch batch = store.beginImport(KitReports.source(id + "-" + count + ".xml"))) {
            if (batch.beginAggregate(KitReports.header("google.com", id, "example.com", begin, begin + 2 * DAY,
                    policy), authenticity)) {
                AggregateRecord r = KitReports.spoofed(0, "192.0.2.66", count, "example.com");
                batch.record(r, KitReports.enrichment(r, null));
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }
}
