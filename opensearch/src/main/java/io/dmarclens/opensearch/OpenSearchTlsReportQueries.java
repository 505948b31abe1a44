package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.query.TlsReportSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** SMTP TLS reports from their documents (policies inside), failure details from theirs. */
final class OpenSearchTlsReportQueries implements TlsReportQueries {
    private final Reads reads;
    private final ReportDocs docs;

    private final ScopeResolver scopes;

    OpenSearchTlsReportQueries(Reads reads, ReportDocs docs, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
        this.docs = docs;
    }

    @Override
    public List<TlsReportSummary> tlsReports(ReportFilter filter, Page page) {
        ObjectNode query = reads.visible("tls_ref");
        ArrayNode f = Reads.filters(query);
        range(filter, f);
        Filters.terms(f, "policy_domains", filter.domains());
        ScopeFilters.tlsReports(f, scopes.resolve(filter.scope()));
        Filters.terms(f, "organization", filter.reporters());
        if (filter.excludeUnverified()) {
            f.add(Rollup.is("unverified", false));
        }
        List<TlsReportSummary> out = new ArrayList<>();
        for (JsonNode hit : reads.page(Family.TLS, query, Order.sort("begin", "desc", Order.SEQ, "desc", "tls_ref", "desc"),
                page)) {
            out.add(Rows.tls(hit.path("_source")));
        }
        return out;
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        ObjectNode query = reads.visible("tls_ref");
        ScopeFilters.tlsReports(Reads.filters(query), scopes.resolve(scope));
        return reads.countByVerdict(Family.TLS, "tls_ref", query);
    }

    @Override
    public Optional<TlsReportDetail> tlsReport(long id, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return docs.tlsDetail(id, failuresOf(id)).filter(d -> s.permitsTlsReport(
                d.policies().stream().map(io.dmarclens.store.query.TlsPolicyRow::policyDomain).toList()));
    }

    /** The failure details of one report by the position of their policy, in the order of their report. */
    private Map<Integer, List<TlsFailureRow>> failuresOf(long tlsRef) {
        ObjectNode query = reads.visible("tls_ref");
        Reads.filters(query).add(Dsl.term("tls_ref", tlsRef));
        Map<Integer, List<TlsFailureRow>> out = new HashMap<>();
        reads.each(Family.TLS_FAILURES, query, Order.sort("position", "asc", "failure_id", "asc"),
                hit -> out.computeIfAbsent(hit.path("_source").path("policy").asInt(), k -> new ArrayList<>())
                        .add(Rows.tlsFailure(hit.path("_source"))));
        return out;
    }

    @Override
    public void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink) {
        // As the embedded store: failure details of the reports in the filter, and of policies of its domains.
        ObjectNode query = reads.visible("tls_ref");
        ArrayNode f = Reads.filters(query);
        range(filter, f);
        Filters.terms(f, "policy_domain", filter.domains());
        ScopeFilters.tlsFailures(f, scopes.resolve(filter.scope()));
        Filters.terms(f, "organization", filter.reporters());
        if (filter.excludeUnverified()) {
            f.add(Rollup.is("unverified", false));
        }
        reads.each(Family.TLS_FAILURES, query, Order.sort(Order.SEQ, "asc", "position", "asc", "failure_id", "asc"),
                hit -> sink.accept(Rows.tlsFailure(hit.path("_source"))));
    }

    @Override
    public List<TlsFailureRow> tlsFailures(List<Long> ids, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, TlsFailureRow> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += Reads.BATCH) {
            ObjectNode query = reads.visible("tls_ref");
            Reads.filters(query).add(Dsl.termsLong("failure_id", ids.subList(from, Math.min(ids.size(), from + Reads.BATCH))));
            reads.each(Family.TLS_FAILURES, query, Order.sort("failure_id", "asc"), hit -> {
                TlsFailureRow row = Rows.tlsFailure(hit.path("_source"));
                found.put(row.id(), row);
            });
        }
        return ids.stream().map(found::get).filter(Objects::nonNull).filter(r -> s.permitsTlsPolicy(r.policyDomain()))
                .toList();
    }

    /** A TLS report belongs to the days its range begins on. */
    private static void range(ReportFilter filter, ArrayNode f) {
        if (filter.from() != null || filter.to() != null) {
            f.add(Dsl.range("begin", filter.from() == null ? null : filter.fromSecond(),
                    filter.to() == null ? null : filter.toSecondExclusive()));
        }
    }
}
