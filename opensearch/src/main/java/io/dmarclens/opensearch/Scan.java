package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Consumer;

/** Reads every hit of a query in pages, in the order of a unique long field (search_after: no deep paging). */
final class Scan {
    static final int PAGE = 1_000;

    private Scan() {
    }

    /**
     * Calls {@code sink} with the {@code _source} of each hit of {@code query} on {@code index}, in ascending
     * {@code uniqueField} order.
     */
    static void each(Cluster cluster, String index, ObjectNode query, String uniqueField, Consumer<JsonNode> sink) {
        JsonNode after = null;
        while (true) {
            ObjectNode body = JsonNodes.object();
            body.put("size", PAGE);
            body.put("track_total_hits", false);
            body.set("query", query);
            body.putArray("sort").addObject().put(uniqueField, "asc");
            if (after != null) {
                body.set("search_after", after);
            }
            JsonNode hits = cluster.ok("POST", "/" + index + "/_search", Map.of("ignore_unavailable", "true",
                    "allow_no_indices", "true"), body).path("hits").path("hits");
            for (JsonNode h : hits) {
                sink.accept(h.path("_source"));
            }
            if (hits.size() < PAGE) {
                return;
            }
            after = hits.get(hits.size() - 1).path("sort");
        }
    }
}
