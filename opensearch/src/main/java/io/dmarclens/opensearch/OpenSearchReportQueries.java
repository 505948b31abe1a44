package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportQueries;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Aggregate reports from the report documents, their records from the record documents, and parse warnings. */
final class OpenSearchReportQueries implements ReportQueries {
    private final Reads reads;
    private final Records records;
    private final ReportDocs docs;

    private final ScopeResolver scopes;
    private final OpenSearchFailureReportQueries failures;
    private final OpenSearchTlsReportQueries tls;

    OpenSearchReportQueries(Reads reads, Records records, ReportDocs docs, ScopeResolver scopes,
                            OpenSearchFailureReportQueries failures, OpenSearchTlsReportQueries tls) {
        this.scopes = scopes;
        this.failures = failures;
        this.tls = tls;
        this.reads = reads;
        this.records = records;
        this.docs = docs;
    }

    @Override
    public List<ReportSummary> reports(ReportFilter filter, ReportSort sort, Page page) {
        List<ReportSummary> out = new ArrayList<>();
        for (JsonNode hit : reads.page(Family.REPORTS, query(filter), Order.reports(sort), page)) {
            out.add(Rows.report(hit.path("_source")));
        }
        return out;
    }

    @Override
    public long countReports(ReportFilter filter) {
        return reads.count(Family.REPORTS, query(filter));
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        return reads.countByVerdict(Family.REPORTS, "report_ref", query(ReportFilter.all().withScope(scope)));
    }

    @Override
    public Optional<ReportDetail> report(long id, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return docs.detail(id).filter(d -> s.permitsAggregate(d.summary().policyDomain()));
    }

    @Override
    public List<RecordRow> reportRecords(long reportId, Page page, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (!s.isAll() && report(reportId, scope).isEmpty()) {
            return List.of();
        }
        return records.ofReport(reportId, page);
    }

    @Override
    public List<RecordRow> records(List<Long> ids, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return records.byIds(ids).stream().filter(r -> s.permitsAggregate(r.policyDomain())).toList();
    }

    @Override
    public void exportRecords(ReportFilter filter, Consumer<RecordRow> sink) {
        records.export(scopes.resolve(filter.scope()).aggregateFilter(filter), sink);
    }

    @Override
    public List<ParseWarning> warnings(String kind, long reportId, DomainScope scope) {
        if (!scopes.resolve(scope).isAll() && !switch (kind) {
            case "aggregate" -> report(reportId, scope).isPresent();
            case "failure" -> failures.failureReport(reportId, scope).isPresent();
            case "tls" -> tls.tlsReport(reportId, scope).isPresent();
            default -> false;
        }) {
            return List.of();
        }
        return docs.warnings(kind, reportId);
    }

    private ObjectNode query(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        ObjectNode query = reads.visible("report_ref");
        ReportFilters.onReports(filter, Reads.filters(query));
        return query;
    }
}
