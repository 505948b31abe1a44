package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ways the read models ask the cluster: a page of hits, every hit (search_after to the end), every
 * bucket of a composite aggregation (page by page to the end), counts, and the senders of source IPs. Exact
 * by construction: nothing here uses a terms aggregation (approximate across shards) or reads past
 * OpenSearch's result window with from/size.
 */
final class Reads {
    /** Hits or buckets per request. */
    static final int BATCH = 5_000;
    /** OpenSearch's default index.max_result_window: from + size beyond it is refused. */
    private static final int WINDOW = 10_000;
    private static final Map<String, String> LENIENT = Map.of("ignore_unavailable", "true", "allow_no_indices", "true");
    private static final Map<String, String> UNCACHED = Map.of("ignore_unavailable", "true", "allow_no_indices", "true",
            "request_cache", "false");

    private final Cluster cluster;
    private final IndexNames names;
    private final Visibility visibility;

    Reads(Cluster cluster, IndexNames names, Visibility visibility) {
        this.cluster = cluster;
        this.names = names;
        this.visibility = visibility;
    }

    /** A bool query leaving out the report refs no reader may see now (see {@link Visibility}). */
    ObjectNode visible(String refField) {
        ObjectNode q = JsonNodes.object();
        ObjectNode bool = q.putObject("bool");
        bool.putArray("filter");
        if (refField != null) {
            visibility.exclude(bool, refField);
        }
        return q;
    }

    /** As {@link #visible(String)}, leaving out the hidden refs read before ({@link Visibility#hidden}). */
    static ObjectNode visible(String refField, java.util.Set<Long> hidden) {
        ObjectNode q = JsonNodes.object();
        ObjectNode bool = q.putObject("bool");
        bool.putArray("filter");
        Visibility.exclude(bool, refField, hidden);
        return q;
    }

    Visibility visibility() {
        return visibility;
    }

    /** The filter list of a query made by {@link #visible}. */
    static ArrayNode filters(ObjectNode query) {
        return (ArrayNode) query.path("bool").path("filter");
    }

    JsonNode search(Family family, ObjectNode body) {
        return cluster.ok("POST", "/" + names.of(family) + "/_search", LENIENT, body);
    }

    long count(Family family, JsonNode query) {
        ObjectNode body = JsonNodes.object();
        body.set("query", query);
        return cluster.ok("POST", "/" + names.of(family) + "/_count", LENIENT, body).path("count").asLong();
    }

    /**
     * One page of hits in {@code sort} order; {@code sort} must end in a unique field. Beyond the result
     * window the hits before the page are walked with search_after.
     */
    List<JsonNode> page(Family family, JsonNode query, ArrayNode sort, Page page) {
        List<JsonNode> out = new ArrayList<>();
        if ((long) page.offset() + page.limit() <= WINDOW) {
            ObjectNode body = body(query, sort, page.limit());
            body.put("from", page.offset());
            search(family, body).path("hits").path("hits").forEach(out::add);
            return out;
        }
        long[] seen = {0};
        each(family, query, sort, hit -> {
            if (seen[0] >= page.offset() && out.size() < page.limit()) {
                out.add(hit);
            }
            seen[0]++;
        }, () -> out.size() >= page.limit());
        return out;
    }

    /** Every hit in {@code sort} order (which must end in a unique field), batch by batch. */
    void each(Family family, JsonNode query, ArrayNode sort, Consumer<JsonNode> sink) {
        each(family, query, sort, null, sink, () -> false);
    }

    /** As {@link #each}, each hit's source holding only the fields {@code includes}. */
    void each(Family family, JsonNode query, ArrayNode sort, List<String> includes, Consumer<JsonNode> sink) {
        each(family, query, sort, includes, sink, () -> false);
    }

    private void each(Family family, JsonNode query, ArrayNode sort, Consumer<JsonNode> sink,
                      java.util.function.BooleanSupplier done) {
        each(family, query, sort, null, sink, done);
    }

    private void each(Family family, JsonNode query, ArrayNode sort, List<String> includes, Consumer<JsonNode> sink,
                      java.util.function.BooleanSupplier done) {
        JsonNode after = null;
        while (true) {
            ObjectNode body = body(query, sort, BATCH);
            if (includes != null) {
                includes.forEach(body.putObject("_source").putArray("includes")::add);
            }
            if (after != null) {
                body.set("search_after", after);
            }
            JsonNode hits = search(family, body).path("hits").path("hits");
            for (JsonNode hit : hits) {
                sink.accept(hit);
                after = hit.path("sort");
            }
            if (hits.size() < BATCH || done.getAsBoolean()) {
                return;
            }
        }
    }

    private static ObjectNode body(JsonNode query, ArrayNode sort, int size) {
        ObjectNode body = JsonNodes.object();
        body.put("size", size);
        body.put("track_total_hits", false);
        body.set("query", query);
        body.set("sort", sort);
        return body;
    }

    /**
     * Every bucket of a composite aggregation over {@code family}, asked for page by page until the last. A
     * terms aggregation answers from each shard's top buckets and can miss or undercount across shards; a
     * composite aggregation walks every key in order, so the buckets and their sums are exact.
     *
     * @param sources the composite's sources: [{name: {terms: {field: ...}}}, ...]
     * @param metrics each bucket's sub-aggregations, or null
     * @param bucket  receives each bucket ({"key": {...}, "doc_count": n, metric: {...}})
     */
    void composite(Family family, JsonNode query, ArrayNode sources, ObjectNode metrics, Consumer<JsonNode> bucket) {
        composite(family, query, sources, metrics, bucket, LENIENT);
    }

    /**
     * As {@link #composite}, bypassing the shard request cache: for aggregations asked once (the compact rollup's
     * computation of a day), whose answers would only be stored there for nothing.
     */
    void compositeUncached(Family family, JsonNode query, ArrayNode sources, ObjectNode metrics,
                           Consumer<JsonNode> bucket) {
        composite(family, query, sources, metrics, bucket, UNCACHED);
    }

    private void composite(Family family, JsonNode query, ArrayNode sources, ObjectNode metrics,
                           Consumer<JsonNode> bucket, Map<String, String> params) {
        JsonNode after = null;
        while (true) {
            ObjectNode body = JsonNodes.object();
            body.put("size", 0);
            body.put("track_total_hits", false);
            body.set("query", query);
            ObjectNode agg = body.putObject("aggs").putObject("c");
            ObjectNode c = agg.putObject("composite");
            c.put("size", BATCH);
            c.set("sources", sources);
            if (after != null) {
                c.set("after", after);
            }
            if (metrics != null) {
                agg.set("aggs", metrics);
            }
            JsonNode result = cluster.ok("POST", "/" + names.of(family) + "/_search", params, body)
                    .path("aggregations").path("c");
            JsonNode buckets = result.path("buckets");
            buckets.forEach(bucket);
            after = result.get("after_key");
            if (after == null || buckets.size() < BATCH) {
                return;
            }
        }
    }

    /** A composite source: {name: {terms: {field: field}}}. */
    static ObjectNode termsSource(String name, String field) {
        ObjectNode s = JsonNodes.object();
        s.putObject(name).putObject("terms").put("field", field);
        return s;
    }

    /** A sum of {@code field}, exact for integers below 2^53 (sums add in double precision). */
    static long sum(JsonNode bucket, String name) {
        JsonNode a = bucket.path(name);
        JsonNode v = a.has("s") ? a.path("s").path("value") : a.path("value");
        return Math.round(v.asDouble(0));
    }

    /** Adds {name: {sum: messages}} or, with a filter, {name: {filter: f, aggs: {s: {sum: messages}}}}. */
    static void sumOf(ObjectNode aggs, String name, String field, JsonNode filter) {
        if (filter == null) {
            aggs.putObject(name).putObject("sum").put("field", field);
            return;
        }
        ObjectNode f = aggs.putObject(name);
        f.set("filter", filter);
        f.putObject("aggs").putObject("s").putObject("sum").put("field", field);
    }

    /**
     * The documents of {@code family} per verdict on their origin (every verdict present, zeros included),
     * leaving out the refs no reader may see ({@code refField}, or none when null).
     */
    java.util.Map<io.dmarclens.store.Authenticity.Verdict, Long> countByVerdict(Family family, String refField) {
        return countByVerdict(family, refField, visible(refField));
    }

    /** As {@link #countByVerdict(Family, String)}, over the documents of {@code query} (made by {@link #visible}). */
    java.util.Map<io.dmarclens.store.Authenticity.Verdict, Long> countByVerdict(Family family, String refField,
                                                                                JsonNode query) {
        java.util.Map<io.dmarclens.store.Authenticity.Verdict, Long> out =
                new java.util.EnumMap<>(io.dmarclens.store.Authenticity.Verdict.class);
        for (io.dmarclens.store.Authenticity.Verdict v : io.dmarclens.store.Authenticity.Verdict.values()) {
            out.put(v, 0L);
        }
        ObjectNode verdict = termsSource("verdict", "authenticity");
        ((ObjectNode) verdict.path("verdict").path("terms")).put("missing_bucket", true);
        composite(family, query, JsonNodes.object().arrayNode().add(verdict), null, b -> out.merge(
                io.dmarclens.store.Authenticity.Verdict.ofCode(b.path("key").path("verdict").asText(null)),
                b.path("doc_count").asLong(), Long::sum));
        return out;
    }

    /** What is stored about each of {@code ips} (absent ones are left out of the map). */
    Map<String, SenderInfo> senders(Collection<String> ips) {
        Map<String, SenderInfo> out = new HashMap<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ips));
        all.removeIf(ip -> ip == null || ip.isEmpty());
        for (int from = 0; from < all.size(); from += 1_000) {
            ObjectNode body = JsonNodes.object();
            ArrayNode ids = body.putArray("ids");
            all.subList(from, Math.min(all.size(), from + 1_000)).forEach(ip -> ids.add(Docs.senderId(ip)));
            JsonNode reply = cluster.ok("POST", "/" + names.of(Family.SENDERS) + "/_mget", Map.of(), body);
            for (JsonNode doc : reply.path("docs")) {
                if (doc.path("found").asBoolean(false)) {
                    out.put(doc.path("_source").path("ip").asText(), Rows.sender(doc.path("_source")));
                }
            }
        }
        return out;
    }

    /** One document's source by id, or null. */
    JsonNode get(Family family, String id) {
        Cluster.Reply r = cluster.send("GET", "/" + names.of(family) + "/_doc/" + urlSafe(id), null, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw cluster.refused("reading " + names.of(family), r);
        }
        return r.body().path("found").asBoolean(false) ? r.body().path("_source") : null;
    }

    private static String urlSafe(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
