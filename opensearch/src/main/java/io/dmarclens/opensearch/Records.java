package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Aggregate records as rows: the record documents (which repeat their report's fields) with what is known
 * now about their source IPs. Shared by the source drill-down, the report detail, search hits and exports.
 */
final class Records {
    private final Reads reads;

    Records(Reads reads) {
        this.reads = reads;
    }

    /** Records of one report in their order, paged. */
    List<RecordRow> ofReport(long reportRef, Page page) {
        ObjectNode query = reads.visible("report_ref");
        Reads.filters(query).add(Dsl.term("report_ref", reportRef));
        return rows(reads.page(Family.RECORDS, query, Order.sort("idx", "asc", "record_id", "asc"), page));
    }

    /** Records of one source IP over the filter, newest report first. */
    List<RecordRow> ofSource(String ip, ReportFilter filter, Page page) {
        ObjectNode query = reads.visible("report_ref");
        ReportFilters.onReports(filter, Reads.filters(query));
        Reads.filters(query).add(Dsl.term(Rollup.SOURCE_IP, ip));
        return rows(reads.page(Family.RECORDS, query, Order.recordsNewestFirst(), page));
    }

    /** Records by id in the order given, ids not found left out. */
    List<RecordRow> byIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, RecordRow> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += Reads.BATCH) {
            ObjectNode query = reads.visible("report_ref");
            Reads.filters(query).add(Dsl.termsLong("record_id", ids.subList(from, Math.min(ids.size(), from + Reads.BATCH))));
            List<JsonNode> hits = new ArrayList<>();
            reads.each(Family.RECORDS, query, Order.sort("record_id", "asc"), hits::add);
            rows(hits).forEach(r -> found.put(r.id(), r));
        }
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /** Every record of the reports matching the filter, in the order they were stored. */
    void export(ReportFilter filter, Consumer<RecordRow> sink) {
        ObjectNode query = reads.visible("report_ref");
        ReportFilters.onReports(filter, Reads.filters(query));
        List<JsonNode> batch = new ArrayList<>();
        reads.each(Family.RECORDS, query, Order.recordsStored(), hit -> {
            batch.add(hit);
            if (batch.size() == Reads.BATCH) {
                rows(batch).forEach(sink);
                batch.clear();
            }
        });
        rows(batch).forEach(sink);
    }

    /**
     * The classification reason of the latest stored record of each (source IP, classification) pair, as the
     * embedded store shows beside a source (whatever the filter), in two steps instead of a search per source:
     * the latest report ({@link Order#SEQ}) with a record of each pair, from one composite aggregation of maxima
     * over the records of the pairs' sources and classifications; then the records of those sources in those
     * reports, of which the last of each pair ({@code idx}, then {@code record_id}) gives its reason. A top_hits
     * per pair in the first step gave the same answer at twice the node's CPU: it kept a sorted hit per bucket
     * for every record of the sources (the top 100 sources of a store of 5M records hold hundreds of thousands).
     */
    Map<String, String> latestReasons(List<Map.Entry<String, String>> ipAndClassification, java.util.Set<String> domains) {
        Map<String, String> wanted = new HashMap<>();
        ipAndClassification.forEach(e -> wanted.put(e.getKey(), e.getValue()));
        List<String> ips = List.copyOf(wanted.keySet());
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < ips.size(); from += 1_000) {
            java.util.Set<String> some = new java.util.HashSet<>(ips.subList(from, Math.min(ips.size(), from + 1_000)));
            java.util.Set<String> classes = new java.util.TreeSet<>();
            some.forEach(ip -> classes.add(wanted.get(ip)));
            Map<String, Long> latestSeq = latestReports(some, classes, wanted, domains);
            if (latestSeq.isEmpty()) {
                continue;
            }
            ObjectNode query = pairsQuery(latestSeq.keySet(), classes, domains);
            ArrayNode seqs = Reads.filters(query).addObject().putObject("terms").putArray(Order.SEQ);
            new java.util.TreeSet<>(latestSeq.values()).forEach(seqs::add);
            Map<String, long[]> last = new HashMap<>(); // ip -> {idx, record_id} of the last record found
            reads.each(Family.RECORDS, query, Order.sort("record_id", "asc"),
                    List.of(Rollup.SOURCE_IP, "classification", Order.SEQ, "idx", "record_id", "classification_reason"),
                    hit -> {
                        JsonNode src = hit.path("_source");
                        String ip = Rows.text(src, Rollup.SOURCE_IP);
                        String cls = src.path("classification").isTextual() ? src.path("classification").asText() : "";
                        Long seq = latestSeq.get(ip);
                        if (seq == null || seq != src.path(Order.SEQ).asLong() || !cls.equals(wanted.get(ip))) {
                            return; // a record of another pair's report or classification
                        }
                        long idx = src.path("idx").asLong();
                        long id = src.path("record_id").asLong();
                        long[] best = last.get(ip);
                        if (best == null || idx > best[0] || idx == best[0] && id > best[1]) {
                            last.put(ip, new long[]{idx, id});
                            out.put(ip, Rows.text(src, "classification_reason"));
                        }
                    });
        }
        return out;
    }

    /** The latest report ({@link Order#SEQ}) holding a record of each source with the classification wanted. */
    private Map<String, Long> latestReports(java.util.Set<String> ips, java.util.Set<String> classes,
                                            Map<String, String> wanted, java.util.Set<String> domains) {
        ArrayNode sources = JsonNodes.object().arrayNode()
                .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                .add(Reads.termsSource("classification", "classification"));
        ((ObjectNode) sources.get(1).path("classification").path("terms")).put("missing_bucket", true);
        ObjectNode metrics = JsonNodes.object();
        metrics.putObject("latest").putObject("max").put("field", Order.SEQ);
        Map<String, Long> latest = new HashMap<>();
        reads.composite(Family.RECORDS, pairsQuery(ips, classes, domains), sources, metrics, b -> {
            String ip = b.path("key").path("ip").asText();
            JsonNode cls = b.path("key").path("classification");
            JsonNode seq = b.path("latest").path("value");
            if ((cls.isNull() ? "" : cls.asText()).equals(wanted.get(ip)) && seq.isNumber()) {
                latest.put(ip, seq.asLong());
            }
        });
        return latest;
    }

    /**
     * The visible records of {@code ips} with one of {@code classes} (a record without one is the class ""), in the
     * policy domains the reader may see when {@code domains} is not null.
     */
    private ObjectNode pairsQuery(java.util.Set<String> ips, java.util.Set<String> classes, java.util.Set<String> domains) {
        ObjectNode query = reads.visible("report_ref");
        ArrayNode f = Reads.filters(query);
        Filters.terms(f, Rollup.SOURCE_IP, ips);
        if (!classes.contains("")) {
            // "" would need "no classification" too; rare enough to read every class then
            Filters.terms(f, "classification", classes);
        }
        if (domains != null) {
            f.add(Dsl.terms("policy_domain", domains)); // only records the reader may see
        }
        return query;
    }

    /**
     * DKIM selectors shown for signatures of {@code dkimDomain} (lower case) in the records of reports whose
     * range touches the filter's, sorted: read from the records' DKIM results, as the embedded store does.
     */
    SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter, java.util.Set<String> policyDomains) {
        ObjectNode query = reads.visible(null);
        ArrayNode f = Reads.filters(query);
        if (policyDomains != null) {
            f.add(Dsl.terms("policy_domain", policyDomains)); // the records of the reader's scope only
        }
        ObjectNode domain = f.addObject().putObject("term").putObject("dkim_domains");
        domain.put("value", dkimDomain);
        domain.put("case_insensitive", true);
        // an open end stays open: the far bounds of an open filter are outside what a date field holds
        if (filter.to() != null) {
            f.add(Dsl.range("begin", null, filter.toSecondExclusive()));
        }
        if (filter.from() != null) {
            f.addObject().putObject("range").putObject("end").put("gte", filter.fromSecond());
        }
        SortedSet<String> out = new TreeSet<>();
        reads.each(Family.RECORDS, query, Order.sort("record_id", "asc"), hit -> {
            for (var d : RecordDocs.record(hit.path("_source")).dkimResults()) {
                // SQLite's lower() folds ASCII letters only, as TextOrder.asciiLower does.
                if (d.domain() != null && TextOrder.asciiLower(d.domain()).equals(dkimDomain)
                        && d.selector() != null && !d.selector().isEmpty()) {
                    out.add(d.selector());
                }
            }
        });
        return out;
    }

    /** Rows of record hits, with the senders of their IPs read once. */
    private List<RecordRow> rows(List<JsonNode> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<String, SenderInfo> senders = reads.senders(hits.stream()
                .map(h -> Rows.text(h.path("_source"), Rollup.SOURCE_IP)).filter(java.util.Objects::nonNull).toList());
        Map<Long, Authenticity> verdicts = verdicts(hits.stream().map(h -> h.path("_source").path("report_ref").asLong())
                .collect(java.util.stream.Collectors.toSet()));
        List<RecordRow> out = new ArrayList<>(hits.size());
        for (JsonNode h : hits) {
            JsonNode src = h.path("_source");
            String ip = Rows.text(src, Rollup.SOURCE_IP);
            out.add(Rows.record(src, ip == null ? SenderInfo.UNKNOWN : senders.getOrDefault(ip, SenderInfo.UNKNOWN),
                    verdicts.getOrDefault(src.path("report_ref").asLong(), Authenticity.notChecked("unknown report"))));
        }
        return out;
    }

    /** The verdict on the origin of each of the reports, from their documents (records carry only the flag). */
    private Map<Long, Authenticity> verdicts(java.util.Set<Long> reportRefs) {
        Map<Long, Authenticity> out = new HashMap<>();
        List<Long> refs = List.copyOf(reportRefs);
        for (int from = 0; from < refs.size(); from += Reads.BATCH) {
            ObjectNode query = reads.visible(null);
            Reads.filters(query).add(Dsl.termsLong("report_ref", refs.subList(from, Math.min(refs.size(), from + Reads.BATCH))));
            reads.each(Family.REPORTS, query, Order.sort("report_ref", "asc"), hit -> out.put(
                    hit.path("_source").path("report_ref").asLong(), Rows.authenticity(hit.path("_source"))));
        }
        return out;
    }
}
