package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fields and clauses of the rollup documents (templates/rollups.json) the read models group. */
final class Rollup {
    /** The source IP as the report wrote it (the key sources are grouped and shown by). */
    static final String SOURCE_IP = "source_ip";

    private Rollup() {
    }

    /** {@code field} is {@code value}; for the empty token (a record without classification) also a missing field. */
    static ObjectNode is(String field, String value) {
        ObjectNode q = JsonNodes.object();
        if (value.isEmpty()) {
            var should = q.putObject("bool").put("minimum_should_match", 1).putArray("should");
            should.addObject().putObject("term").put(field, "");
            should.addObject().putObject("bool").putArray("must_not").addObject().putObject("exists").put("field", field);
            return q;
        }
        q.putObject("term").put(field, value);
        return q;
    }

    static ObjectNode is(String field, boolean value) {
        ObjectNode q = JsonNodes.object();
        q.putObject("term").put(field, value);
        return q;
    }

    /** Both clauses. */
    static ObjectNode both(ObjectNode a, ObjectNode b) {
        ObjectNode q = JsonNodes.object();
        var filter = q.putObject("bool").putArray("filter");
        filter.add(a);
        filter.add(b);
        return q;
    }
}
