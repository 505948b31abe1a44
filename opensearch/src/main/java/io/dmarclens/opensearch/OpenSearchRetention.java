package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Retention with the embedded store's results. Old aggregate reports go with their records and rollups:
 * a month whose every report is too old loses its records and rollups indices whole (cheap, and what
 * monthly indices are for); otherwise the old reports' documents are deleted one report at a time, which
 * is exact because rollups are kept per report. Then old failure and TLS reports, raw bytes past their age,
 * and sources no report refers to any more.
 */
final class OpenSearchRetention implements Retention {
    private final Writes writes;

    OpenSearchRetention(Writes writes) {
        this.writes = writes;
    }

    private Cluster cluster() {
        return writes.cluster();
    }

    private IndexNames names() {
        return writes.names();
    }

    @Override
    public RetentionResult apply(RetentionPolicy policy, Instant now) {
        writes.flush();
        writes.refresh();
        int aggregate = 0;
        long records = 0;
        int failures = 0;
        int tls = 0;
        Set<Long> hidden = writes.visibility().hidden();
        if (policy.reports() != null) {
            long cutoff = now.minus(policy.reports()).getEpochSecond();
            // Aggregate reports, by month of their begin date (the month index their records are in).
            Map<String, List<Long>> byMonth = new TreeMap<>();
            List<String> identities = new ArrayList<>();
            ObjectNode old = olderThan("end", cutoff, hidden, "report_ref");
            List<Long> refs = new ArrayList<>();
            long[] recordCount = {0};
            java.util.Set<LocalDate> days = new java.util.TreeSet<>();
            Scan.each(cluster(), names().of(Family.REPORTS), old, "report_ref", d -> {
                long ref = d.path("report_ref").asLong();
                refs.add(ref);
                recordCount[0] += d.path("record_count").asLong();
                identities.add(d.path("identity").asText());
                byMonth.computeIfAbsent(names().month(Family.RECORDS, d.path("begin").asLong()),
                        k -> new ArrayList<>()).add(ref);
                days.addAll(Compaction.days(d.path("begin").asLong(), d.path("end").asLong()));
            });
            // The compact rollup of these days stops being read before their reports go, and a computation
            // that read them before they went is not taken (raised again after).
            writes.compaction().touch(days);
            List<Long> oneByOne = new ArrayList<>();
            for (Map.Entry<String, List<Long>> m : byMonth.entrySet()) {
                if (hidden.isEmpty() && wholeMonthOld(m.getKey(), cutoff)) {
                    LocalDate first = names().monthEnd(Family.RECORDS, m.getKey()).minusMonths(1);
                    long begin = IndexNames.epochSecond(first);
                    deleteIndex(names().month(Family.RECORDS, begin));
                    deleteIndex(names().month(Family.ROLLUPS, begin));
                } else {
                    oneByOne.addAll(m.getValue());
                }
            }
            if (!oneByOne.isEmpty()) {
                writes.deleteCopies("aggregate", oneByOne);
            }
            if (!refs.isEmpty()) {
                writes.deleteCopies("aggregate", refs); // the report documents (and anything left)
            }
            writes.compaction().touch(days);
            for (String identity : identities) {
                writes.identities().forget(identity);
            }
            aggregate = refs.size();
            records = recordCount[0];

            // Failure reports by arrival (or, without one, by when they were stored).
            ObjectNode f = JsonNodes.object();
            ArrayNode should = f.putObject("bool").put("minimum_should_match", 1).putArray("should");
            should.addObject().putObject("range").putObject("arrival").put("lt", cutoff);
            ObjectNode noArrival = should.addObject().putObject("bool");
            noArrival.withArray("must_not").addObject().putObject("exists").put("field", "arrival");
            noArrival.withArray("filter").addObject().putObject("range").putObject("imported_at").put("lt", cutoff);
            JsonNode deleted = cluster().ok("POST", "/" + names().of(Family.FAILURES) + "/_delete_by_query",
                    Map.of("conflicts", "proceed", "refresh", "true"), wrap(f));
            failures = deleted.path("deleted").asInt();

            // TLS reports by the end of their range.
            List<Long> tlsRefs = new ArrayList<>();
            List<String> tlsIdentities = new ArrayList<>();
            Scan.each(cluster(), names().of(Family.TLS), olderThan("end", cutoff, hidden, "tls_ref"), "tls_ref", d -> {
                tlsRefs.add(d.path("tls_ref").asLong());
                tlsIdentities.add(d.path("identity").asText());
            });
            writes.deleteCopies("tls", tlsRefs);
            for (String identity : tlsIdentities) {
                writes.identities().forget(identity);
            }
            tls = tlsRefs.size();
        }
        int cleared = 0;
        if (policy.rawSources() != null) {
            long cutoff = now.minus(policy.rawSources()).getEpochSecond();
            ObjectNode q = JsonNodes.object();
            ObjectNode bool = q.putObject("bool");
            bool.withArray("filter").addObject().putObject("term").put("available", true);
            bool.withArray("filter").addObject().putObject("range").putObject("received_at").put("lt", cutoff);
            List<Long> ids = new ArrayList<>();
            Scan.each(cluster(), names().of(Family.SOURCES), q, "source_id", d -> ids.add(d.path("source_id").asLong()));
            if (!ids.isEmpty()) {
                deleteChunks(ids);
                List<Object> lines = new ArrayList<>();
                for (long id : ids) {
                    ObjectNode action = JsonNodes.object();
                    action.putObject("update").put("_index", names().of(Family.SOURCES)).put("_id", String.valueOf(id));
                    ObjectNode update = JsonNodes.object();
                    update.putObject("doc").put("available", false).put("cleared_at", now.getEpochSecond());
                    lines.add(action);
                    lines.add(update);
                }
                cluster().bulk(lines, "true");
            }
            cleared = ids.size();
        }
        int orphans = 0;
        if (policy.reports() != null) {
            orphans = deleteOrphanSources();
        }
        writes.refresh();
        return new RetentionResult(cleared, aggregate, records, failures, tls, orphans);
    }

    /** Whether no report beginning in this month (of any state) ends at or after the cutoff. */
    private boolean wholeMonthOld(String monthIndex, long cutoff) {
        LocalDate end = names().monthEnd(Family.RECORDS, monthIndex);
        if (end == null) {
            return false;
        }
        ObjectNode q = JsonNodes.object();
        ObjectNode bool = q.putObject("bool");
        bool.withArray("filter").addObject().putObject("range").putObject("begin")
                .put("gte", IndexNames.epochSecond(end.minusMonths(1))).put("lt", IndexNames.epochSecond(end));
        bool.withArray("filter").addObject().putObject("range").putObject("end").put("gte", cutoff);
        JsonNode count = cluster().ok("POST", "/" + names().of(Family.REPORTS) + "/_count", Map.of(), wrap(q));
        return count.path("count").asLong() == 0;
    }

    private void deleteIndex(String index) {
        Cluster.Reply r = cluster().send("DELETE", "/" + index, Map.of("ignore_unavailable", "true"), null);
        if (!r.ok() && r.status() != 404) {
            throw cluster().refused("deleting the index " + index, r);
        }
    }

    private ObjectNode olderThan(String field, long cutoff, Set<Long> hidden, String refField) {
        ObjectNode q = JsonNodes.object();
        ObjectNode bool = q.putObject("bool");
        bool.withArray("filter").addObject().putObject("range").putObject(field).put("lt", cutoff);
        if (!hidden.isEmpty()) {
            ArrayNode t = bool.withArray("must_not").addObject().putObject("terms").putArray(refField);
            hidden.forEach(t::add);
        }
        return q;
    }

    private void deleteChunks(List<Long> sourceIds) {
        ObjectNode q = JsonNodes.object();
        ArrayNode t = q.putObject("terms").putArray("source_ref");
        sourceIds.forEach(t::add);
        cluster().ok("POST", "/" + names().of(Family.RAW) + "/_delete_by_query", Map.of("conflicts", "proceed",
                "refresh", "true"), wrap(q));
    }

    /** Deletes the sources (and their bytes) that no report, failure report, TLS report or superseded copy names. */
    private int deleteOrphanSources() {
        Set<Long> referenced = new HashSet<>();
        referenced.addAll(distinct(names().of(Family.REPORTS), "source_ref"));
        referenced.addAll(distinct(names().of(Family.REPORTS), "superseded_sources"));
        referenced.addAll(distinct(names().of(Family.FAILURES), "source_ref"));
        referenced.addAll(distinct(names().of(Family.TLS), "source_ref"));
        referenced.addAll(distinct(names().of(Family.TLS), "superseded_sources"));
        ObjectNode all = JsonNodes.object();
        all.putObject("match_all");
        List<Long> orphans = new ArrayList<>();
        Scan.each(cluster(), names().of(Family.SOURCES), all, "source_id", d -> {
            long id = d.path("source_id").asLong();
            if (!referenced.contains(id)) {
                orphans.add(id);
            }
        });
        if (orphans.isEmpty()) {
            return 0;
        }
        deleteChunks(orphans);
        ObjectNode q = JsonNodes.object();
        ArrayNode t = q.putObject("terms").putArray("source_id");
        orphans.forEach(t::add);
        cluster().ok("POST", "/" + names().of(Family.SOURCES) + "/_delete_by_query", Map.of("conflicts", "proceed",
                "refresh", "true"), wrap(q));
        return orphans.size();
    }

    /** Every distinct value of a long field, exactly (a composite aggregation, page by page). */
    private Set<Long> distinct(String index, String field) {
        Set<Long> out = new HashSet<>();
        JsonNode after = null;
        while (true) {
            ObjectNode body = JsonNodes.object();
            body.put("size", 0);
            ObjectNode composite = body.putObject("aggs").putObject("values").putObject("composite");
            composite.put("size", 10_000);
            composite.putArray("sources").addObject().putObject("v").putObject("terms").put("field", field);
            if (after != null) {
                composite.set("after", after);
            }
            JsonNode agg = cluster().ok("POST", "/" + index + "/_search", Map.of(), body).path("aggregations")
                    .path("values");
            for (JsonNode b : agg.path("buckets")) {
                out.add(b.path("key").path("v").asLong());
            }
            if (agg.path("buckets").size() < 10_000 || !agg.has("after_key")) {
                return out;
            }
            after = agg.path("after_key");
        }
    }

    private static ObjectNode wrap(ObjectNode query) {
        ObjectNode body = JsonNodes.object();
        body.set("query", query);
        return body;
    }
}
