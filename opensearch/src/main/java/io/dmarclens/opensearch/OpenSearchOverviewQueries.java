package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.OverviewQueries;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.Totals;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Totals, daily series and the days stored, summed over the rollup documents (each report's messages per
 * day, split as the embedded store splits them). Exact: totals are sums, and days are walked with a
 * composite aggregation page by page, never an approximate terms aggregation.
 */
final class OpenSearchOverviewQueries implements OverviewQueries {
    private static final int DAYS_PER_PAGE = 1_000;
    private final Cluster cluster;
    private final IndexNames names;
    private final Visibility visibility;
    private final ScopeResolver scopes;

    private final Compaction compaction;

    OpenSearchOverviewQueries(Cluster cluster, IndexNames names, Visibility visibility, ScopeResolver scopes,
                              Compaction compaction) {
        this.compaction = compaction;
        this.scopes = scopes;
        this.cluster = cluster;
        this.names = names;
        this.visibility = visibility;
    }

    /**
     * The rollups to read a filter from: the current days of the compact rollup (when it can answer the filter,
     * see {@link Compaction}) and the per-report rollups of the other days.
     */
    private record Plan(ReportFilter filter, java.util.Set<Long> hidden, Map<LocalDate, String> current) {
        boolean rollups() {
            return current.isEmpty() || Compaction.someStale(filter, current);
        }
    }

    private Plan plan(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        // The hidden copies first, then the days' state: see Compaction#current.
        java.util.Set<Long> hidden = visibility.hidden();
        return new Plan(filter, hidden, Compaction.answers(filter) ? compaction.current(filter.from(), filter.to())
                : Map.of());
    }

    @Override
    public Totals totals(ReportFilter scoped) {
        Plan plan = plan(scoped);
        Totals out = Totals.ZERO;
        if (!plan.current().isEmpty()) {
            ObjectNode body = compactQuery(plan);
            TotalsAggs.addCompact(body.putObject("aggs"));
            out = TotalsAggs.read(search(Family.COMPACT, body).path("aggregations"));
        }
        if (plan.rollups()) {
            ObjectNode body = query(plan);
            TotalsAggs.add(body.putObject("aggs"));
            out = TotalsAggs.plus(out, TotalsAggs.read(search(Family.ROLLUPS, body).path("aggregations")));
        }
        return out;
    }

    @Override
    public List<DailyTotals> daily(ReportFilter scoped) {
        Plan plan = plan(scoped);
        java.util.TreeMap<LocalDate, Totals> byDay = new java.util.TreeMap<>();
        if (!plan.current().isEmpty()) {
            daily(Family.COMPACT, compactQuery(plan), true, byDay);
        }
        if (plan.rollups()) {
            daily(Family.ROLLUPS, query(plan), false, byDay);
        }
        List<DailyTotals> out = new ArrayList<>();
        byDay.forEach((d, t) -> {
            if (t.messages() != 0) {
                out.add(new DailyTotals(d, t));
            }
        });
        return out;
    }

    private void daily(Family family, ObjectNode query, boolean compact, Map<LocalDate, Totals> byDay) {
        JsonNode after = null;
        while (true) {
            ObjectNode body = query.deepCopy();
            ObjectNode composite = body.putObject("aggs").putObject("days").putObject("composite");
            composite.put("size", DAYS_PER_PAGE);
            composite.putArray("sources").addObject().putObject("day").putObject("date_histogram")
                    .put("field", "day").put("calendar_interval", "1d").put("time_zone", "UTC");
            if (after != null) {
                composite.set("after", after);
            }
            ObjectNode sums = ((ObjectNode) body.path("aggs").path("days")).putObject("aggs");
            if (compact) {
                TotalsAggs.addCompact(sums);
            } else {
                TotalsAggs.add(sums);
            }
            JsonNode days = search(family, body).path("aggregations").path("days");
            for (JsonNode b : days.path("buckets")) {
                LocalDate d = Instant.ofEpochMilli(b.path("key").path("day").asLong()).atZone(ZoneOffset.UTC)
                        .toLocalDate();
                byDay.merge(d, TotalsAggs.read(b), TotalsAggs::plus);
            }
            if (!days.has("after_key") || days.path("buckets").size() < DAYS_PER_PAGE) {
                return;
            }
            after = days.path("after_key");
        }
    }

    private ObjectNode compactQuery(Plan plan) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        body.set("query", Compaction.onCurrent(plan.current(), plan.filter().excludeUnverified()));
        return body;
    }

    private ObjectNode query(Plan plan) {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        Filters.onRollups(plan.filter(), bool);
        Visibility.exclude(bool, "report_ref", plan.hidden());
        Compaction.leaveOut(bool, plan.current());
        return body;
    }

    @Override
    public Optional<DateSpan> dateSpan(DomainScope scope) {
        ObjectNode body = query(ReportFilter.all().withScope(scope));
        ObjectNode aggs = body.putObject("aggs");
        aggs.putObject("first").putObject("min").put("field", "day");
        aggs.putObject("last").putObject("max").put("field", "day");
        JsonNode a = search(body).path("aggregations");
        if (!a.path("first").path("value").isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new DateSpan(day(a.path("first").path("value").asLong()),
                day(a.path("last").path("value").asLong())));
    }

    private static LocalDate day(long epochMilli) {
        return Instant.ofEpochMilli(epochMilli).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private ObjectNode query(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        Filters.onRollups(filter, bool);
        visibility.exclude(bool, "report_ref");
        return body;
    }

    private JsonNode search(ObjectNode body) {
        return search(Family.ROLLUPS, body);
    }

    private JsonNode search(Family family, ObjectNode body) {
        return cluster.ok("POST", "/" + names.of(family) + "/_search",
                Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), body);
    }
}
