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
     * embedded store shows beside a source (whatever the filter): one composite aggregation over the pairs of
     * the sources asked for, each bucket with its latest record (top_hits of one), instead of a search per
     * source.
     */
    Map<String, String> latestReasons(List<Map.Entry<String, String>> ipAndClassification, java.util.Set<String> domains) {
        Map<String, String> wanted = new HashMap<>();
        ipAndClassification.forEach(e -> wanted.put(e.getKey(), e.getValue()));
        List<String> ips = List.copyOf(wanted.keySet());
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < ips.size(); from += 1_000) {
            ObjectNode query = reads.visible("report_ref");
            Filters.terms(Reads.filters(query), Rollup.SOURCE_IP,
                    new java.util.HashSet<>(ips.subList(from, Math.min(ips.size(), from + 1_000))));
            if (domains != null) {
                Reads.filters(query).add(Dsl.terms("policy_domain", domains)); // only records the reader may see
            }
            ArrayNode sources = JsonNodes.object().arrayNode()
                    .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                    .add(Reads.termsSource("classification", "classification"));
            ((ObjectNode) sources.get(1).path("classification").path("terms")).put("missing_bucket", true);
            ObjectNode metrics = JsonNodes.object();
            ObjectNode top = metrics.putObject("latest").putObject("top_hits");
            top.put("size", 1);
            top.set("sort", Order.sort(Order.SEQ, "desc", "idx", "desc", "record_id", "desc"));
            top.putObject("_source").putArray("includes").add("classification_reason");
            reads.composite(Family.RECORDS, query, sources, metrics, b -> {
                String ip = b.path("key").path("ip").asText();
                JsonNode cls = b.path("key").path("classification");
                String classification = cls.isNull() ? "" : cls.asText();
                JsonNode hits = b.path("latest").path("hits").path("hits");
                if (classification.equals(wanted.get(ip)) && !hits.isEmpty()) {
                    out.put(ip, Rows.text(hits.get(0).path("_source"), "classification_reason"));
                }
            });
        }
        return out;
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
