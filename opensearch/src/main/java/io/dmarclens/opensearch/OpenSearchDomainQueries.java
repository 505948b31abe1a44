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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Policy domains: the published policy over time (every report of the domain, oldest first, folded by the
 * same {@link PolicyTimeline} as the embedded store) and what a stricter policy would do (sums per domain by a
 * composite aggregation over the compact documents per day and domain of the days they are current for, and over
 * the per-report rollups of the others).
 */
final class OpenSearchDomainQueries implements DomainQueries {
    private final Reads reads;

    private final ScopeResolver scopes;
    private final Compaction compaction;

    OpenSearchDomainQueries(Reads reads, ScopeResolver scopes, Compaction compaction) {
        this.scopes = scopes;
        this.reads = reads;
        this.compaction = compaction;
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
        // Per domain, in the byte order of its name (SQLite's ORDER BY): the figures of IMPACT_FIELDS.
        java.util.SortedMap<String, long[]> sums = new java.util.TreeMap<>(TextOrder.BINARY);
        int width = Compaction.IMPACT_FIELDS.size();
        Map<LocalDate, String> current = Compaction.answersPerDomain(filter)
                ? compaction.current(filter.from(), filter.to()) : Map.of();
        if (!current.isEmpty()) {
            ObjectNode query = Compaction.onCurrent(current, filter.excludeUnverified(), Compaction.DOMAIN);
            Filters.terms(Reads.filters(query), "policy_domain", filter.domains());
            ObjectNode metrics = JsonNodes.object();
            Compaction.IMPACT_FIELDS.forEach(m -> Reads.sumOf(metrics, m, m, null));
            reads.composite(Family.COMPACT, query, domainSource(), metrics, b -> add(sums, b, width));
        }
        if (Compaction.someStale(filter, current)) {
            ObjectNode query = reads.visible("report_ref");
            Filters.onRollups(filter, (ObjectNode) query.path("bool"));
            Compaction.leaveOut((ObjectNode) query.path("bool"), current);
            ObjectNode metrics = JsonNodes.object();
            Compaction.impactSums(metrics);
            reads.composite(Family.ROLLUPS, query, domainSource(), metrics, b -> add(sums, b, width));
        }
        sums.values().removeIf(v -> v[0] == 0);
        var policies = currentPolicies(new ArrayList<>(sums.keySet()));
        List<PolicyImpact> out = new ArrayList<>(sums.size());
        sums.forEach((domain, v) -> out.add(new PolicyImpact(domain, policies.get(domain), v[0], v[1], v[2], v[3],
                v[4], v[5], v[6])));
        return out;
    }

    private static ArrayNode domainSource() {
        return JsonNodes.object().arrayNode().add(Reads.termsSource("domain", "policy_domain"));
    }

    private static void add(Map<String, long[]> sums, JsonNode bucket, int width) {
        long[] v = sums.computeIfAbsent(bucket.path("key").path("domain").asText(), k -> new long[width]);
        for (int k = 0; k < width; k++) {
            v[k] += Reads.sum(bucket, Compaction.IMPACT_FIELDS.get(k));
        }
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
