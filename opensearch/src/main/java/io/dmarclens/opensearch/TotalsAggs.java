package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.Totals;

/**
 * The sums behind {@link Totals}, as filter aggregations over rollup documents: one sum of {@code messages}
 * per figure. A sum aggregation adds in double precision, which is exact for integers below 2^53 (nine
 * thousand million million messages), so the figures are exact.
 */
final class TotalsAggs {
    private static final String[] NAMES = {"messages", "dmarc_pass", "dmarc_fail", "dkim_aligned", "spf_aligned",
            "dkim_pass", "spf_pass", "disposition_none", "disposition_quarantine", "disposition_reject", "compliant",
            "forwarded", "misconfigured", "threat"};

    private TotalsAggs() {
    }

    static void add(ObjectNode aggs) {
        sum(aggs, "messages", null);
        sum(aggs, "dmarc_pass", term("dmarc_pass", true));
        sum(aggs, "dmarc_fail", term("dmarc_pass", false));
        sum(aggs, "dkim_aligned", term("dkim_aligned", true));
        sum(aggs, "spf_aligned", term("spf_aligned", true));
        sum(aggs, "dkim_pass", term("dkim", "pass"));
        sum(aggs, "spf_pass", term("spf", "pass"));
        ObjectNode none = JsonNodes.object();
        ArrayNode values = none.putObject("terms").putArray("disposition");
        values.add("none").add("pass");
        sum(aggs, "disposition_none", none);
        sum(aggs, "disposition_quarantine", term("disposition", "quarantine"));
        sum(aggs, "disposition_reject", term("disposition", "reject"));
        sum(aggs, "compliant", term("classification", "compliant"));
        sum(aggs, "forwarded", term("classification", "forwarded"));
        sum(aggs, "misconfigured", term("classification", "misconfigured"));
        sum(aggs, "threat", term("classification", "threat"));
    }

    static Totals read(JsonNode aggs) {
        long[] v = new long[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            JsonNode a = aggs.path(NAMES[i]);
            JsonNode value = a.has("sum") ? a.path("sum").path("value") : a.path("value");
            v[i] = Math.round(value.asDouble(0));
        }
        return new Totals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
    }

    private static void sum(ObjectNode aggs, String name, ObjectNode filter) {
        if (filter == null) {
            aggs.putObject(name).putObject("sum").put("field", "messages");
            return;
        }
        ObjectNode f = aggs.putObject(name);
        f.set("filter", filter);
        f.putObject("aggs").putObject("sum").putObject("sum").put("field", "messages");
    }

    private static ObjectNode term(String field, boolean value) {
        ObjectNode t = JsonNodes.object();
        t.putObject("term").put(field, value);
        return t;
    }

    private static ObjectNode term(String field, String value) {
        ObjectNode t = JsonNodes.object();
        t.putObject("term").put(field, value);
        return t;
    }
}
