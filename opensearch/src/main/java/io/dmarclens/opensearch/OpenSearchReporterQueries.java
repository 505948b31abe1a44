package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.CoveredDays;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReporterQueries;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.store.query.ScopeResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Reporting organisations from the report documents: per reporter (a composite aggregation over every
 * reporter, sorted and paged in memory), then the days the reports of the page's reporters cover.
 */
final class OpenSearchReporterQueries implements ReporterQueries {
    private final Reads reads;

    private final ScopeResolver scopes;

    OpenSearchReporterQueries(Reads reads, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
    }

    private record Figures(String reporter, long reports, long messages, long first, long last) {
    }

    @Override
    public List<ReporterStats> reporters(ReportFilter filter, Page page) {
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("reporter", "reporter"));
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "message_count", null);
        metrics.putObject("first").putObject("min").put("field", "begin");
        metrics.putObject("last").putObject("max").put("field", "end");
        List<Figures> all = new ArrayList<>();
        reads.composite(Family.REPORTS, query(filter), sources, metrics, b -> all.add(new Figures(
                b.path("key").path("reporter").asText(), b.path("doc_count").asLong(), Reads.sum(b, "messages"),
                seconds(b.path("first").path("value").asDouble()), seconds(b.path("last").path("value").asDouble()))));
        all.sort(Comparator.comparingLong(Figures::reports).reversed().thenComparing(Figures::reporter, TextOrder.BINARY));
        int from = (int) Math.min(all.size(), (long) page.offset());
        List<Figures> window = all.subList(from, (int) Math.min(all.size(), (long) from + page.limit()));
        Map<String, CoveredDays> covered = coveredDays(filter, window);
        List<ReporterStats> out = new ArrayList<>();
        for (Figures f : window) {
            long span = Math.floorDiv(Math.max(f.first(), f.last() - 1), 86_400) - Math.floorDiv(f.first(), 86_400) + 1;
            long days = covered.get(f.reporter()).count();
            out.add(new ReporterStats(f.reporter(), f.reports(), f.messages(), Instant.ofEpochSecond(f.first()),
                    Instant.ofEpochSecond(f.last()), days, Math.max(0, span - days)));
        }
        return out;
    }

    /**
     * The days the reports of each reporter cover: per reporter and day a report began on, the latest end
     * (reports beginning the same day cover the days of the longest), as the embedded store counts them.
     */
    private Map<String, CoveredDays> coveredDays(ReportFilter filter, List<Figures> reporters) {
        Map<String, CoveredDays> out = new HashMap<>();
        reporters.forEach(r -> out.put(r.reporter(), new CoveredDays()));
        if (reporters.isEmpty()) {
            return out;
        }
        ObjectNode query = query(filter);
        Filters.terms(Reads.filters(query), "reporter", new HashSet<>(out.keySet()));
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("reporter", "reporter"));
        sources.addObject().putObject("day").putObject("date_histogram").put("field", "begin")
                .put("calendar_interval", "1d").put("time_zone", "UTC");
        ObjectNode metrics = JsonNodes.object();
        metrics.putObject("last").putObject("max").put("field", "end");
        reads.composite(Family.REPORTS, query, sources, metrics, b -> {
            CoveredDays days = out.get(b.path("key").path("reporter").asText());
            if (days != null) {
                days.add(Math.floorDiv(b.path("key").path("day").asLong(), 1000),
                        seconds(b.path("last").path("value").asDouble()));
            }
        });
        return out;
    }

    private ObjectNode query(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        ObjectNode query = reads.visible("report_ref");
        ReportFilters.onReports(filter, Reads.filters(query));
        return query;
    }

    /** A date aggregation's value (epoch milliseconds) in seconds. */
    private static long seconds(double epochMillis) {
        return Math.floorDiv(Math.round(epochMillis), 1000);
    }
}
