package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * Sending sources, summed exactly from the rollup documents: one composite aggregation over the source IPs
 * (every bucket, page by page) with the two sums every order needs (messages, DMARC pass), sorted and paged in
 * memory as the embedded store orders them; then the page's sources alone with all their sums. The list is
 * bounded by the number of distinct sources in the filter, not by records.
 */
final class OpenSearchSourceQueries implements SourceQueries {
    private final Reads reads;
    private final Records records;

    private final ScopeResolver scopes;

    private final Compaction compaction;

    OpenSearchSourceQueries(Reads reads, Records records, ScopeResolver scopes, Compaction compaction) {
        this.compaction = compaction;
        this.scopes = scopes;
        this.reads = reads;
        this.records = records;
    }

    @Override
    public List<SourceStats> sources(ReportFilter scoped, SourceSort sort, Page page) {
        ReportFilter filter = bound(scoped);
        return stats(filled(filter, window(ranked(filter, sort), page)), reasonDomains(scoped));
    }

    @Override
    public long countSources(ReportFilter filter) {
        return totals(bound(filter), null, false).size();
    }

    @Override
    public List<SourceStats> failingSources(ReportFilter scoped, Page page) {
        ReportFilter filter = bound(scoped);
        // As the embedded store: the page of all sources by failures, then those without failures left out.
        List<SourceTotals> failing = new ArrayList<>(filled(filter, window(ranked(filter, SourceSort.FAILING), page)));
        failing.removeIf(s -> s.messages() - s.dmarcPass() <= 0);
        return stats(failing, reasonDomains(scoped));
    }

    @Override
    public void allSources(ReportFilter scoped, Consumer<SourceStats> sink) {
        ReportFilter filter = bound(scoped);
        java.util.Set<String> reasons = reasonDomains(scoped);
        List<SourceTotals> all = ranked(filter, SourceSort.MESSAGES);
        for (int from = 0; from < all.size(); from += 500) {
            stats(filled(filter, all.subList(from, Math.min(all.size(), from + 500))), reasons).forEach(sink);
        }
    }

    @Override
    public Optional<SenderInfo> sender(String ip, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (!s.isAll()) {
            // a source exists for the reader when one of its records or failure reports is in scope
            ObjectNode records = reads.visible("report_ref");
            ReportFilters.onReports(s.aggregateFilter(ReportFilter.all()), Reads.filters(records));
            Reads.filters(records).add(Dsl.term(Rollup.SOURCE_IP, ip));
            ObjectNode failures = reads.visible(null);
            ScopeFilters.failures(Reads.filters(failures), s);
            Reads.filters(failures).add(Dsl.term("source_ip", ip));
            if (reads.count(Family.RECORDS, records) == 0 && reads.count(Family.FAILURES, failures) == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(reads.senders(List.of(ip)).getOrDefault(ip, SenderInfo.UNKNOWN));
    }

    /** The filter with its scope turned into the policy domains it admits. */
    private ReportFilter bound(ReportFilter filter) {
        return scopes.resolve(filter.scope()).aggregateFilter(filter);
    }

    @Override
    public List<RecordRow> sourceRecords(String ip, ReportFilter filter, Page page) {
        return records.ofSource(ip, bound(filter), page);
    }

    @Override
    public SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter) {
        return records.dkimSelectors(dkimDomain.strip().toLowerCase(Locale.ROOT), filter, reasonDomains(filter));
    }

    /** Every source of the filter in {@code sort} order, with its messages and DMARC pass only. */
    private List<SourceTotals> ranked(ReportFilter filter, SourceSort sort) {
        List<SourceTotals> all = totals(filter, null, false);
        all.sort(SourceTotals.order(sort));
        return all;
    }

    /** The same sources in the same order, with all their sums. */
    private List<SourceTotals> filled(ReportFilter filter, List<SourceTotals> ranked) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> ips = new java.util.HashSet<>();
        ranked.forEach(t -> ips.add(t.ip()));
        Map<String, SourceTotals> full = new java.util.HashMap<>();
        totals(filter, ips, true).forEach(t -> full.put(t.ip(), t));
        List<SourceTotals> out = new ArrayList<>(ranked.size());
        for (SourceTotals t : ranked) {
            out.add(full.getOrDefault(t.ip(), t));
        }
        return out;
    }

    private static List<SourceTotals> window(List<SourceTotals> all, Page page) {
        int from = (int) Math.min(all.size(), (long) page.offset());
        return all.subList(from, (int) Math.min(all.size(), (long) from + page.limit()));
    }

    /**
     * Per source IP over the filter: messages, DMARC pass, SPF and DKIM aligned, messages per classification.
     * Without domains, over a bounded range, the days whose compact rollup is current are read from it
     * ({@link Compaction}: its documents per source, or per reporter and source when the filter names reporters)
     * and only the others from the per-report rollups; the sums are the same.
     *
     * @param ips  the sources to sum, or null for every source of the filter
     * @param full all the sums; otherwise messages and DMARC pass only (the others are zero), which is what the
     *             orders need: summing the nine fields over every source cost the node more than twice as much
     */
    private List<SourceTotals> totals(ReportFilter filter, java.util.Set<String> ips, boolean full) {
        // The hidden copies first, then the days' state: see Compaction#current.
        java.util.Set<Long> hidden = reads.visibility().hidden();
        boolean perReporter = Compaction.answersPerReporter(filter);
        Map<java.time.LocalDate, String> current = Compaction.answers(filter) || perReporter
                ? compaction.current(filter.from(), filter.to()) : Map.of();
        Map<String, long[]> sums = new java.util.HashMap<>();
        int width = 4 + SourceTotals.CLASSIFICATIONS.size();
        if (!current.isEmpty()) {
            ObjectNode query = Compaction.onCurrent(current, filter.excludeUnverified(),
                    perReporter ? Compaction.REPORTER_SOURCE : Compaction.SOURCE);
            if (perReporter) {
                Filters.terms(Reads.filters(query), "reporter", filter.reporters());
            }
            if (ips != null) {
                Filters.terms(Reads.filters(query), Rollup.SOURCE_IP, ips);
            }
            ObjectNode metrics = JsonNodes.object();
            List<String> fields = full ? Compaction.LIST_FIELDS : Compaction.LIST_FIELDS.subList(0, 2);
            int read = fields.size();
            fields.forEach(m -> Reads.sumOf(metrics, m, m, null));
            reads.composite(Family.COMPACT, query, JsonNodes.object().arrayNode()
                    .add(Reads.termsSource("ip", Rollup.SOURCE_IP)), metrics, b -> {
                long[] s = sums.computeIfAbsent(b.path("key").path("ip").asText(), k -> new long[width]);
                for (int k = 0; k < read; k++) {
                    s[k] += Reads.sum(b, fields.get(k));
                }
            });
        }
        if (Compaction.someStale(filter, current)) {
            ObjectNode query = Reads.visible("report_ref", hidden);
            Filters.onRollups(filter, (ObjectNode) query.path("bool"));
            Compaction.leaveOut((ObjectNode) query.path("bool"), current);
            if (ips != null) {
                Filters.terms(Reads.filters(query), Rollup.SOURCE_IP, ips);
            }
            ArrayNode sources = JsonNodes.object().arrayNode().add(Reads.termsSource("ip", Rollup.SOURCE_IP));
            ObjectNode metrics = JsonNodes.object();
            Reads.sumOf(metrics, "messages", "messages", null);
            Reads.sumOf(metrics, "dmarc_pass", "messages", Rollup.is("dmarc_pass", true));
            if (full) {
                Reads.sumOf(metrics, "spf_aligned", "messages", Rollup.is("spf_aligned", true));
                Reads.sumOf(metrics, "dkim_aligned", "messages", Rollup.is("dkim_aligned", true));
                for (String token : SourceTotals.CLASSIFICATIONS) {
                    Reads.sumOf(metrics, "class_" + token, "messages", Rollup.is("classification", token));
                }
            }
            reads.composite(Family.ROLLUPS, query, sources, metrics, b -> {
                long[] s = sums.computeIfAbsent(b.path("key").path("ip").asText(), k -> new long[width]);
                s[0] += Reads.sum(b, "messages");
                s[1] += Reads.sum(b, "dmarc_pass");
                s[2] += Reads.sum(b, "spf_aligned");
                s[3] += Reads.sum(b, "dkim_aligned");
                for (int k = 0; k < SourceTotals.CLASSIFICATIONS.size(); k++) {
                    s[4 + k] += Reads.sum(b, "class_" + SourceTotals.CLASSIFICATIONS.get(k));
                }
            });
        }
        List<SourceTotals> out = new ArrayList<>(sums.size());
        sums.forEach((ip, s) -> {
            if (s[0] == 0) {
                return; // as the embedded store, which deletes rows brought to zero
            }
            out.add(new SourceTotals(ip, s[0], s[1], s[2], s[3], java.util.Arrays.copyOfRange(s, 4, width)));
        });
        return out;
    }


    /** The policy domains whose records may give a source's reason: null for every domain. */
    private java.util.Set<String> reasonDomains(ReportFilter scoped) {
        ResolvedScope s = scopes.resolve(scoped.scope());
        return s.isAll() ? null : s.aggregateFilter(scoped).domains();
    }

    /** The rows of a list: each source with its sender and the reason of its latest record of its classification. */
    private List<SourceStats> stats(List<SourceTotals> sources, java.util.Set<String> reasonDomains) {
        if (sources.isEmpty()) {
            return List.of();
        }
        Map<String, SenderInfo> senders = reads.senders(sources.stream().map(SourceTotals::ip).toList());
        // the reason shown must come from a record the reader may see: of the scope's domains when it has one
        Map<String, String> reasons = records.latestReasons(sources.stream()
                .filter(s -> s.dominant() != null).map(s -> Map.entry(s.ip(), s.dominant())).toList(),
                reasonDomains);
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
