package io.dmarclens.web.pages;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
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
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The store as one request may read it: every read model bounded by the reader's {@link DomainScope}. Handlers
 * reach the store only through this view ({@link PageSupport#reads}), so a new page cannot forget the scope.
 *
 * <p>Filters get the scope put on them here, whatever the handler built, and the stores bound every answer
 * by it. Objects asked for by id (a report, a failure or TLS report, records of search hits) are shown only
 * when their policy domain is in scope; otherwise they are absent, which the handlers answer with 404, the
 * same as for an id that was never stored. A raw file is handed out only for a report this view found first,
 * so a download cannot reach around the scope by a source id.
 */
public final class ScopedReads {
    private final Store store;
    private final DomainScope scope;
    /** Raw sources of the reports this request was allowed to see. */
    private final Set<Long> grantedSources = new HashSet<>();

    ScopedReads(Store store, DomainScope scope) {
        this.store = store;
        this.scope = scope;
    }

    /** The reader's scope. */
    public DomainScope scope() {
        return scope;
    }

    /** Whether the reader sees every domain (then nothing is held back and totals count everything). */
    public boolean unlimited() {
        return scope.isAll();
    }

    private ReportFilter bound(ReportFilter f) {
        return f.withScope(f.scope().narrowedBy(scope));
    }

    // ---- figures over a filter: the store bounds them by the filter's scope

    public Totals totals(ReportFilter f) {
        return store.overview().totals(bound(f));
    }

    public List<DailyTotals> daily(ReportFilter f) {
        return store.overview().daily(bound(f));
    }

    public long countSources(ReportFilter f) {
        return store.sources().countSources(bound(f));
    }

    public List<SourceStats> sources(ReportFilter f, SourceSort sort, Page page) {
        return store.sources().sources(bound(f), sort, page);
    }

    public List<SourceStats> failingSources(ReportFilter f, Page page) {
        return store.sources().failingSources(bound(f), page);
    }

    public List<RecordRow> sourceRecords(String ip, ReportFilter f, Page page) {
        return store.sources().sourceRecords(ip, bound(f), page);
    }

    /**
     * What enrichment knows about a source, when the reader has seen it: a source that sent nothing to the
     * reader's domains is unknown to them. A reader of every domain is told about any address.
     */
    public Optional<SenderInfo> sender(String ip) {
        if (unlimited()) {
            SenderInfo s = store.sources().sender(ip);
            return Optional.of(s == null ? SenderInfo.UNKNOWN : s);
        }
        return store.sources().sender(ip, scope);
    }

    public List<ForwardingSource> forwardingSources(ReportFilter f, Page page) {
        return store.forwarding().forwardingSources(bound(f), page);
    }

    public List<DailyForwarding> forwardingDaily(ReportFilter f) {
        return store.forwarding().forwardingDaily(bound(f));
    }

    public List<PolicyImpact> policyImpact(ReportFilter f) {
        return store.domains().policyImpact(bound(f));
    }

    /** A domain's policy history; none for a domain outside the scope. */
    public List<PolicyPeriod> policyHistory(String domain, boolean excludeUnverified) {
        return store.domains().policyHistory(domain, excludeUnverified, scope);
    }

    public List<ReporterStats> reporters(ReportFilter f, Page page) {
        return store.reporters().reporters(bound(f), page);
    }

    public List<ReportSummary> reports(ReportFilter f, ReportSort sort, Page page) {
        return store.reports().reports(bound(f), sort, page);
    }

    public long countReports(ReportFilter f) {
        return store.reports().countReports(bound(f));
    }

    public void exportRecords(ReportFilter f, Consumer<RecordRow> sink) {
        store.reports().exportRecords(bound(f), sink);
    }

    public List<FailureRow> failureReports(ReportFilter f, Page page) {
        return store.failureReports().failureReports(bound(f), page);
    }

    public void exportFailureReports(ReportFilter f, Consumer<FailureRow> sink) {
        store.failureReports().exportFailureReports(bound(f), sink);
    }

    public List<TlsReportSummary> tlsReports(ReportFilter f, Page page) {
        return store.tlsReports().tlsReports(bound(f), page);
    }

    public void exportTlsFailures(ReportFilter f, Consumer<TlsFailureRow> sink) {
        store.tlsReports().exportTlsFailures(bound(f), sink);
    }

    // ---- objects by id: absent unless their domain is in scope

    /** An aggregate report, when its policy domain is in scope. */
    public Optional<ReportDetail> report(long id) {
        Optional<ReportDetail> d = store.reports().report(id, scope);
        d.ifPresent(r -> grant(r.summary().sourceId(), r.superseded()));
        return d;
    }

    /** The records of a report in scope; empty for any other id. */
    public List<RecordRow> reportRecords(long reportId, Page page) {
        return store.reports().reportRecords(reportId, page, scope);
    }

    /** Records by id (search hits), leaving out those of domains outside the scope. */
    public List<RecordRow> records(List<Long> ids) {
        return store.reports().records(ids, scope);
    }

    /** Warnings of a report in scope; none for any other. */
    public List<ParseWarning> warnings(String kind, long reportId) {
        return store.reports().warnings(kind, reportId, scope);
    }

    /**
     * A failure report, when it is in scope: each domain it reports on counts under the policy domain that
     * covers it, and every one must be in scope.
     */
    public Optional<FailureRow> failureReport(long id) {
        Optional<FailureRow> f = store.failureReports().failureReport(id, scope);
        f.ifPresent(r -> grantedSources.add(r.sourceId()));
        return f;
    }

    /** The headers of a failure report's sample, when the report is in scope. */
    public List<String[]> failureMessageHeaders(long id) {
        return store.failureReports().failureMessageHeaders(id, scope);
    }

    /** A TLS report, when every policy domain it names is in scope. */
    public Optional<TlsReportDetail> tlsReport(long id) {
        Optional<TlsReportDetail> t = store.tlsReports().tlsReport(id, scope);
        t.ifPresent(d -> grant(d.summary().sourceId(), d.superseded()));
        return t;
    }

    /** TLS failure details by id (search hits), leaving out those of domains outside the scope. */
    public List<TlsFailureRow> tlsFailures(List<Long> ids) {
        return store.tlsReports().tlsFailures(ids, scope);
    }

    /** Reports stored per origin verdict in the reader's domains: aggregate, failure and TLS reports, in that order. */
    public List<Map<Authenticity.Verdict, Long>> countsByVerdict() {
        return List.of(store.reports().countByVerdict(scope), store.failureReports().countByVerdict(scope),
                store.tlsReports().countByVerdict(scope));
    }

    /**
     * A stored raw file, only of a report (or replaced copy) this request found through this view, and only
     * when every report stored from that file is in scope (its bytes hold them all).
     */
    public Optional<RawSource> rawSource(long sourceId) {
        return grantedSources.contains(sourceId) ? store.rawSources().rawSource(sourceId, scope) : Optional.empty();
    }

    /** Copies a raw file found with {@link #rawSource}; false when it is not (or no longer) there. */
    public boolean copyRawSource(long sourceId, OutputStream out) {
        return grantedSources.contains(sourceId) && store.rawSources().copyRawSource(sourceId, out, scope);
    }

    /** Search hits in the reader's domains only: the store bounds the query itself, so counts are theirs too. */
    public SearchResults search(String query, int limit, boolean excludeUnverified) throws SearchSyntaxException {
        return store.search(query, limit, excludeUnverified, scope);
    }

    private void grant(long sourceId, List<SupersededCopy> copies) {
        grantedSources.add(sourceId);
        copies.forEach(c -> grantedSources.add(c.sourceId()));
    }
}
