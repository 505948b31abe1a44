package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every query of the read models over a small store whose figures are worked out by hand (in the
 * comments): multi-day reports split over their days, filters, paging, sort orders, policy history.
 */
public abstract class QueriesContract extends StoreContract {
    static final LocalDate D = LocalDate.of(2024, 5, 1);
    static final long DAY = 86_400;

    Store store;
    SourceFile googleSource;

    @BeforeEach
    void fill() {
        store = open(dir);
        long d = KitReports.epoch(D);
        googleSource = SourceFile.of("google.xml.gz", "file", "raw google report bytes".getBytes(StandardCharsets.UTF_8));
        // A: Google, one day.
        ImportBatch a = store.beginImport(googleSource);
        assertTrue(a.beginAggregate(KitReports.header("google.com", "a-1", "example.com", d, d + DAY - 1)));
        a.record(KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                KitReports.enrichment(KitReports.passing(0, "203.0.113.5", 10, "example.com"), KitReports.GOOGLE));
        a.record(KitReports.forwarded(1, "198.51.100.7", 3, "example.com"),
                KitReports.enrichment(KitReports.forwarded(1, "198.51.100.7", 3, "example.com"), null));
        a.record(KitReports.spoofed(2, "192.0.2.66", 4, "example.com"),
                KitReports.enrichment(KitReports.spoofed(2, "192.0.2.66", 4, "example.com"), null));
        a.endAggregate(List.of(new ParseWarning("record 2 auth_results/spf/result", "legacy word 'hardfail' read as fail")));
        assertTrue(a.failure(KitReports.failureReport("192.0.2.66", "Invoice overdue", "Billing <billing@example.com>",
                "<abc123@evil.example>", Instant.ofEpochSecond(d + 3600))));
        assertTrue(a.tls(KitReports.tlsReport("tls-1", Instant.ofEpochSecond(d))));
        a.commit();
        // B: Microsoft, three days (end exclusive).
        KitReports.store(store, KitReports.source("ms.xml"), KitReports.header("Microsoft Corporation", "b-1", "example.com",
                d + DAY, d + 4 * DAY), List.of(KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                KitReports.spoofed(1, "2001:db8::66", 2, "example.com")), null);
        // C: Yahoo, other.org, p=reject.
        KitReports.store(store, KitReports.source("yahoo.xml"), KitReports.header("Yahoo", "c-1", "other.org", d + DAY,
                d + 2 * DAY - 1, Disposition.REJECT), List.of(KitReports.spoofed(0, "192.0.2.66", 5, "other.org")), null);
        // D: Google again for example.com, later, with p=quarantine.
        KitReports.store(store, KitReports.source("google2.xml"), KitReports.header("google.com", "d-1", "example.com",
                d + 10 * DAY, d + 11 * DAY - 1, Disposition.QUARANTINE),
                List.of(KitReports.passing(0, "203.0.113.9", 1, "example.com")), null);
    }

    @Test
    void totalsAndDailySeriesSumExactlyAcrossMultiDayReports() throws Exception {
        Totals t = store.overview().totals(ReportFilter.all());
        assertEquals(35, t.messages());
        assertEquals(24, t.dmarcPass());
        assertEquals(11, t.dmarcFail());
        assertEquals(24, t.dkimAligned());
        assertEquals(21, t.spfAligned());
        assertEquals(11, t.dispositionReject());
        assertEquals(24, t.dispositionNone());
        assertEquals(21, t.compliant());
        assertEquals(3, t.forwarded());
        assertEquals(11, t.threat());

        List<DailyTotals> days = store.overview().daily(ReportFilter.all());
        List<Long> perDay = days.stream().map(x -> x.totals().messages()).toList();
        assertEquals(List.of(D, D.plusDays(1), D.plusDays(2), D.plusDays(3), D.plusDays(10)),
                days.stream().map(DailyTotals::day).toList());
        // B's 10 split 4/3/3 and its 2 split 1/1/0; C's 5 on D+1.
        assertEquals(List.of(17L, 10L, 4L, 3L, 1L), perDay);

        // Every figure equals the records, per source IP as well.
        Consistency.assertCountsAgree(store, 35);
        java.util.Map<String, Long> perSource = new java.util.TreeMap<>();
        store.reports().exportRecords(ReportFilter.all(), r -> perSource.merge(r.sourceIp(), r.count(), Long::sum));
        java.util.Map<String, Long> sources = new java.util.TreeMap<>();
        store.sources().allSources(ReportFilter.all(), x -> sources.put(x.ip(), x.messages()));
        assertEquals(5, sources.size());
        assertEquals(perSource, sources);
    }

    @Test
    void filtersByDaysDomainsAndReporters() {
        assertEquals(17, store.overview().totals(new ReportFilter(D, D, Set.of(), Set.of())).messages());
        assertEquals(5, store.overview().totals(ReportFilter.all().withDomains(Set.of("OTHER.org"))).messages());
        assertEquals(12, store.overview().totals(ReportFilter.all().withReporters(Set.of("Microsoft Corporation"))).messages());
        assertEquals(7, store.overview().totals(new ReportFilter(D.plusDays(2), D.plusDays(3), Set.of("example.com"), Set.of())).messages());
        assertEquals(0, store.overview().totals(new ReportFilter(D.plusDays(20), null, Set.of(), Set.of())).messages());
        assertEquals(List.of(), store.overview().daily(ReportFilter.all().withDomains(Set.of("nothing.example"))));
    }

    @Test
    void aSourceShowsTheReasonOfItsLatestStoredRecordOfItsClassification() {
        long d = KitReports.epoch(D);
        // Stored last but dated first: "latest" is the order of storing, as the embedded store's record ids.
        ImportBatch e = store.beginImport(KitReports.source("late.xml"));
        assertTrue(e.beginAggregate(KitReports.header("google.com", "e-1", "example.com", d - 30 * DAY, d - 29 * DAY - 1)));
        for (int i = 0; i < 3; i++) {
            var r = KitReports.passing(i, "203.0.113.5", 1, "example.com");
            var en = KitReports.enrichment(r, KitReports.GOOGLE);
            // Within one report the last record wins.
            e.record(r, new io.dmarclens.store.enrichment.RecordEnrichment(en.sender(), en.dkimAligned(),
                    en.spfAligned(), en.dmarcPass(), false, en.classification(), "late reason " + i));
        }
        e.endAggregate(List.of());
        e.commit();
        // Later still, a record of another classification for the same source: not its reason (it stays compliant).
        ImportBatch f = store.beginImport(KitReports.source("later.xml"));
        assertTrue(f.beginAggregate(KitReports.header("Yahoo", "f-1", "example.com", d - 60 * DAY, d - 59 * DAY - 1)));
        var spoof = KitReports.spoofed(0, "203.0.113.5", 1, "example.com");
        var sen = KitReports.enrichment(spoof, null);
        f.record(spoof, new io.dmarclens.store.enrichment.RecordEnrichment(sen.sender(), false, false, false, false,
                sen.classification(), "a threat, later"));
        f.endAggregate(List.of());
        f.commit();

        for (SourceStats s : List.of(
                store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, Page.first(10)).get(0),
                store.sources().sources(new ReportFilter(D, D.plusDays(20), Set.of(), Set.of()), SourceSort.MESSAGES,
                        Page.first(10)).get(0))) {
            assertEquals("203.0.113.5", s.ip());
            assertEquals("compliant", s.classification());
            assertEquals("late reason 2", s.classificationReason(), "whatever the range: the latest stored record");
        }
        SourceStats failing = store.sources().failingSources(ReportFilter.all(), Page.first(10)).stream()
                .filter(x -> x.ip().equals("203.0.113.5")).findFirst().orElseThrow();
        assertEquals(1, failing.dmarcFail());
        assertEquals("late reason 2", failing.classificationReason());
    }

    @Test
    void topSourcesWithSenderAndClassification() {
        List<SourceStats> top = store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, Page.first(10));
        assertEquals(List.of("203.0.113.5", "192.0.2.66", "198.51.100.7", "2001:db8::66", "203.0.113.9"),
                top.stream().map(SourceStats::ip).toList());
        SourceStats google = top.get(0);
        assertEquals(20, google.messages());
        assertEquals(20, google.dmarcPass());
        assertEquals("Google", google.senderName());
        assertEquals("mail-yw1-f170.google.com", google.reverseDns());
        assertEquals(15169L, google.asn());
        assertEquals("compliant", google.classification());
        assertEquals("DMARC pass", google.classificationReason());
        assertEquals("threat", top.get(1).classification());
        assertEquals(9, top.get(1).dmarcFail());

        assertEquals(List.of("192.0.2.66", "2001:db8::66"),
                store.sources().failingSources(ReportFilter.all(), Page.first(10)).stream().map(SourceStats::ip).toList());
        assertEquals(List.of("198.51.100.7"), store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, new Page(2, 1))
                .stream().map(SourceStats::ip).toList());
        assertEquals("192.0.2.66", store.sources().sources(ReportFilter.all(), SourceSort.PASS_RATE, Page.first(1)).get(0).ip());

        List<SourceStats> all = new ArrayList<>();
        store.sources().allSources(ReportFilter.all().withDomains(Set.of("example.com")), all::add);
        assertEquals(5, all.size());
        assertEquals(4, all.stream().filter(s -> s.ip().equals("192.0.2.66")).findFirst().orElseThrow().messages());
    }

    @Test
    void reportersWithGaps() {
        List<ReporterStats> reporters = store.reporters().reporters(ReportFilter.all(), Page.first(10));
        assertEquals(3, reporters.size());
        ReporterStats google = reporters.get(0);
        assertEquals("google.com", google.reporter());
        assertEquals(2, google.reports());
        assertEquals(18, google.messages());
        assertEquals(Instant.ofEpochSecond(KitReports.epoch(D)), google.firstSeen());
        assertEquals(Instant.ofEpochSecond(KitReports.epoch(D.plusDays(11)) - 1), google.lastSeen());
        assertEquals(2, google.daysCovered());
        assertEquals(9, google.missingDays());
        // One report over three days covers them all: no gap, though no report began on the last two.
        ReporterStats ms = reporters.stream().filter(r -> r.reporter().startsWith("Microsoft")).findFirst().orElseThrow();
        assertEquals(3, ms.daysCovered());
        assertEquals(0, ms.missingDays());
    }

    @Test
    void forwardingSourcesAndSeries() {
        List<ForwardingSource> fwd = store.forwarding().forwardingSources(ReportFilter.all(), Page.first(10));
        assertEquals(1, fwd.size());
        assertEquals("198.51.100.7", fwd.get(0).ip());
        assertEquals(3, fwd.get(0).messages());
        assertEquals(3, fwd.get(0).dkimSurvived());
        assertEquals(List.of("forwarded"), fwd.get(0).overrideReasons());
        assertEquals(List.of(new DailyForwarding(D, 3, 3)), store.forwarding().forwardingDaily(ReportFilter.all()));
    }

    @Test
    void policyHistoryAndImpact() {
        List<PolicyPeriod> history = store.domains().policyHistory("Example.com");
        assertEquals(2, history.size());
        assertEquals("none", history.get(0).p());
        assertEquals(2, history.get(0).reports());
        assertEquals("quarantine", history.get(1).p());
        assertEquals("r", history.get(1).adkim());
        assertEquals(100, history.get(1).pct());

        List<PolicyImpact> impact = store.domains().policyImpact(ReportFilter.all());
        assertEquals(List.of("example.com", "other.org"), impact.stream().map(PolicyImpact::domain).toList());
        PolicyImpact ex = impact.get(0);
        assertEquals("quarantine", ex.currentPolicy());
        assertEquals(30, ex.messages());
        assertEquals(6, ex.failing());
        assertEquals(6, ex.failingThreat());
        assertEquals(0, ex.failingForwarded());
        assertEquals(6, ex.alreadyRejected());
        assertEquals(5, impact.get(1).failing());
    }

    @Test
    void reportersLeavingOutDefaultsDoNotSplitThePolicyHistory() {
        long d = KitReports.epoch(D.plusDays(20));
        // The same published policy (p=reject, sp and alignment by default, pct 100), reported in turn by a
        // reporter that writes every field and one that leaves the defaults out.
        for (int day = 0; day < 6; day++) {
            long begin = d + day * DAY;
            boolean terse = day % 2 == 1;
            var full = KitReports.header(terse ? "terse.example" : "google.com", "p-" + day, "policy.example", begin,
                    begin + DAY - 1, io.dmarclens.parser.aggregate.Disposition.REJECT);
            var pp = full.policy();
            var policy = terse ? new io.dmarclens.parser.aggregate.PolicyPublished(pp.domain(), pp.p(), null, null,
                    null, null, null, null, null, null) : pp;
            KitReports.store(store, KitReports.source("p" + day + ".xml"), new io.dmarclens.parser.aggregate.AggregateHeader(
                    full.source(), full.version(), full.namespace(), full.metadata(), policy),
                    List.of(KitReports.passing(0, "203.0.113.5", 1, "policy.example")), null);
        }
        List<PolicyPeriod> history = store.domains().policyHistory("policy.example");
        assertEquals(1, history.size(), history.toString());
        PolicyPeriod period = history.get(0);
        assertEquals(List.of("reject", "reject", "r", "r", 100, 6L), List.of(period.p(), period.sp(), period.adkim(),
                period.aspf(), period.pct(), period.reports()));
    }

    @Test
    void policyHistoryFollowsWhatMostReportsOfADaySaw() {
        long d = KitReports.epoch(D.plusDays(40));
        int n = 0;
        for (int day = 0; day < 9; day++) {
            var policy = day < 6 ? io.dmarclens.parser.aggregate.Disposition.QUARANTINE
                    : io.dmarclens.parser.aggregate.Disposition.REJECT;
            List<String> reporters = new java.util.ArrayList<>(List.of("google.com", "Yahoo"));
            for (String reporter : reporters) {
                storePolicyReport(reporter, "h-" + n++, d + day * DAY, policy);
            }
            if (day == 2) { // a stray reporter sees something else
                storePolicyReport("stray.example", "h-" + n++, d + day * DAY, io.dmarclens.parser.aggregate.Disposition.REJECT);
            }
            if (day == 6) { // one still sees the old record the day it changed
                storePolicyReport("slow.example", "h-" + n++, d + day * DAY, io.dmarclens.parser.aggregate.Disposition.QUARANTINE);
            }
        }
        List<PolicyPeriod> history = store.domains().policyHistory("flip.example");
        assertEquals(List.of("quarantine", "reject"), history.stream().map(PolicyPeriod::p).toList(), history.toString());
        assertEquals(List.of(12L, 6L), history.stream().map(PolicyPeriod::reports).toList());
        assertEquals(List.of(1L, 1L), history.stream().map(PolicyPeriod::otherReports).toList());
        assertEquals(Instant.ofEpochSecond(d + 6 * DAY), history.get(1).firstSeen());
    }

    private void storePolicyReport(String reporter, String id, long begin, io.dmarclens.parser.aggregate.Disposition p) {
        KitReports.store(store, KitReports.source(id + ".xml"), KitReports.header(reporter, id, "flip.example", begin,
                begin + DAY - 1, p), List.of(KitReports.passing(0, "203.0.113.5", 1, "flip.example")), null);
    }

    @Test
    void reportListsDetailsRecordsAndRawSource() {
        assertEquals(4, store.reports().countReports(ReportFilter.all()));
        List<ReportSummary> newest = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(10));
        // b-1 and c-1 begin together: the later stored comes first.
        assertEquals(List.of("d-1", "c-1", "b-1", "a-1"), newest.stream().map(ReportSummary::reportId).toList());
        assertEquals("d-1", newest.get(0).reportId());
        assertEquals("a-1", newest.get(3).reportId());
        assertEquals("a-1", store.reports().reports(ReportFilter.all(), ReportSort.MOST_MESSAGES, Page.first(1)).get(0).reportId());
        assertEquals("c-1", store.reports().reports(ReportFilter.all(), ReportSort.REPORTER, Page.first(4)).get(3).reportId());
        ReportSummary a = newest.get(3);
        assertEquals(3, a.records());
        assertEquals(17, a.messages());
        assertEquals(1, a.warnings());

        ReportDetail detail = store.reports().report(a.id()).orElseThrow();
        assertEquals("noreply-dmarc@google.com", detail.summary().reporterEmail());
        assertEquals("none", detail.policy().p());
        assertEquals("google.xml.gz", detail.sourceName());
        assertEquals("part-a-1", detail.sourcePart());
        assertEquals("legacy word 'hardfail' read as fail", detail.warnings().get(0).message());
        assertTrue(store.reports().report(999_999).isEmpty());

        List<RecordRow> records = store.reports().reportRecords(a.id(), Page.first(10));
        assertEquals(List.of("203.0.113.5", "198.51.100.7", "192.0.2.66"), records.stream().map(RecordRow::sourceIp).toList());
        RecordRow fwd = records.get(1);
        assertEquals("forwarded", fwd.classification());
        assertEquals("lists.example.org", fwd.envelopeFrom());
        assertEquals("forwarded", fwd.reasons().get(0).type().token());
        assertEquals("via list", fwd.reasons().get(0).comment());
        assertEquals("s2", fwd.dkimResults().get(0).selector());
        assertEquals("fail", fwd.spfResults().get(0).result().token());
        assertFalse(fwd.spfAligned());
        assertTrue(fwd.dkimAligned());

        List<RecordRow> drill = store.sources().sourceRecords("203.0.113.5", ReportFilter.all(), Page.first(10));
        assertEquals(2, drill.size());
        assertEquals("b-1", drill.get(0).reportId());

        List<RecordRow> exported = new ArrayList<>();
        store.reports().exportRecords(ReportFilter.all().withDomains(Set.of("example.com")), exported::add);
        assertEquals(6, exported.size());

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        assertTrue(store.rawSources().copyRawSource(a.sourceId(), raw));
        assertEquals("raw google report bytes", raw.toString(StandardCharsets.UTF_8));
        assertEquals(googleSource.sha256(), store.rawSources().rawSource(a.sourceId()).orElseThrow().sha256());
    }

    @Test
    void failureAndTlsReports() {
        List<FailureRow> failures = store.failureReports().failureReports(ReportFilter.all(), Page.first(10));
        assertEquals(1, failures.size());
        FailureRow f = failures.get(0);
        assertEquals("Invoice overdue", f.subject());
        assertEquals(List.of("dmarc", "dkim"), f.authFailure());
        assertEquals(2, f.incidents());
        assertEquals(1, store.reports().warnings("failure", f.id()).size());
        assertEquals("Subject", store.failureReports().failureMessageHeaders(f.id()).get(0)[0]);
        assertEquals(1, store.failureReports().failureReports(ReportFilter.all().withDomains(Set.of("example.com")), Page.first(5)).size());
        assertEquals(0, store.failureReports().failureReports(ReportFilter.all().withDomains(Set.of("other.org")), Page.first(5)).size());

        List<TlsReportSummary> tls = store.tlsReports().tlsReports(ReportFilter.all(), Page.first(10));
        assertEquals(1, tls.size());
        assertEquals(100, tls.get(0).successfulSessions());
        assertEquals(7, tls.get(0).failedSessions());
        TlsReportDetail detail = store.tlsReports().tlsReport(tls.get(0).id()).orElseThrow();
        assertEquals("certificate-expired", detail.policies().get(0).failures().get(0).resultType());
        assertEquals(List.of("mx1.example.com"), detail.policies().get(0).mxHost());
        List<Object> rows = new ArrayList<>();
        store.tlsReports().exportTlsFailures(ReportFilter.all().withDomains(Set.of("example.com")), rows::add);
        assertEquals(1, rows.size());
    }

    @Test
    void dateSpan() {
        var span = store.overview().dateSpan().orElseThrow();
        assertEquals(D, span.first());
        assertEquals(D.plusDays(10), span.last());
        assertArrayEquals(new Object[]{D}, new Object[]{span.first()});
    }

    /** The counts the dashboard asks for beside the pages of rows (on a store of its own). */
    @Test
    void countsDistinctSourcesWithinTheFilter() {
        LocalDate day = LocalDate.of(2024, 5, 1);
        long begin = KitReports.epoch(day);
        List<io.dmarclens.parser.aggregate.AggregateRecord> records = List.of(
                KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                KitReports.passing(1, "203.0.113.5", 2, "example.com"),
                KitReports.spoofed(3, "203.0.113.5", 1, "example.com"),
                KitReports.spoofed(2, "192.0.2.66", 4, "example.com"));
        Store own = open(dir.resolve("dashboard"));
        KitReports.store(own, KitReports.source("a.xml"),
                KitReports.header("google.com", "r1", "example.com", begin, begin + 86_399), records, KitReports.GOOGLE);
        assertEquals(2, own.sources().countSources(ReportFilter.all()));
        assertEquals(0, own.sources().countSources(ReportFilter.lastDays(7, day.minusDays(10))));
        assertEquals(0, own.sources().countSources(ReportFilter.all().withDomains(Set.of("other.org"))));
        assertTrue(own.tlsReports().tlsFailures(List.of(42L)).isEmpty());
        // ordered by the group's sums, not by one arbitrary row of the group
        assertEquals("192.0.2.66", own.sources().sources(ReportFilter.all(), SourceSort.FAILING, Page.first(10)).get(0).ip());
        assertEquals("192.0.2.66", own.sources().sources(ReportFilter.all(), SourceSort.PASS_RATE, Page.first(10)).get(0).ip());
        assertEquals("203.0.113.5", own.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, Page.first(10)).get(0).ip());
    }
}
