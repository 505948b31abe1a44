package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * Sending sources, summed exactly from the rollup documents: one composite aggregation over the source IPs
 * (every bucket, page by page), each with its sums, then sorted and paged in memory as the embedded store
 * orders them. The list is bounded by the number of distinct sources in the filter, not by records.
 */
final class OpenSearchSourceQueries implements SourceQueries {
    private final Reads reads;
    private final Records records;

    OpenSearchSourceQueries(Reads reads, Records records) {
        this.reads = reads;
        this.records = records;
    }

    @Override
    public List<SourceStats> sources(ReportFilter filter, SourceSort sort, Page page) {
        return stats(window(ranked(filter, sort), page));
    }

    @Override
    public long countSources(ReportFilter filter) {
        return totals(filter).size();
    }

    @Override
    public List<SourceStats> failingSources(ReportFilter filter, Page page) {
        // As the embedded store: the page of all sources by failures, then those without failures left out.
        List<SourceTotals> failing = new ArrayList<>(window(ranked(filter, SourceSort.FAILING), page));
        failing.removeIf(s -> s.messages() - s.dmarcPass() <= 0);
        return stats(failing);
    }

    @Override
    public void allSources(ReportFilter filter, Consumer<SourceStats> sink) {
        List<SourceTotals> all = ranked(filter, SourceSort.MESSAGES);
        for (int from = 0; from < all.size(); from += 500) {
            stats(all.subList(from, Math.min(all.size(), from + 500))).forEach(sink);
        }
    }

    @Override
    public SenderInfo sender(String ip) {
        return reads.senders(List.of(ip)).getOrDefault(ip, SenderInfo.UNKNOWN);
    }

    @Override
    public List<RecordRow> sourceRecords(String ip, ReportFilter filter, Page page) {
        return records.ofSource(ip, filter, page);
    }

    @Override
    public SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter) {
        return records.dkimSelectors(dkimDomain.strip().toLowerCase(Locale.ROOT), filter);
    }

    private List<SourceTotals> ranked(ReportFilter filter, SourceSort sort) {
        List<SourceTotals> all = totals(filter);
        all.sort(SourceTotals.order(sort));
        return all;
    }

    private static List<SourceTotals> window(List<SourceTotals> all, Page page) {
        int from = (int) Math.min(all.size(), (long) page.offset());
        return all.subList(from, (int) Math.min(all.size(), (long) from + page.limit()));
    }

    /** Per source IP over the filter: messages, DMARC pass, SPF and DKIM aligned, messages per classification. */
    private List<SourceTotals> totals(ReportFilter filter) {
        ObjectNode query = reads.visible("report_ref");
        Filters.onRollups(filter, (ObjectNode) query.path("bool"));
        ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("ip", Rollup.SOURCE_IP));
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "dmarc_pass", "messages", Rollup.is("dmarc_pass", true));
        Reads.sumOf(metrics, "spf_aligned", "messages", Rollup.is("spf_aligned", true));
        Reads.sumOf(metrics, "dkim_aligned", "messages", Rollup.is("dkim_aligned", true));
        for (String token : SourceTotals.CLASSIFICATIONS) {
            Reads.sumOf(metrics, "class_" + token, "messages", Rollup.is("classification", token));
        }
        List<SourceTotals> out = new ArrayList<>();
        reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
            long messages = Reads.sum(b, "messages");
            if (messages == 0) {
                return; // as the embedded store, which deletes rows brought to zero
            }
            long[] byClass = new long[SourceTotals.CLASSIFICATIONS.size()];
            for (int k = 0; k < byClass.length; k++) {
                byClass[k] = Reads.sum(b, "class_" + SourceTotals.CLASSIFICATIONS.get(k));
            }
            out.add(new SourceTotals(b.path("key").path("ip").asText(), messages, Reads.sum(b, "dmarc_pass"),
                    Reads.sum(b, "spf_aligned"), Reads.sum(b, "dkim_aligned"), byClass));
        });
        return out;
    }

    /** The rows of a list: each source with its sender and the reason of its latest record of its classification. */
    private List<SourceStats> stats(List<SourceTotals> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        Map<String, SenderInfo> senders = reads.senders(sources.stream().map(SourceTotals::ip).toList());
        Map<String, String> reasons = records.latestReasons(sources.stream()
                .filter(s -> s.dominant() != null).map(s -> Map.entry(s.ip(), s.dominant())).toList());
        List<SourceStats> out = new ArrayList<>(sources.size());
        for (SourceTotals t : sources) {
            SenderInfo s = senders.getOrDefault(t.ip(), SenderInfo.UNKNOWN);
            String cls = t.dominant();
            out.add(new SourceStats(t.ip(), s.reverseDns(), s.baseDomain(), s.senderName(), s.senderType(), s.asn(),
                    s.asName(), s.country(), t.messages(), t.dmarcPass(), t.spfAligned(), t.dkimAligned(), cls,
                    cls == null ? null : reasons.get(t.ip())));
        }
        return out;
    }
}
