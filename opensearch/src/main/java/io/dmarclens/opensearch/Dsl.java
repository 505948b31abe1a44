package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * The few pieces of query DSL the read models use, as JSON trees: values are always JSON values, never
 * spliced into text, so nothing a report says can change a query's structure.
 */
final class Dsl {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Dsl() {
    }

    static ObjectNode object() {
        return JSON.objectNode();
    }

    static ArrayNode array() {
        return JSON.arrayNode();
    }

    static ObjectNode term(String field, String value) {
        ObjectNode t = object();
        t.putObject("term").put(field, value);
        return t;
    }

    static ObjectNode term(String field, long value) {
        ObjectNode t = object();
        t.putObject("term").put(field, value);
        return t;
    }

    static ObjectNode term(String field, boolean value) {
        ObjectNode t = object();
        t.putObject("term").put(field, value);
        return t;
    }

    static ObjectNode terms(String field, Collection<String> values) {
        ObjectNode t = object();
        ArrayNode a = t.putObject("terms").putArray(field);
        values.stream().sorted().forEach(a::add);
        return t;
    }

    static ObjectNode termsLong(String field, Collection<Long> values) {
        ObjectNode t = object();
        ArrayNode a = t.putObject("terms").putArray(field);
        values.forEach(a::add);
        return t;
    }

    /** {@code from <= field < toExclusive}; either bound may be null. */
    static ObjectNode range(String field, Long from, Long toExclusive) {
        ObjectNode r = object();
        ObjectNode f = r.putObject("range").putObject(field);
        if (from != null) {
            f.put("gte", from);
        }
        if (toExclusive != null) {
            f.put("lt", toExclusive);
        }
        return r;
    }

    static ObjectNode exists(String field) {
        ObjectNode e = object();
        e.putObject("exists").put("field", field);
        return e;
    }

    static ObjectNode matchAll() {
        ObjectNode m = object();
        m.putObject("match_all");
        return m;
    }

    /** A bool query of filter clauses (no scoring) and must_not clauses. */
    static final class Bool {
        private final ArrayNode filter = array();
        private final ArrayNode mustNot = array();

        Bool filter(JsonNode clause) {
            filter.add(clause);
            return this;
        }

        Bool mustNot(JsonNode clause) {
            mustNot.add(clause);
            return this;
        }

        ObjectNode build() {
            ObjectNode q = object();
            ObjectNode b = q.putObject("bool");
            b.set("filter", filter);
            if (!mustNot.isEmpty()) {
                b.set("must_not", mustNot);
            }
            return q;
        }
    }
}
