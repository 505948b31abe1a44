package io.dmarclens.opensearch;

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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Forwarded mail from the rollup documents of classification {@code forwarded}: per source (every source
 * walked by a composite aggregation, sorted and paged in memory) and per day.
 */
final class OpenSearchForwardingQueries implements ForwardingQueries {
    private final Reads reads;

    private final ScopeResolver scopes;

    OpenSearchForwardingQueries(Reads reads, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
    }

    private record Forwarded(String ip, long messages, long dkimSurvived) {
    }

    @Override
    public List<ForwardingSource> forwardingSources(ReportFilter filter, Page page) {
        ObjectNode query = forwarded(filter);
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("ip", Rollup.SOURCE_IP));
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "dkim", "messages", Rollup.is("dkim_aligned", true));
        List<Forwarded> all = new ArrayList<>();
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            long messages = Reads.sum(b, "messages");
            if (messages > 0) {
                all.add(new Forwarded(b.path("key").path("ip").asText(), messages, Reads.sum(b, "dkim")));
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
        Map<String, TreeSet<String>> reasons = reasons(filter, ips);
        Map<String, SenderInfo> senders = reads.senders(ips);
        List<ForwardingSource> out = new ArrayList<>();
        for (Forwarded f : window) {
            SenderInfo s = senders.getOrDefault(f.ip(), SenderInfo.UNKNOWN);
            out.add(new ForwardingSource(f.ip(), s.reverseDns(), s.senderName(), s.senderType(), f.messages(),
                    f.dkimSurvived(), List.copyOf(reasons.getOrDefault(f.ip(), new TreeSet<>()))));
        }
        return out;
    }

    /** The distinct override reason types of the forwarded mail of each of {@code ips}, sorted. */
    private Map<String, TreeSet<String>> reasons(ReportFilter filter, List<String> ips) {
        ObjectNode query = forwarded(filter);
        ArrayNode ipTerms = Reads.filters(query).addObject().putObject("terms").putArray(Rollup.SOURCE_IP);
        ips.forEach(ipTerms::add);
        ArrayNode sources = JsonNodes.object().arrayNode()
                .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                .add(Reads.termsSource("reason", "reason_types"));
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        Map<String, TreeSet<String>> out = new HashMap<>();
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            String reason = b.path("key").path("reason").asText("");
            if (!reason.isBlank() && Reads.sum(b, "messages") > 0) {
                out.computeIfAbsent(b.path("key").path("ip").asText(), k -> new TreeSet<>()).add(reason);
            }
        });
        return out;
    }

    @Override
    public List<DailyForwarding> forwardingDaily(ReportFilter filter) {
        ObjectNode query = forwarded(filter);
        ArrayNode sources = JsonNodes.object().arrayNode();
        sources.addObject().putObject("day").putObject("date_histogram").put("field", "day")
                .put("calendar_interval", "1d").put("time_zone", "UTC");
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "dkim", "messages", Rollup.is("dkim_aligned", true));
        List<DailyForwarding> out = new ArrayList<>();
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            long messages = Reads.sum(b, "messages");
            if (messages != 0) {
                out.add(new DailyForwarding(Instant.ofEpochMilli(b.path("key").path("day").asLong())
                        .atZone(ZoneOffset.UTC).toLocalDate(), messages, Reads.sum(b, "dkim")));
            }
        });
        return out;
    }

    private ObjectNode forwarded(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        ObjectNode query = reads.visible("report_ref");
        Filters.onRollups(filter, (ObjectNode) query.path("bool"));
        Reads.filters(query).add(Rollup.is("classification", "forwarded"));
        return query;
    }
}
