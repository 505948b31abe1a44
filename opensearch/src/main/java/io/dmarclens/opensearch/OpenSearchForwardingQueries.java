package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.ForwardingQueries;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Forwarded mail per source (every source walked by a composite aggregation, sorted and paged in memory) and per
 * day. Without domains and reporters, over a bounded range, the days whose compact rollup is current are read
 * from it ({@link Compaction}: its forwarded messages, their DKIM-aligned part and reason types) and only the
 * other days from the rollup documents of classification {@code forwarded}; the answers are the same.
 */
final class OpenSearchForwardingQueries implements ForwardingQueries {
    private final Reads reads;
    private final ScopeResolver scopes;
    private final Compaction compaction;

    OpenSearchForwardingQueries(Reads reads, ScopeResolver scopes, Compaction compaction) {
        this.scopes = scopes;
        this.reads = reads;
        this.compaction = compaction;
    }

    private record Forwarded(String ip, long messages, long dkimSurvived) {
    }

    /** Where a read takes each day from: the current days of the compact rollup, the others per report. */
    private record Plan(ReportFilter filter, Set<Long> hidden, Map<LocalDate, String> current) {
        boolean someStale() {
            return Compaction.someStale(filter, current);
        }
    }

    private Plan plan(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        // The hidden copies first, then the days' state: see Compaction#current.
        Set<Long> hidden = reads.visibility().hidden();
        return new Plan(filter, hidden, Compaction.answers(filter) ? compaction.current(filter.from(), filter.to())
                : Map.of());
    }

    @Override
    public List<ForwardingSource> forwardingSources(ReportFilter scoped, Page page) {
        Plan plan = plan(scoped);
        Map<String, long[]> sums = new HashMap<>();
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("ip", Rollup.SOURCE_IP));
        if (!plan.current().isEmpty()) {
            ObjectNode metrics = JsonNodes.object();
            Reads.sumOf(metrics, "messages", "class_forwarded", null);
            Reads.sumOf(metrics, "dkim", Compaction.FWD_DKIM, null);
            reads.composite(Family.COMPACT, onCompact(plan), sources, metrics, b -> add(sums, b));
        }
        if (plan.someStale()) {
            ObjectNode metrics = JsonNodes.object();
            Reads.sumOf(metrics, "messages", "messages", null);
            Reads.sumOf(metrics, "dkim", "messages", Rollup.is("dkim_aligned", true));
            reads.composite(Family.ROLLUPS, onRollups(plan), sources, metrics, b -> add(sums, b));
        }
        List<Forwarded> all = new ArrayList<>();
        sums.forEach((ip, s) -> {
            if (s[0] > 0) {
                all.add(new Forwarded(ip, s[0], s[1]));
            }
        });
        all.sort(Comparator.comparingLong(Forwarded::messages).reversed()
                .thenComparing(Forwarded::ip, TextOrder.BINARY));
        int from = (int) Math.min(all.size(), (long) page.offset());
        List<Forwarded> window = all.subList(from, (int) Math.min(all.size(), (long) from + page.limit()));
        if (window.isEmpty()) {
            return List.of();
        }
        List<String> ips = window.stream().map(Forwarded::ip).toList();
        Map<String, TreeSet<String>> reasons = reasons(plan, ips);
        Map<String, SenderInfo> senders = reads.senders(ips);
        List<ForwardingSource> out = new ArrayList<>();
        for (Forwarded f : window) {
            SenderInfo s = senders.getOrDefault(f.ip(), SenderInfo.UNKNOWN);
            out.add(new ForwardingSource(f.ip(), s.reverseDns(), s.senderName(), s.senderType(), f.messages(),
                    f.dkimSurvived(), List.copyOf(reasons.getOrDefault(f.ip(), new TreeSet<>()))));
        }
        return out;
    }

    private static void add(Map<String, long[]> sums, JsonNode bucket) {
        long[] s = sums.computeIfAbsent(bucket.path("key").path("ip").asText(), k -> new long[2]);
        s[0] += Reads.sum(bucket, "messages");
        s[1] += Reads.sum(bucket, "dkim");
    }

    /**
     * The distinct override reason types of the forwarded mail of each of {@code ips}, sorted: a type counts when
     * its messages add up to more than zero (counts are never negative, so the union over the days of the compact
     * rollup, which keeps a type per day only when so, and the other days is the same set).
     */
    private Map<String, TreeSet<String>> reasons(Plan plan, List<String> ips) {
        Map<String, TreeSet<String>> out = new HashMap<>();
        if (!plan.current().isEmpty()) {
            ObjectNode query = onCompact(plan);
            ArrayNode ipTerms = Reads.filters(query).addObject().putObject("terms").putArray(Rollup.SOURCE_IP);
            ips.forEach(ipTerms::add);
            ArrayNode sources = JsonNodes.object().arrayNode()
                    .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                    .add(Reads.termsSource("reason", Compaction.FWD_REASONS));
            reads.composite(Family.COMPACT, query, sources, null, b -> {
                String reason = b.path("key").path("reason").asText("");
                if (!reason.isBlank()) {
                    out.computeIfAbsent(b.path("key").path("ip").asText(), k -> new TreeSet<>()).add(reason);
                }
            });
        }
        if (!plan.someStale()) {
            return out;
        }
        ObjectNode query = onRollups(plan);
        ArrayNode ipTerms = Reads.filters(query).addObject().putObject("terms").putArray(Rollup.SOURCE_IP);
        ips.forEach(ipTerms::add);
        ArrayNode sources = JsonNodes.object().arrayNode()
                .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                .add(Reads.termsSource("reason", "reason_types"));
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            String reason = b.path("key").path("reason").asText("");
            if (!reason.isBlank() && Reads.sum(b, "messages") > 0) {
                out.computeIfAbsent(b.path("key").path("ip").asText(), k -> new TreeSet<>()).add(reason);
            }
        });
        return out;
    }

    @Override
    public List<DailyForwarding> forwardingDaily(ReportFilter scoped) {
        Plan plan = plan(scoped);
        ArrayNode sources = JsonNodes.object().arrayNode();
        sources.addObject().putObject("day").putObject("date_histogram").put("field", "day")
                .put("calendar_interval", "1d").put("time_zone", "UTC");
        // the compact days and the per-report days are disjoint: each day comes from one of them
        Map<LocalDate, DailyForwarding> byDay = new TreeMap<>();
        java.util.function.Consumer<JsonNode> put = b -> {
            long messages = Reads.sum(b, "messages");
            if (messages != 0) {
                LocalDate day = Instant.ofEpochMilli(b.path("key").path("day").asLong()).atZone(ZoneOffset.UTC)
                        .toLocalDate();
                byDay.put(day, new DailyForwarding(day, messages, Reads.sum(b, "dkim")));
            }
        };
        if (!plan.current().isEmpty()) {
            ObjectNode metrics = JsonNodes.object();
            Reads.sumOf(metrics, "messages", "class_forwarded", null);
            Reads.sumOf(metrics, "dkim", Compaction.FWD_DKIM, null);
            reads.composite(Family.COMPACT, onCompact(plan), sources, metrics, put);
        }
        if (plan.someStale()) {
            ObjectNode metrics = JsonNodes.object();
            Reads.sumOf(metrics, "messages", "messages", null);
            Reads.sumOf(metrics, "dkim", "messages", Rollup.is("dkim_aligned", true));
            reads.composite(Family.ROLLUPS, onRollups(plan), sources, metrics, put);
        }
        return new ArrayList<>(byDay.values());
    }

    /** The compact documents of the current days with forwarded mail. */
    private static ObjectNode onCompact(Plan plan) {
        ObjectNode query = Compaction.onCurrent(plan.current(), plan.filter().excludeUnverified());
        Reads.filters(query).addObject().putObject("range").putObject("class_forwarded").put("gt", 0);
        return query;
    }

    /** The forwarded rollup documents of the days not read from the compact rollup. */
    private static ObjectNode onRollups(Plan plan) {
        ObjectNode query = Reads.visible("report_ref", plan.hidden());
        ObjectNode bool = (ObjectNode) query.path("bool");
        Filters.onRollups(plan.filter(), bool);
        Compaction.leaveOut(bool, plan.current());
        Reads.filters(query).add(Rollup.is("classification", "forwarded"));
        return query;
    }
}
