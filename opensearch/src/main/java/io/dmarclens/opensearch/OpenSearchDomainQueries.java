package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.DomainQueries;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.PolicyTimeline;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Policy domains: the published policy over time (every report of the domain, oldest first, folded by the
 * same {@link PolicyTimeline} as the embedded store) and what a stricter policy would do (sums over the
 * rollup documents, per domain by a composite aggregation).
 */
final class OpenSearchDomainQueries implements DomainQueries {
    private final Reads reads;

    private final ScopeResolver scopes;

    OpenSearchDomainQueries(Reads reads, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
    }

    @Override
    public List<PolicyPeriod> policyHistory(String domain, boolean excludeUnverified, DomainScope scope) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (!scopes.resolve(scope).permitsAggregate(d)) {
            return List.of(); // a domain outside the reader's scope has no history for them
        }
        ObjectNode query = reads.visible("report_ref");
        Reads.filters(query).add(Rollup.is("policy_domain", d));
        if (excludeUnverified) {
            Reads.filters(query).add(Rollup.is("unverified", false));
        }
        PolicyTimeline timeline = new PolicyTimeline(d);
        reads.each(Family.REPORTS, query, Order.reportsOldestFirst(), hit -> {
            JsonNode r = hit.path("_source");
            timeline.add(Rows.text(r, "p"), Rows.text(r, "sp"), Rows.text(r, "adkim"), Rows.text(r, "aspf"),
                    r.hasNonNull("pct") ? r.path("pct").asInt() : null,
                    Instant.ofEpochSecond(r.path("begin").asLong()), Instant.ofEpochSecond(r.path("end").asLong()));
        });
        return timeline.periods();
    }

    @Override
    public List<PolicyImpact> policyImpact(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        ObjectNode query = reads.visible("report_ref");
        Filters.onRollups(filter, (ObjectNode) query.path("bool"));
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("domain", "policy_domain"));
        ObjectNode metrics = JsonNodes.object();
        ObjectNode failing = Rollup.is("dmarc_pass", false);
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "failing", "messages", failing);
        Reads.sumOf(metrics, "forwarded", "messages", Rollup.both(failing, Rollup.is("classification", "forwarded")));
        Reads.sumOf(metrics, "misconfigured", "messages",
                Rollup.both(failing, Rollup.is("classification", "misconfigured")));
        Reads.sumOf(metrics, "threat", "messages", Rollup.both(failing, Rollup.is("classification", "threat")));
        Reads.sumOf(metrics, "quarantined", "messages", Rollup.both(failing, Rollup.is("disposition", "quarantine")));
        Reads.sumOf(metrics, "rejected", "messages", Rollup.both(failing, Rollup.is("disposition", "reject")));
        List<long[]> figures = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            long messages = Reads.sum(b, "messages");
            if (messages != 0) {
                domains.add(b.path("key").path("domain").asText());
                figures.add(new long[]{messages, Reads.sum(b, "failing"), Reads.sum(b, "forwarded"),
                        Reads.sum(b, "misconfigured"), Reads.sum(b, "threat"), Reads.sum(b, "quarantined"),
                        Reads.sum(b, "rejected")});
            }
        });
        // Composite buckets come in key order, which for keywords is the byte order SQLite's ORDER BY uses.
        var current = currentPolicies(domains);
        List<PolicyImpact> out = new ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
            long[] v = figures.get(i);
            out.add(new PolicyImpact(domains.get(i), current.get(domains.get(i)), v[0], v[1], v[2], v[3], v[4], v[5],
                    v[6]));
        }
        return out;
    }

    /**
     * p of each domain's latest report (by range begin, the last stored on a tie), whatever the filter: one
     * composite aggregation over the domains with each one's top report.
     */
    private java.util.Map<String, String> currentPolicies(List<String> domains) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (int from = 0; from < domains.size(); from += 1_000) {
            ObjectNode query = reads.visible("report_ref");
            Filters.terms(Reads.filters(query), "policy_domain",
                    new java.util.HashSet<>(domains.subList(from, Math.min(domains.size(), from + 1_000))));
            ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("domain", "policy_domain"));
            ObjectNode metrics = JsonNodes.object();
            ObjectNode top = metrics.putObject("latest").putObject("top_hits");
            top.put("size", 1);
            top.set("sort", Order.reportsNewestFirst());
            top.putObject("_source").putArray("includes").add("p");
            reads.composite(Family.REPORTS, query, sources, metrics, b -> {
                JsonNode hits = b.path("latest").path("hits").path("hits");
                if (!hits.isEmpty()) {
                    out.put(b.path("key").path("domain").asText(), Rows.text(hits.get(0).path("_source"), "p"));
                }
            });
        }
        return out;
    }
}
