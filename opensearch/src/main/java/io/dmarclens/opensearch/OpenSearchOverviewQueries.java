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

    OpenSearchOverviewQueries(Cluster cluster, IndexNames names, Visibility visibility, ScopeResolver scopes) {
        this.scopes = scopes;
        this.cluster = cluster;
        this.names = names;
        this.visibility = visibility;
    }

    @Override
    public Totals totals(ReportFilter filter) {
        ObjectNode body = query(filter);
        TotalsAggs.add(body.putObject("aggs"));
        JsonNode reply = search(body);
        return TotalsAggs.read(reply.path("aggregations"));
    }

    @Override
    public List<DailyTotals> daily(ReportFilter filter) {
        List<DailyTotals> out = new ArrayList<>();
        JsonNode after = null;
        while (true) {
            ObjectNode body = query(filter);
            ObjectNode composite = body.putObject("aggs").putObject("days").putObject("composite");
            composite.put("size", DAYS_PER_PAGE);
            composite.putArray("sources").addObject().putObject("day").putObject("date_histogram")
                    .put("field", "day").put("calendar_interval", "1d").put("time_zone", "UTC");
            if (after != null) {
                composite.set("after", after);
            }
            TotalsAggs.add(((ObjectNode) body.path("aggs").path("days")).putObject("aggs"));
            JsonNode days = search(body).path("aggregations").path("days");
            for (JsonNode b : days.path("buckets")) {
                Totals t = TotalsAggs.read(b);
                if (t.messages() != 0) {
                    LocalDate d = Instant.ofEpochMilli(b.path("key").path("day").asLong()).atZone(ZoneOffset.UTC)
                            .toLocalDate();
                    out.add(new DailyTotals(d, t));
                }
            }
            if (!days.has("after_key") || days.path("buckets").size() < DAYS_PER_PAGE) {
                return out;
            }
            after = days.path("after_key");
        }
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
        return cluster.ok("POST", "/" + names.of(Family.ROLLUPS) + "/_search",
                Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), body);
    }
}
