package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read model over the sample reports (parsed by our parser and imported one batch per file): each
 * answer is worked out from what was imported. The store is filled once and only read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReadModelContract {
    private static final Page ALL = Page.first(Page.MAX_LIMIT);

    private Store store;
    private SampleData data;

    /** Opens the store under test in an empty {@code dir}, on {@code clock}; see {@link StoreContract#openStore}. */
    protected abstract Store openStore(Path dir, Clock clock);

    @BeforeAll
    void fill(@TempDir Path dir) {
        store = openStore(dir, Clocks.system());
        data = SampleData.importInto(store);
        store.awaitIndexed();
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Policy domains and header_from domains are kept lower case, without a trailing dot. */
    static String domain(String d) {
        String s = d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String reporter(AggregateHeader h) {
        return h.metadata().orgName() == null ? "" : h.metadata().orgName().strip();
    }

    private List<Map.Entry<AggregateRecord, RecordEnrichment>> recordsOfDomain(String d) {
        return data.records(a -> domain(a.report().header().policy().domain()).equals(d));
    }

    private Set<String> policyDomains() {
        return data.aggregates.stream().map(a -> domain(a.report().header().policy().domain()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ---- overview -----------------------------------------------------------------------------------

    @Test
    void totalsAreTheSumsOfTheRecordsImported() {
        assertTrue(data.records().size() > 20, "records imported: " + data.records().size());
        assertEquals(SampleData.totals(data.records()), store.overview().totals(ReportFilter.all()));
    }

    @Test
    void totalsPerDomainAndPerReporter() {
        for (String d : policyDomains()) {
            assertEquals(SampleData.totals(recordsOfDomain(d)),
                    store.overview().totals(ReportFilter.all().withDomains(Set.of(d))), d);
        }
        Set<String> reporters = data.aggregates.stream().map(a -> reporter(a.report().header()))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String r : reporters) {
            assertEquals(SampleData.totals(data.records(a -> reporter(a.report().header()).equals(r))),
                    store.overview().totals(ReportFilter.all().withReporters(Set.of(r))), r);
        }
    }

    @Test
    void dailySeriesSumsToTheTotalsAndEachDayIsItsOwnFilter() {
        List<DailyTotals> days = store.overview().daily(ReportFilter.all());
        assertFalse(days.isEmpty());
        long[] sum = new long[14];
        LocalDate previous = null;
        for (DailyTotals day : days) {
            assertTrue(previous == null || day.day().isAfter(previous), "oldest first, one entry per day");
            previous = day.day();
            assertTrue(day.totals().messages() > 0, "days without messages are left out: " + day);
            assertEquals(day.totals(), store.overview().totals(ReportFilter.all().withRange(day.day(), day.day())));
            long[] v = fields(day.totals());
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        assertArrayEquals(fields(SampleData.totals(data.records())), sum);
        // Every day lies in some report's range.
        for (DailyTotals day : days) {
            long second = day.day().toEpochDay() * 86_400;
            assertTrue(data.aggregates.stream().anyMatch(a -> a.report().header().metadata().dateRange().begin()
                    < second + 86_400 && a.report().header().metadata().dateRange().end() >= second), day.day()::toString);
        }
        DateSpan span = store.overview().dateSpan().orElseThrow();
        assertEquals(new DateSpan(days.get(0).day(), days.get(days.size() - 1).day()), span);
    }

    private static long[] fields(Totals t) {
        return new long[]{t.messages(), t.dmarcPass(), t.dmarcFail(), t.dkimAligned(), t.spfAligned(), t.dkimPass(),
                t.spfPass(), t.dispositionNone(), t.dispositionQuarantine(), t.dispositionReject(), t.compliant(),
                t.forwarded(), t.misconfigured(), t.threat()};
    }

    // ---- sources ------------------------------------------------------------------------------------

    /** Per source IP: messages, DMARC pass, SPF aligned, DKIM aligned, and messages per classification. */
    private Map<String, long[]> perSource() {
        Map<String, long[]> out = new TreeMap<>();
        for (var e : data.records()) {
            long n = e.getKey().count();
            RecordEnrichment en = e.getValue();
            long[] v = out.computeIfAbsent(e.getKey().sourceIp(), k -> new long[4 + Classification.values().length]);
            v[0] += n;
            v[1] += en.dmarcPass() ? n : 0;
            v[2] += en.spfAligned() ? n : 0;
            v[3] += en.dkimAligned() ? n : 0;
            v[4 + en.classification().ordinal()] += n;
        }
        out.values().removeIf(v -> v[0] == 0);
        return out;
    }

    /** The classification with most messages; ties go to the first token in alphabetical order. */
    private static String dominant(long[] v) {
        String best = null;
        long most = 0;
        for (Classification c : Classification.values()) {
            long n = v[4 + c.ordinal()];
            if (n > most || n == most && n > 0 && c.token().compareTo(best) < 0) {
                most = n;
                best = c.token();
            }
        }
        return best;
    }

    @Test
    void everySourceWithItsCountsAndDominantClassification() {
        Map<String, long[]> expected = perSource();
        List<SourceStats> all = new ArrayList<>();
        store.sources().allSources(ReportFilter.all(), all::add);
        assertEquals(expected.keySet(), all.stream().map(SourceStats::ip).collect(Collectors.toSet()));
        assertEquals(expected.size(), all.size(), "one row per source");
        for (SourceStats s : all) {
            long[] v = expected.get(s.ip());
            assertArrayEquals(new long[]{v[0], v[1], v[2], v[3]},
                    new long[]{s.messages(), s.dmarcPass(), s.spfAligned(), s.dkimAligned()}, s.ip());
            assertEquals(dominant(v), s.classification(), s.ip());
            assertEquals("kit rule: " + dominant(v), s.classificationReason(), s.ip());
        }
        assertEquals(expected.size(), store.sources().countSources(ReportFilter.all()));
        assertEquals(all, store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, ALL), "export = list");
        assertTrue(isSorted(all, Comparator.comparingLong(SourceStats::messages).reversed()), "most messages first");
    }

    @Test
    void topSourcesArePagedInOrder() {
        List<SourceStats> all = store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, ALL);
        assertEquals(all.subList(0, 5), store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, Page.first(5)));
        assertEquals(all.subList(3, 7), store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, new Page(3, 4)));
    }

    @Test
    void failingSourcesAreThoseWithDmarcFailuresMostFirst() {
        Map<String, Long> expected = new HashMap<>();
        perSource().forEach((ip, v) -> {
            if (v[0] - v[1] > 0) {
                expected.put(ip, v[0] - v[1]);
            }
        });
        List<SourceStats> failing = store.sources().failingSources(ReportFilter.all(), ALL);
        assertEquals(expected, failing.stream().collect(Collectors.toMap(SourceStats::ip, SourceStats::dmarcFail)));
        assertTrue(isSorted(failing, Comparator.comparingLong(SourceStats::dmarcFail).reversed()), "most failures first");
    }

    @Test
    void recordsOfOneSource() {
        Map<String, long[]> expected = perSource();
        String ip = expected.keySet().iterator().next();
        List<RecordRow> rows = store.sources().sourceRecords(ip, ReportFilter.all(), ALL);
        assertEquals(data.records().stream().filter(e -> e.getKey().sourceIp().equals(ip)).count(), rows.size());
        assertEquals(expected.get(ip)[0], rows.stream().mapToLong(RecordRow::count).sum());
        assertTrue(rows.stream().allMatch(r -> r.sourceIp().equals(ip)));
        assertTrue(isSorted(rows, Comparator.comparing(RecordRow::begin).reversed()), "newest report first");
    }

    @Test
    void dkimSelectorsOfADomain() {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (var e : data.records()) {
            for (DkimAuthResult d : e.getKey().dkimResults()) {
                if (d.domain() != null && d.selector() != null && !d.selector().isEmpty()) {
                    expected.computeIfAbsent(d.domain().strip().toLowerCase(Locale.ROOT), k -> new TreeSet<>())
                            .add(d.selector());
                }
            }
        }
        assertFalse(expected.isEmpty(), "the samples show DKIM selectors");
        DateSpan span = store.overview().dateSpan().orElseThrow();
        ReportFilter range = ReportFilter.all().withRange(span.first().minusDays(1), span.last().plusDays(1));
        expected.forEach((d, selectors) -> assertEquals(selectors, store.sources().dkimSelectors(d, range), d));
    }

    // ---- forwarding ---------------------------------------------------------------------------------

    @Test
    void forwardedMailPerSourceAndPerDay() {
        Map<String, long[]> expected = new TreeMap<>();
        long forwarded = 0;
        for (var e : data.records()) {
            if (e.getValue().classification() == Classification.FORWARDED && e.getKey().count() > 0) {
                long[] v = expected.computeIfAbsent(e.getKey().sourceIp(), k -> new long[2]);
                v[0] += e.getKey().count();
                v[1] += e.getValue().dkimAligned() ? e.getKey().count() : 0;
                forwarded += e.getKey().count();
            }
        }
        assertTrue(forwarded > 0, "the kit's rule finds forwarded mail in the samples");
        List<ForwardingSource> sources = store.forwarding().forwardingSources(ReportFilter.all(), ALL);
        assertEquals(expected.keySet(), sources.stream().map(ForwardingSource::ip).collect(Collectors.toSet()));
        for (ForwardingSource s : sources) {
            assertArrayEquals(expected.get(s.ip()), new long[]{s.messages(), s.dkimSurvived()}, s.ip());
        }
        assertTrue(isSorted(sources, Comparator.comparingLong(ForwardingSource::messages).reversed()));
        List<DailyForwarding> daily = store.forwarding().forwardingDaily(ReportFilter.all());
        assertEquals(forwarded, daily.stream().mapToLong(DailyForwarding::messages).sum());
        assertEquals(expected.values().stream().mapToLong(v -> v[1]).sum(),
                daily.stream().mapToLong(DailyForwarding::dkimSurvived).sum());
    }

    // ---- domains ------------------------------------------------------------------------------------

    @Test
    void policyImpactPerDomain() {
        List<PolicyImpact> impact = store.domains().policyImpact(ReportFilter.all());
        Set<String> withMail = policyDomains().stream()
                .filter(d -> SampleData.totals(recordsOfDomain(d)).messages() > 0)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(List.copyOf(withMail), impact.stream().map(PolicyImpact::domain).toList(), "by domain name");
        for (PolicyImpact p : impact) {
            long[] v = new long[7];
            for (var e : recordsOfDomain(p.domain())) {
                if (e.getValue().dmarcPass()) {
                    v[0] += e.getKey().count();
                    continue;
                }
                long n = e.getKey().count();
                v[0] += n;
                v[1] += n;
                v[2] += e.getValue().classification() == Classification.FORWARDED ? n : 0;
                v[3] += e.getValue().classification() == Classification.MISCONFIGURED ? n : 0;
                v[4] += e.getValue().classification() == Classification.THREAT ? n : 0;
                v[5] += e.getKey().disposition() == Disposition.QUARANTINE ? n : 0;
                v[6] += e.getKey().disposition() == Disposition.REJECT ? n : 0;
            }
            assertArrayEquals(v, new long[]{p.messages(), p.failing(), p.failingForwarded(), p.failingMisconfigured(),
                    p.failingThreat(), p.alreadyQuarantined(), p.alreadyRejected()}, p.domain());
            AggregateHeader latest = data.aggregates.stream().map(a -> a.report().header())
                    .filter(h -> domain(h.policy().domain()).equals(p.domain()))
                    .max(Comparator.comparingLong(h -> h.metadata().dateRange().begin())).orElseThrow();
            assertEquals(latest.policy().p() == null ? null : latest.policy().p().token(), p.currentPolicy(), p.domain());
        }
    }

    // ---- reporters ----------------------------------------------------------------------------------

    @Test
    void reportersWithTheirReportsMessagesAndDates() {
        Map<String, long[]> expected = new TreeMap<>();
        for (SampleData.StoredAggregate a : data.aggregates) {
            var m = a.report().header().metadata();
            long[] v = expected.computeIfAbsent(reporter(a.report().header()),
                    k -> new long[]{0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            v[0]++;
            v[1] += a.report().records().stream().mapToLong(AggregateRecord::count).sum();
            v[2] = Math.min(v[2], m.dateRange().begin());
            v[3] = Math.max(v[3], m.dateRange().end());
        }
        List<ReporterStats> reporters = store.reporters().reporters(ReportFilter.all(), ALL);
        assertEquals(expected.keySet(), reporters.stream().map(ReporterStats::reporter).collect(Collectors.toSet()));
        for (ReporterStats r : reporters) {
            long[] v = expected.get(r.reporter());
            assertArrayEquals(v, new long[]{r.reports(), r.messages(), r.firstSeen().getEpochSecond(),
                    r.lastSeen().getEpochSecond()}, r.reporter());
            assertTrue(r.daysCovered() >= 1, r.reporter());
        }
        assertTrue(isSorted(reporters, Comparator.comparingLong(ReporterStats::reports).reversed()), "most reports first");
    }

    // ---- aggregate reports --------------------------------------------------------------------------

    private SampleData.StoredAggregate input(ReportSummary s) {
        return data.aggregates.stream()
                .filter(a -> reporter(a.report().header()).equals(s.reporter())
                        && a.report().header().metadata().reportId().strip().equals(s.reportId().strip())
                        && domain(a.report().header().policy().domain()).equals(s.policyDomain()))
                .findFirst().orElseThrow(() -> new AssertionError("not imported: " + s));
    }

    @Test
    void reportsListDetailAndRecords() {
        assertEquals(data.aggregates.size(), store.reports().countReports(ReportFilter.all()));
        List<ReportSummary> reports = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, ALL);
        assertEquals(data.aggregates.size(), reports.size());
        assertTrue(isSorted(reports, Comparator.comparing(ReportSummary::begin).reversed()), "newest first");
        for (ReportSummary s : reports) {
            SampleData.StoredAggregate a = input(s);
            List<AggregateRecord> in = a.report().records();
            assertEquals(in.size(), s.records(), s.reportId());
            assertEquals(in.stream().mapToLong(AggregateRecord::count).sum(), s.messages(), s.reportId());
            assertEquals(a.report().header().metadata().dateRange().begin(), s.begin().getEpochSecond());
            assertEquals(a.report().warnings().size(), s.warnings(), s.reportId());

            ReportDetail detail = store.reports().report(s.id()).orElseThrow();
            assertEquals(s, detail.summary());
            assertEquals(a.file(), detail.sourceName());
            assertEquals(a.report().warnings(), detail.warnings());
            assertEquals(a.report().warnings(), store.reports().warnings("aggregate", s.id()));
            Disposition p = a.report().header().policy().p();
            assertEquals(p == null ? null : p.token(), detail.policy().p(), s.reportId());

            List<RecordRow> rows = store.reports().reportRecords(s.id(), ALL);
            assertEquals(in.stream().map(AggregateRecord::sourceIp).toList(),
                    rows.stream().map(RecordRow::sourceIp).toList(), "records in their order");
            assertEquals(in.stream().map(AggregateRecord::count).toList(), rows.stream().map(RecordRow::count).toList());
            assertTrue(rows.stream().allMatch(r -> r.reportRef() == s.id()));
            List<Long> ids = new ArrayList<>(rows.stream().map(RecordRow::id).toList());
            java.util.Collections.reverse(ids);
            ids.add(-1L);
            assertEquals(ids.subList(0, rows.size()), store.reports().records(ids).stream().map(RecordRow::id).toList(),
                    "by id, in the order asked, unknown ids left out");
        }
        assertTrue(store.reports().report(-1).isEmpty());
        assertEquals(reports.subList(2, 5), store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, new Page(2, 3)));
    }

    @Test
    void recordsExportedOnceEach() {
        List<RecordRow> rows = new ArrayList<>();
        store.reports().exportRecords(ReportFilter.all(), rows::add);
        assertEquals(data.records().size(), rows.size());
        assertEquals(rows.size(), rows.stream().map(RecordRow::id).distinct().count());
        assertEquals(SampleData.totals(data.records()).messages(), rows.stream().mapToLong(RecordRow::count).sum());
        String d = policyDomains().iterator().next();
        List<RecordRow> ofDomain = new ArrayList<>();
        store.reports().exportRecords(ReportFilter.all().withDomains(Set.of(d)), ofDomain::add);
        assertEquals(recordsOfDomain(d).size(), ofDomain.size(), d);
    }

    // ---- failure reports ----------------------------------------------------------------------------

    @Test
    void failureReportsListDetailHeadersAndExport() {
        assertFalse(data.failures.isEmpty(), "the samples hold failure reports");
        List<FailureRow> rows = store.failureReports().failureReports(ReportFilter.all(), ALL);
        assertEquals(data.failures.size(), rows.size());
        assertEquals(sorted(data.failures.stream().map(f -> String.valueOf(f.sourceIp()) + "|" + f.feedbackType())),
                sorted(rows.stream().map(r -> String.valueOf(r.sourceIp()) + "|" + r.feedbackType())));
        for (FailureRow row : rows) {
            assertEquals(row, store.failureReports().failureReport(row.id()).orElseThrow());
            FailureReport in = data.failures.stream()
                    .filter(f -> f.original() != null && f.original().messageId() != null
                            && f.original().messageId().equals(row.messageId()))
                    .findFirst().orElse(null);
            if (in != null) {
                assertEquals(in.original().headers().size(), store.failureReports().failureMessageHeaders(row.id()).size());
            }
        }
        List<FailureRow> exported = new ArrayList<>();
        store.failureReports().exportFailureReports(ReportFilter.all(), exported::add);
        assertEquals(rows, exported);
        assertTrue(store.failureReports().failureReport(-1).isEmpty());
    }

    // ---- TLS reports --------------------------------------------------------------------------------

    @Test
    void tlsReportsWithPoliciesAndFailureDetails() {
        assertFalse(data.tls.isEmpty(), "the samples hold TLS reports");
        List<TlsReportSummary> summaries = store.tlsReports().tlsReports(ReportFilter.all(), ALL);
        assertEquals(data.tls.size(), summaries.size());
        long details = 0;
        for (TlsReportSummary s : summaries) {
            TlsReport in = data.tls.stream().filter(t -> t.reportId().equals(s.reportId())
                    && t.startDatetime().equals(s.begin())).findFirst().orElseThrow(() -> new AssertionError(s));
            TlsReportDetail detail = store.tlsReports().tlsReport(s.id()).orElseThrow();
            assertEquals(s, detail.summary());
            assertEquals(in.policies().size(), detail.policies().size(), s.reportId());
            for (int i = 0; i < in.policies().size(); i++) {
                TlsPolicyResult p = in.policies().get(i);
                var row = detail.policies().get(i);
                assertEquals(p.totalSuccessfulSessionCount(), row.successfulSessions());
                assertEquals(p.totalFailureSessionCount(), row.failedSessions());
                assertEquals(p.failureDetails().size(), row.failures().size());
                details += row.failures().size();
            }
            assertEquals(in.policies().stream().mapToLong(TlsPolicyResult::totalSuccessfulSessionCount).sum(),
                    s.successfulSessions());
        }
        List<TlsFailureRow> exported = new ArrayList<>();
        store.tlsReports().exportTlsFailures(ReportFilter.all(), exported::add);
        assertEquals(details, exported.size());
        List<Long> ids = exported.stream().map(TlsFailureRow::id).toList();
        assertEquals(exported, store.tlsReports().tlsFailures(ids));
        assertTrue(store.tlsReports().tlsReport(-1).isEmpty());
    }

    // ---- raw sources --------------------------------------------------------------------------------

    @Test
    void rawSourcesKeepTheirBytes() throws Exception {
        Set<Long> seen = new TreeSet<>();
        for (ReportSummary s : store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, ALL)) {
            if (!seen.add(s.sourceId())) {
                continue;
            }
            RawSource raw = store.rawSources().rawSource(s.sourceId()).orElseThrow();
            byte[] bytes = data.files.get(raw.name());
            assertTrue(bytes != null, "a file imported: " + raw.name());
            assertEquals(bytes.length, raw.size(), raw.name());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    raw.sha256().toLowerCase(Locale.ROOT), raw.name());
            assertEquals("file", raw.origin());
            assertTrue(raw.available());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(store.rawSources().copyRawSource(s.sourceId(), out));
            assertArrayEquals(bytes, out.toByteArray(), raw.name());
        }
        assertTrue(store.rawSources().rawSource(-1).isEmpty());
        assertFalse(store.rawSources().copyRawSource(-1, new ByteArrayOutputStream()));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static <T> boolean isSorted(List<T> list, Comparator<T> order) {
        for (int i = 1; i < list.size(); i++) {
            if (order.compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sorted(java.util.stream.Stream<String> s) {
        return s.sorted().toList();
    }

    static Instant day(LocalDate d) {
        return d.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
