package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stored copies readers must not see yet, or any more. OpenSearch has no transaction across
 * documents, so a report's records become searchable before the report is whole; its identity document
 * (index {@code ids}) says which copy is current. While a copy is being written it is listed there as
 * {@code pending}, and a copy being replaced or deleted as {@code retired}; every read of report data leaves
 * out those report refs. The list is short (the imports in flight), and one document flips a copy from
 * pending to current, so readers see a report whole or not at all.
 */
final class Visibility {
    private final Cluster cluster;
    private final IndexNames names;

    Visibility(Cluster cluster, IndexNames names) {
        this.cluster = cluster;
        this.names = names;
    }

    /** The report refs (aggregate and TLS) no reader may see now. */
    Set<Long> hidden() {
        ObjectNode body = cluster.json().createObjectNode();
        body.put("size", 10_000);
        body.put("_source", true);
        ArrayNode should = body.putObject("query").putObject("bool").put("minimum_should_match", 1).putArray("should");
        should.addObject().putObject("exists").put("field", "pending");
        should.addObject().putObject("exists").put("field", "retired");
        JsonNode reply = cluster.ok("POST", "/" + names.of(Family.IDS) + "/_search", Map.of(), body);
        Set<Long> out = new TreeSet<>();
        for (JsonNode hit : reply.path("hits").path("hits")) {
            JsonNode src = hit.path("_source");
            if (src.hasNonNull("pending")) {
                out.add(src.path("pending").asLong());
            }
            for (JsonNode r : src.path("retired")) {
                out.add(r.asLong());
            }
            if (src.path("retired").isNumber()) {
                out.add(src.path("retired").asLong());
            }
        }
        return out;
    }

    /** Adds "not one of the hidden reports" to a bool query's must_not, on the field naming the report. */
    void exclude(ObjectNode bool, String field) {
        exclude(bool, field, hidden());
    }

    /** As {@link #exclude(ObjectNode, String)}, with the hidden refs read before. */
    static void exclude(ObjectNode bool, String field, Set<Long> hidden) {
        if (hidden.isEmpty()) {
            return;
        }
        ArrayNode terms = bool.withArray("must_not").addObject().putObject("terms").putArray(field);
        hidden.forEach(terms::add);
    }
}
