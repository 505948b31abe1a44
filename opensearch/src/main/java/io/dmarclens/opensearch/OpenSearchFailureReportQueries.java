package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureReportQueries;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Failure reports (ruf) from their documents, newest first by arrival (or, without an Arrival-Date, by when
 * they were stored), as the embedded store lists them.
 */
final class OpenSearchFailureReportQueries implements FailureReportQueries {
    private final Reads reads;

    private final ScopeResolver scopes;

    OpenSearchFailureReportQueries(Reads reads, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
    }

    @Override
    public List<FailureRow> failureReports(ReportFilter filter, Page page) {
        return rows(reads.page(Family.FAILURES, query(filter), newestFirst(), page));
    }

    @Override
    public void exportFailureReports(ReportFilter filter, Consumer<FailureRow> sink) {
        List<JsonNode> batch = new ArrayList<>();
        reads.each(Family.FAILURES, query(filter), newestFirst(), hit -> {
            batch.add(hit);
            if (batch.size() == Reads.BATCH) {
                rows(batch).forEach(sink);
                batch.clear();
            }
        });
        rows(batch).forEach(sink);
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        ObjectNode query = reads.visible(null);
        ScopeFilters.failures(Reads.filters(query), scopes.resolve(scope));
        return reads.countByVerdict(Family.FAILURES, null, query);
    }

    @Override
    public Optional<FailureRow> failureReport(long id, DomainScope scope) {
        ObjectNode query = reads.visible(null);
        ScopeFilters.failures(Reads.filters(query), scopes.resolve(scope));
        Reads.filters(query).add(Dsl.term("failure_id", id));
        return rows(reads.page(Family.FAILURES, query, Order.sort("failure_id", "asc"),
                io.dmarclens.store.query.Page.first(1))).stream().findFirst();
    }

    @Override
    public List<String[]> failureMessageHeaders(long id, DomainScope scope) {
        ObjectNode query = reads.visible(null);
        ScopeFilters.failures(Reads.filters(query), scopes.resolve(scope));
        Reads.filters(query).add(Dsl.term("failure_id", id));
        List<JsonNode> hits = reads.page(Family.FAILURES, query, Order.sort("failure_id", "asc"),
                io.dmarclens.store.query.Page.first(1));
        return hits.isEmpty() ? List.of() : Rows.headers(hits.get(0).path("_source"));
    }

    /** The filter: arrival (else storing time) within the days, a Reported-Domain among the domains. */
    private ObjectNode query(ReportFilter filter) {
        ObjectNode query = reads.visible(null);
        ArrayNode f = Reads.filters(query);
        if (filter.from() != null || filter.to() != null) {
            Long from = filter.from() == null ? null : filter.fromSecond();
            Long to = filter.to() == null ? null : filter.toSecondExclusive();
            ArrayNode either = f.addObject().putObject("bool").put("minimum_should_match", 1).putArray("should");
            either.add(Dsl.range("arrival", from, to));
            ObjectNode stored = either.addObject().putObject("bool");
            stored.putArray("must_not").add(Dsl.exists("arrival"));
            stored.putArray("filter").add(Dsl.range("imported_at", from, to));
        }
        if (filter.excludeUnverified()) {
            f.add(Rollup.is("unverified", false));
        }
        ScopeFilters.failures(f, scopes.resolve(filter.scope()));
        if (!filter.domains().isEmpty()) {
            // The embedded store compares lower(Reported-Domain) with the filter's (lower case) domains.
            ArrayNode any = f.addObject().putObject("bool").put("minimum_should_match", 1).putArray("should");
            for (String d : filter.domains().stream().sorted().toList()) {
                any.addObject().putObject("term").putObject("reported_domain").put("value", d)
                        .put("case_insensitive", true);
            }
        }
        return query;
    }

    /** Arrival (else storing time) newest first, then the last stored first. */
    private static ArrayNode newestFirst() {
        ArrayNode sort = JsonNodes.object().arrayNode();
        ObjectNode script = sort.addObject().putObject("_script");
        script.put("type", "number");
        script.put("order", "desc");
        script.putObject("script").put("lang", "painless").put("source",
                "doc['arrival'].size() > 0 ? doc['arrival'].value.toInstant().getEpochSecond()"
                        + " : doc['imported_at'].value.toInstant().getEpochSecond()");
        sort.addAll(Order.sort(Order.SEQ, "desc", "failure_id", "desc"));
        return sort;
    }

    private List<FailureRow> rows(List<JsonNode> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<String, SenderInfo> senders = reads.senders(hits.stream()
                .map(h -> Rows.text(h.path("_source"), "source_ip")).filter(Objects::nonNull).toList());
        List<FailureRow> out = new ArrayList<>();
        for (JsonNode h : hits) {
            String ip = Rows.text(h.path("_source"), "source_ip");
            out.add(Rows.failure(h.path("_source"), ip == null ? SenderInfo.UNKNOWN
                    : senders.getOrDefault(ip, SenderInfo.UNKNOWN)));
        }
        return out;
    }
}
