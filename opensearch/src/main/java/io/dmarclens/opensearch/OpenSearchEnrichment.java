package io.dmarclens.opensearch;

import io.dmarclens.store.query.DaySplit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.PtrCacheEntry;
import io.dmarclens.store.StoredRecordFacts;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Senders, re-classification and the reverse DNS cache. Re-classification moves counts exactly as the
 * embedded store does: per report, the changed records' messages leave their old rollup key and join their
 * new one with the report's day split, the other records' shares untouched.
 */
final class OpenSearchEnrichment implements Enrichment {
    private final Writes writes;

    OpenSearchEnrichment(Writes writes) {
        this.writes = writes;
    }

    private Cluster cluster() {
        return writes.cluster();
    }

    private IndexNames names() {
        return writes.names();
    }

    @Override
    public void updateSender(String ip, SenderInfo info) {
        writes.forgetSender(ip);
        List<Object> lines = new ArrayList<>();
        OpenSearchImportBatch.addSender(lines, writes, ip, info, writes.clock().instant().getEpochSecond());
        cluster().bulk(lines, "true");
        searchSender(ip, RecordDocs.sender(senderDoc(ip)));
    }

    /**
     * Writes what is now known about a source into the search object of its records and failure reports, as
     * the embedded store re-indexes them: a conflict with a concurrent write is tried again.
     */
    private void searchSender(String ip, SenderInfo merged) {
        java.net.InetAddress address = io.dmarclens.store.search.IpLiterals.parse(ip);
        if (address == null) {
            return; // not an address: no search document holds it under ip
        }
        ObjectNode body = JsonNodes.object();
        body.putObject("query").putObject("term").put(SearchDocs.FIELD + ".ip", address.getHostAddress());
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless");
        script.put("source", "if (ctx._source.search == null) { ctx._source.search = [:]; }"
                + " for (e in params.fields.entrySet()) { if (e.getValue() == null) {"
                + " ctx._source.search.remove(e.getKey()); } else { ctx._source.search[e.getKey()] = e.getValue(); } }");
        script.putObject("params").putPOJO("fields", SearchDocs.senderFields(merged));
        String indices = names().of(Family.RECORDS) + "," + names().of(Family.FAILURES);
        for (int attempt = 0; attempt < 5; attempt++) {
            JsonNode reply = cluster().ok("POST", "/" + indices + "/_update_by_query", Map.of("conflicts", "proceed",
                    "refresh", "true", "ignore_unavailable", "true", "allow_no_indices", "true"), body);
            if (reply.path("version_conflicts").asLong() == 0) {
                return;
            }
        }
        throw new io.dmarclens.store.StoreException("OpenSearch at " + cluster().name()
                + " kept changing the documents of " + ip + " while its sender was written: try again");
    }

    /** The sender document of an IP, or a missing node. */
    JsonNode senderDoc(String ip) {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.SENDERS) + "/_doc/" + Docs.senderId(ip),
                null, null);
        if (r.status() == 404) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!r.ok()) {
            throw cluster().refused("reading a sender", r);
        }
        return r.body().path("_source");
    }

    @Override
    public int reclassify(String ip, Function<StoredRecordFacts, RecordEnrichment> classifier) {
        writes.flush();
        SenderInfo sender = RecordDocs.sender(senderDoc(ip));
        ObjectNode query = JsonNodes.object();
        ObjectNode bool = query.putObject("bool");
        bool.withArray("filter").addObject().putObject("term").put("source_ip", ip);
        writes.visibility().exclude(bool, "report_ref");
        Map<Long, List<JsonNode>> byReport = new LinkedHashMap<>();
        Scan.each(cluster(), names().of(Family.RECORDS), query, "record_id",
                d -> byReport.computeIfAbsent(d.path("report_ref").asLong(), k -> new ArrayList<>()).add(d));
        int changed = 0;
        List<Object> lines = new ArrayList<>();
        java.util.Set<java.time.LocalDate> days = new java.util.TreeSet<>();
        java.util.Set<java.time.LocalDate> touched = new java.util.TreeSet<>();
        for (Map.Entry<Long, List<JsonNode>> e : byReport.entrySet()) {
            JsonNode report = reportDoc(e.getKey());
            if (report == null) {
                continue;
            }
            Docs.ReportFields fields = new Docs.ReportFields(e.getKey(), report.path("source_ref").asLong(),
                    report.path("reporter").asText(), report.path("reporter_email").asText(),
                    report.path("report_id").asText(), report.path("policy_domain").asText(),
                    report.path("begin").asLong(), report.path("end").asLong(), Rows.authenticity(report));
            Map<RollupKey, Long> delta = new LinkedHashMap<>();
            Map<RollupKey, Long> added = new LinkedHashMap<>();
            for (JsonNode d : e.getValue()) {
                AggregateRecord record = RecordDocs.record(d);
                RecordEnrichment current = RecordDocs.enrichment(d, SenderInfo.UNKNOWN);
                RecordEnrichment next = classifier.apply(new StoredRecordFacts(d.path("record_id").asLong(),
                        fields.reporter(), RecordDocs.policy(report), record, sender, current));
                if (next == null || sameVerdict(next, current)) {
                    continue;
                }
                delta.merge(Docs.rollupKey(fields, record, current), record.count(), Long::sum);
                added.merge(Docs.rollupKey(fields, record, next), record.count(), Long::sum);
                ObjectNode action = JsonNodes.object();
                action.putObject("update").put("_index", names().month(Family.RECORDS, fields.begin()))
                        .put("_id", d.path("record_id").asText());
                ObjectNode doc = JsonNodes.object();
                Docs.enrichment(doc, next);
                doc.set(SearchDocs.FIELD, SearchDocs.verdicts(next));
                ObjectNode update = JsonNodes.object();
                update.set("doc", doc);
                lines.add(action);
                lines.add(update);
                changed++;
            }
            if (!delta.isEmpty()) {
                moveRollups(fields, delta, added, lines);
                days.addAll(Compaction.days(fields.begin(), fields.end()));
            }
            if (lines.size() >= 2 * Scan.PAGE) {
                // the compact rollup of these days stops being read before the moved counts can be seen
                writes.compaction().touch(days);
                touched.addAll(days);
                days.clear();
                cluster().bulk(lines, null);
                lines.clear();
            }
        }
        writes.compaction().touch(days);
        touched.addAll(days);
        cluster().bulk(lines, null);
        if (changed > 0) {
            writes.refreshData();
            // and once they are seen: a computation that read the rollups before the refresh is not taken
            writes.compaction().touch(touched);
        }
        return changed;
    }

    /** Takes the old keys' split shares out of the report's rollup documents and puts the new ones in. */
    private void moveRollups(Docs.ReportFields f, Map<RollupKey, Long> before, Map<RollupKey, Long> after,
                             List<Object> lines) {
        DaySplit split = DaySplit.of(f.begin(), f.end());
        Map<String, Long> change = new HashMap<>();
        Map<String, Object[]> keyOf = new HashMap<>();
        for (int sign : new int[]{-1, 1}) {
            for (Map.Entry<RollupKey, Long> e : (sign < 0 ? before : after).entrySet()) {
                long[] days = split.apply(e.getValue());
                for (int i = 0; i < days.length; i++) {
                    LocalDate day = LocalDate.ofEpochDay(split.firstDay() + i);
                    String id = Docs.rollupId(f.ref(), e.getKey(), day);
                    change.merge(id, sign * days[i], Long::sum);
                    keyOf.put(id, new Object[]{e.getKey(), day});
                }
            }
        }
        String index = names().month(Family.ROLLUPS, f.begin());
        Map<String, Long> stored = new HashMap<>();
        ObjectNode mget = JsonNodes.object();
        ArrayNode ids = mget.putArray("ids");
        change.keySet().forEach(ids::add);
        JsonNode docs = cluster().ok("POST", "/" + index + "/_mget", Map.of(), mget).path("docs");
        for (JsonNode d : docs) {
            if (d.path("found").asBoolean()) {
                stored.put(d.path("_id").asText(), d.path("_source").path("messages").asLong());
            }
        }
        for (Map.Entry<String, Long> c : change.entrySet()) {
            if (c.getValue() == 0) {
                continue;
            }
            long value = stored.getOrDefault(c.getKey(), 0L) + c.getValue();
            ObjectNode action = JsonNodes.object();
            Object[] k = keyOf.get(c.getKey());
            if (value == 0) {
                action.putObject("delete").put("_index", index).put("_id", c.getKey());
                lines.add(action);
            } else {
                action.putObject("index").put("_index", index).put("_id", c.getKey());
                lines.add(action);
                lines.add(Docs.rollup(f.ref(), (RollupKey) k[0], (LocalDate) k[1], value));
            }
        }
    }

    private JsonNode reportDoc(long ref) {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.REPORTS) + "/_doc/" + ref, null, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw cluster().refused("reading a report", r);
        }
        return r.body().path("_source");
    }

    private static boolean sameVerdict(RecordEnrichment a, RecordEnrichment b) {
        return a.dkimAligned() == b.dkimAligned() && a.spfAligned() == b.spfAligned() && a.dmarcPass() == b.dmarcPass()
                && a.verdictDisagrees() == b.verdictDisagrees() && a.classification() == b.classification()
                && Objects.equals(a.classificationReason(), b.classificationReason());
    }

    @Override
    public Optional<PtrCacheEntry> cachedPtr(String ip) {
        Cluster.Reply r = cluster().send("GET", "/" + names().of(Family.PTR) + "/_doc/" + DocIds.hex("ptr", ip),
                null, null);
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw cluster().refused("reading the reverse DNS cache", r);
        }
        JsonNode d = r.body().path("_source");
        Instant expires = Instant.ofEpochSecond(d.path("expires_at").asLong());
        if (!expires.isAfter(writes.clock().instant())) {
            return Optional.empty();
        }
        return Optional.of(new PtrCacheEntry(RecordDocs.text(d, "name"), expires));
    }

    @Override
    public void cachePtr(String ip, String name, Instant expiresAt) {
        ObjectNode d = JsonNodes.object();
        d.put("ip", ip);
        if (name != null) {
            d.put("name", name);
        }
        d.put("expires_at", expiresAt.getEpochSecond());
        cluster().ok("PUT", "/" + names().of(Family.PTR) + "/_doc/" + DocIds.hex("ptr", ip), Map.of(), d);
    }
}
