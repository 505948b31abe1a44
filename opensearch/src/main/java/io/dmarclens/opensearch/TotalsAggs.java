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

    /** The fields of compact rollup documents ({@link Compaction}) holding each figure, in {@link #NAMES} order. */
    static final String[] COMPACT_FIELDS = {"messages", "dmarc_pass", "dmarc_fail", "dkim_aligned", "spf_aligned",
            "dkim_pass", "spf_pass", "disposition_none", "disposition_quarantine", "disposition_reject",
            "class_compliant", "class_forwarded", "class_misconfigured", "class_threat"};

    /** The same sums over compact rollup documents, which hold each figure in a field of its own. */
    static void addCompact(ObjectNode aggs) {
        for (int i = 0; i < NAMES.length; i++) {
            aggs.putObject(NAMES[i]).putObject("sum").put("field", COMPACT_FIELDS[i]);
        }
    }

    /** The figures of a {@link Totals}, in {@link #NAMES} order. */
    static long[] values(Totals t) {
        return new long[]{t.messages(), t.dmarcPass(), t.dmarcFail(), t.dkimAligned(), t.spfAligned(), t.dkimPass(),
                t.spfPass(), t.dispositionNone(), t.dispositionQuarantine(), t.dispositionReject(), t.compliant(),
                t.forwarded(), t.misconfigured(), t.threat()};
    }

    /** Both added up. */
    static Totals plus(Totals a, Totals b) {
        long[] x = values(a);
        long[] y = values(b);
        return new Totals(x[0] + y[0], x[1] + y[1], x[2] + y[2], x[3] + y[3], x[4] + y[4], x[5] + y[5], x[6] + y[6],
                x[7] + y[7], x[8] + y[8], x[9] + y[9], x[10] + y[10], x[11] + y[11], x[12] + y[12], x[13] + y[13]);
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
