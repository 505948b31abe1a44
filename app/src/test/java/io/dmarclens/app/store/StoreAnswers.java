package io.dmarclens.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.FailureRow;
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
import io.dmarclens.store.query.SupersededCopy;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every answer a store gives to the questions the dashboard, the API and the exports ask, by question, with
 * the store's own ids taken out (they differ between stores by design) and what they point to followed by
 * content instead: a report's detail, records and raw source are asked for through the report list.
 */
final class StoreAnswers {
    /** Domains and reporters asked about one by one (the ones with most mail): enough to show a filter works. */
    private static final int FEW = 4;
    /** Reports asked about one by one (detail, records, raw source), newest first. */
    private static final int REPORTS = 150;

    private final Map<String, Object> answers = new LinkedHashMap<>();
    private long messages;

    private StoreAnswers() {
    }

    static StoreAnswers of(Store store) {
        StoreAnswers a = new StoreAnswers();
        a.ask(store);
        return a;
    }

    int size() {
        return answers.size();
    }

    long messages() {
        return messages;
    }

    /** Compares question by question, so that a difference names the question it is in. */
    void assertSameAs(StoreAnswers other) {
        for (Map.Entry<String, Object> e : answers.entrySet()) {
            assertEquals(e.getValue(), other.answers.get(e.getKey()), e.getKey());
        }
        // The questions follow from the answers (one per domain, report, source...): equal answers ask alike.
        assertEquals(answers.size(), other.answers.size(), "questions asked");
    }

    private void put(String question, Object answer) {
        answers.put(question, answer);
    }

    private void ask(Store store) {
        messages = store.overview().totals(ReportFilter.all()).messages();
        DateSpan span = store.overview().dateSpan().orElse(null);
        put("dateSpan", span);
        put("countByVerdict", store.reports().countByVerdict());
        put("failure countByVerdict", store.failureReports().countByVerdict());
        put("tls countByVerdict", store.tlsReports().countByVerdict());
        List<PolicyImpact> domains = store.domains().policyImpact(ReportFilter.all());
        List<ReporterStats> reporters = store.reporters().reporters(ReportFilter.all(), Page.first(Page.MAX_LIMIT));
        for (ReportFilter f : filters(span, domains, reporters)) {
            filtered(store, f);
        }
        for (PolicyImpact d : domains) {
            put("policyHistory " + d.domain(), store.domains().policyHistory(d.domain(), false));
            put("policyHistory verified " + d.domain(), store.domains().policyHistory(d.domain(), true));
        }
        reports(store);
        sources(store, span);
        failures(store);
        tls(store);
    }

    /**
     * All, verified only, the domains with most mail and the reporters with most reports (each alone and two
     * together), day ranges (whole, edges, single days, open ends), and a mix of everything.
     */
    private static List<ReportFilter> filters(DateSpan span, List<PolicyImpact> domains, List<ReporterStats> reporters) {
        List<ReportFilter> out = new ArrayList<>();
        out.add(ReportFilter.all());
        out.add(ReportFilter.all().excludingUnverified(true));
        List<String> bigDomains = domains.stream().sorted(java.util.Comparator.comparingLong(PolicyImpact::messages)
                .reversed().thenComparing(PolicyImpact::domain)).limit(FEW).map(PolicyImpact::domain).toList();
        List<String> bigReporters = reporters.stream().limit(FEW).map(ReporterStats::reporter).toList();
        bigDomains.forEach(d -> out.add(ReportFilter.all().withDomains(Set.of(d))));
        bigReporters.forEach(r -> out.add(ReportFilter.all().withReporters(Set.of(r))));
        if (bigDomains.size() > 1 && bigReporters.size() > 1) {
            out.add(ReportFilter.all().withDomains(Set.copyOf(bigDomains.subList(0, 2)))
                    .withReporters(Set.copyOf(bigReporters.subList(0, 2))));
        }
        if (span != null) {
            LocalDate first = span.first();
            LocalDate last = span.last();
            LocalDate middle = first.plusDays((last.toEpochDay() - first.toEpochDay()) / 2);
            out.add(ReportFilter.all().withRange(first, last));
            out.add(ReportFilter.all().withRange(first, first));
            out.add(ReportFilter.all().withRange(last, last));
            out.add(ReportFilter.all().withRange(middle, middle));
            out.add(ReportFilter.all().withRange(first, middle));
            out.add(ReportFilter.all().withRange(middle, null));
            out.add(ReportFilter.all().withRange(null, middle));
            out.add(ReportFilter.lastDays(7, last));
            out.add(ReportFilter.lastDays(30, last));
            out.add(ReportFilter.lastDays(90, last));
            if (!domains.isEmpty() && !reporters.isEmpty()) {
                out.add(new ReportFilter(first, middle, Set.of(domains.get(0).domain()),
                        Set.of(reporters.get(0).reporter()), true));
            }
        }
        return out;
    }

    private void filtered(Store store, ReportFilter f) {
        String k = " " + f;
        put("totals" + k, store.overview().totals(f));
        put("daily" + k, store.overview().daily(f));
        for (SourceSort sort : SourceSort.values()) {
            put("sources " + sort + k, store.sources().sources(f, sort, Page.first(10)));
        }
        put("sources page 2" + k, store.sources().sources(f, SourceSort.MESSAGES, new Page(5, 7)));
        put("countSources" + k, store.sources().countSources(f));
        put("failingSources" + k, store.sources().failingSources(f, Page.first(10)));
        List<SourceStats> all = new ArrayList<>();
        store.sources().allSources(f, all::add);
        put("allSources" + k, all);
        put("forwardingSources" + k, store.forwarding().forwardingSources(f, Page.first(50)));
        put("forwardingDaily" + k, store.forwarding().forwardingDaily(f));
        put("policyImpact" + k, store.domains().policyImpact(f));
        put("reporters" + k, store.reporters().reporters(f, Page.first(50)));
        for (ReportSort sort : ReportSort.values()) {
            put("reports " + sort + k, store.reports().reports(f, sort, Page.first(25)).stream()
                    .map(StoreAnswers::summary).toList());
        }
        put("reports page 3" + k, store.reports().reports(f, ReportSort.NEWEST, new Page(20, 10)).stream()
                .map(StoreAnswers::summary).toList());
        put("countReports" + k, store.reports().countReports(f));
        put("failureReports" + k, store.failureReports().failureReports(f, Page.first(50)).stream()
                .map(StoreAnswers::failure).toList());
        List<FailureRow> failures = new ArrayList<>();
        store.failureReports().exportFailureReports(f, failures::add);
        put("exportFailureReports" + k, failures.stream().map(StoreAnswers::failure).toList());
        put("tlsReports" + k, store.tlsReports().tlsReports(f, Page.first(50)).stream().map(StoreAnswers::tls).toList());
        List<TlsFailureRow> tlsFailures = new ArrayList<>();
        store.tlsReports().exportTlsFailures(f, tlsFailures::add);
        put("exportTlsFailures" + k, tlsFailures.stream().map(StoreAnswers::tlsFailure).toList());
        List<RecordRow> records = new ArrayList<>();
        store.reports().exportRecords(f, records::add);
        put("exportRecords" + k, records.stream().map(StoreAnswers::record).toList());
    }

    /** Each report of the list with its detail, records, warnings and raw source; records by id too. */
    private void reports(Store store) {
        List<ReportSummary> reports = store.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(REPORTS));
        for (int i = 0; i < reports.size(); i++) {
            ReportSummary s = reports.get(i);
            String k = " of report " + i + " (" + s.reporter() + " " + s.reportId() + ")";
            put("report" + k, store.reports().report(s.id()).map(StoreAnswers::detail).orElse(null));
            List<RecordRow> records = store.reports().reportRecords(s.id(), Page.first(Page.MAX_LIMIT));
            put("reportRecords" + k, records.stream().map(StoreAnswers::record).toList());
            put("reportRecords page" + k, store.reports().reportRecords(s.id(), new Page(1, 2)).stream()
                    .map(StoreAnswers::record).toList());
            List<Long> ids = new ArrayList<>(records.stream().map(RecordRow::id).toList());
            java.util.Collections.reverse(ids);
            put("records by id" + k, store.reports().records(ids).stream().map(StoreAnswers::record).toList());
            put("warnings" + k, store.reports().warnings("aggregate", s.id()));
            put("rawSource" + k, raw(store, s.sourceId()));
        }
    }

    private void sources(Store store, DateSpan span) {
        List<SourceStats> top = store.sources().sources(ReportFilter.all(), SourceSort.MESSAGES, Page.first(15));
        Set<String> dkimDomains = new TreeSet<>();
        for (SourceStats s : top) {
            put("sender " + s.ip(), store.sources().sender(s.ip()));
            List<RecordRow> rows = store.sources().sourceRecords(s.ip(), ReportFilter.all(), Page.first(200));
            put("sourceRecords " + s.ip(), rows.stream().map(StoreAnswers::record).toList());
            rows.forEach(r -> r.dkimResults().forEach(d -> {
                if (d.domain() != null && dkimDomains.size() < 8) {
                    dkimDomains.add(d.domain().strip().toLowerCase(java.util.Locale.ROOT));
                }
            }));
        }
        if (span != null) {
            ReportFilter range = ReportFilter.all().withRange(span.first(), span.last());
            for (String d : dkimDomains) {
                put("dkimSelectors " + d, store.sources().dkimSelectors(d, range));
            }
        }
    }

    private void failures(Store store) {
        List<FailureRow> rows = store.failureReports().failureReports(ReportFilter.all(), Page.first(60));
        for (int i = 0; i < rows.size(); i++) {
            long id = rows.get(i).id();
            put("failureReport " + i, store.failureReports().failureReport(id).map(StoreAnswers::failure).orElse(null));
            put("failureMessageHeaders " + i, store.failureReports().failureMessageHeaders(id).stream()
                    .map(Arrays::asList).toList());
            put("failure warnings " + i, store.reports().warnings("failure", id));
        }
    }

    private void tls(Store store) {
        List<TlsReportSummary> rows = store.tlsReports().tlsReports(ReportFilter.all(), Page.first(200));
        for (int i = 0; i < rows.size(); i++) {
            long id = rows.get(i).id();
            put("tlsReport " + i, store.tlsReports().tlsReport(id).map(StoreAnswers::tlsDetail).orElse(null));
            put("tls warnings " + i, store.reports().warnings("tls", id));
        }
        List<TlsFailureRow> all = new ArrayList<>();
        store.tlsReports().exportTlsFailures(ReportFilter.all(), all::add);
        List<Long> ids = new ArrayList<>(all.stream().map(TlsFailureRow::id).toList());
        java.util.Collections.reverse(ids);
        put("tlsFailures by id", store.tlsReports().tlsFailures(ids).stream().map(StoreAnswers::tlsFailure).toList());
    }

    // ---- answers without the stores' own ids --------------------------------------------------------

    private static ReportSummary summary(ReportSummary s) {
        return new ReportSummary(0, s.reporter(), s.reporterEmail(), s.reportId(), s.policyDomain(), s.begin(), s.end(),
                s.records(), s.messages(), s.warnings(), s.importedAt(), 0, s.partialReason(), s.authenticity());
    }

    private static ReportDetail detail(ReportDetail d) {
        return new ReportDetail(summary(d.summary()), d.extraContact(), d.version(), d.generator(), d.errors(),
                d.policy(), d.warnings(), d.sourceName(), d.sourcePart(),
                d.superseded().stream().map(StoreAnswers::superseded).toList());
    }

    private static SupersededCopy superseded(SupersededCopy c) {
        return new SupersededCopy(0, c.sourceName(), c.sourcePart(), c.records(), c.partialReason(), c.importedAt(),
                c.supersededAt());
    }

    private static RecordRow record(RecordRow r) {
        return new RecordRow(0, 0, r.reporter(), r.reportId(), r.policyDomain(), r.begin(), r.end(), r.sourceIp(),
                r.count(), r.disposition(), r.dkim(), r.spf(), r.headerFrom(), r.envelopeFrom(), r.envelopeTo(),
                r.reasons(), r.dkimResults(), r.spfResults(), r.sender(), r.dkimAligned(), r.spfAligned(), r.dmarcPass(),
                r.verdictDisagrees(), r.classification(), r.classificationReason(), r.partialReason(), r.authenticity());
    }

    private static FailureRow failure(FailureRow f) {
        return new FailureRow(0, 0, f.format(), f.feedbackType(), f.userAgent(), f.arrival(), f.sourceIp(), f.sender(),
                f.reportingMta(), f.originalMailFrom(), f.originalRcptTo(), f.reportedDomain(), f.authFailure(),
                f.deliveryResult(), f.dkimDomain(), f.dkimSelector(), f.spfDns(), f.incidents(), f.from(), f.to(),
                f.subject(), f.messageId(), f.fields(), f.humanReadable(), f.importedAt(), f.partialReason(),
                f.authenticity());
    }

    private static TlsReportSummary tls(TlsReportSummary t) {
        return new TlsReportSummary(0, 0, t.organization(), t.reportId(), t.begin(), t.end(), t.contact(), t.policies(),
                t.successfulSessions(), t.failedSessions(), t.partialReason(), t.authenticity());
    }

    private static TlsFailureRow tlsFailure(TlsFailureRow d) {
        return new TlsFailureRow(0, 0, d.organization(), d.reportId(), d.begin(), d.end(), d.policyType(),
                d.policyDomain(), d.resultType(), d.sendingMtaIp(), d.receivingMxHostname(), d.receivingMxHelo(),
                d.receivingIp(), d.failedSessions(), d.additionalInfo(), d.failureReasonCode(), d.partialReason(),
                d.authenticity());
    }

    private static TlsReportDetail tlsDetail(TlsReportDetail d) {
        return new TlsReportDetail(tls(d.summary()), d.policies().stream().map(p -> new TlsPolicyRow(p.policyType(),
                p.policyString(), p.policyDomain(), p.mxHost(), p.successfulSessions(), p.failedSessions(),
                p.failures().stream().map(StoreAnswers::tlsFailure).toList())).toList(), d.warnings(),
                d.superseded().stream().map(StoreAnswers::superseded).toList());
    }

    /** A raw source's metadata without its id, and the SHA-256 of the bytes it gives back. */
    private static List<Object> raw(Store store, long id) {
        RawSource r = store.rawSources().rawSource(id).orElse(null);
        if (r == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean copied = store.rawSources().copyRawSource(id, out);
        try {
            return Arrays.asList(r.name(), r.origin(), r.sha256(), r.size(), r.receivedAt(), r.available(), copied,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
