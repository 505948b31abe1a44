package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.ReportSort;

/**
 * The sort orders of lists, as the embedded store orders them ({@code SortSql}). Its ties fall back to row
 * ids, which count up as reports are stored; ours are hashes of identities, so the documents carry the
 * order they were stored in ({@value #SEQ}), and the id comes last only to make every order total (which
 * search_after needs).
 */
final class Order {
    /** The field holding the order documents were stored in. */
    static final String SEQ = "seq";

    private Order() {
    }

    static ArrayNode reportsNewestFirst() {
        return sort("begin", "desc", SEQ, "desc", "report_ref", "desc");
    }

    static ArrayNode reportsOldestFirst() {
        return sort("begin", "asc", SEQ, "asc", "report_ref", "asc");
    }

    static ArrayNode reports(ReportSort s) {
        return switch (s) {
            case NEWEST -> reportsNewestFirst();
            case OLDEST -> reportsOldestFirst();
            case MOST_MESSAGES -> sort("message_count", "desc", SEQ, "desc", "report_ref", "desc");
            case REPORTER -> {
                // SQLite's NOCASE folds ASCII letters only (a keyword normalizer would fold every script).
                ArrayNode a = JsonNodes.object().arrayNode();
                ObjectNode script = a.addObject().putObject("_script");
                script.put("type", "string");
                script.put("order", "asc");
                script.putObject("script").put("lang", "painless").put("source",
                        "String r = doc['reporter'].size() == 0 ? '' : doc['reporter'].value;"
                                + " StringBuilder b = new StringBuilder();"
                                + " for (int i = 0; i < r.length(); i++) { char c = r.charAt(i);"
                                + " b.append(c >= (char) 65 && c <= (char) 90 ? (char) (c + 32) : c); }"
                                + " return b.toString();");
                a.addAll(sort("begin", "desc", SEQ, "desc", "report_ref", "desc"));
                yield a;
            }
        };
    }

    /** Records of several reports: newest report first, then its records from the last. */
    static ArrayNode recordsNewestFirst() {
        return sort("begin", "desc", SEQ, "desc", "idx", "desc", "record_id", "desc");
    }

    /** Records in the order they were stored (the embedded store's id order). */
    static ArrayNode recordsStored() {
        return sort(SEQ, "asc", "idx", "asc", "record_id", "asc");
    }

    /** Pairs of field and direction. */
    static ArrayNode sort(String... fieldsAndOrders) {
        ArrayNode a = JsonNodes.object().arrayNode();
        for (int i = 0; i < fieldsAndOrders.length; i += 2) {
            a.addObject().putObject(fieldsAndOrders[i]).put("order", fieldsAndOrders[i + 1]);
        }
        return a;
    }
}
