package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.ReportFilter;
import java.time.LocalDate;

/** A {@link ReportFilter} as OpenSearch query clauses; values are JSON values, never query text. */
final class Filters {
    private Filters() {
    }

    /** The filter on rollup documents (by their UTC day), into a bool query's filter list. */
    static void onRollups(ReportFilter f, ObjectNode bool) {
        ArrayNode filter = bool.withArray("filter");
        if (f.from() != null || f.to() != null) {
            ObjectNode range = filter.addObject().putObject("range").putObject("day");
            if (f.from() != null) {
                range.put("gte", day(f.from()));
            }
            if (f.to() != null) {
                range.put("lte", day(f.to()));
            }
        }
        terms(filter, "policy_domain", f.domains());
        terms(filter, "reporter", f.reporters());
        if (f.excludeUnverified()) {
            filter.addObject().putObject("term").put("unverified", false);
        }
    }

    static void terms(ArrayNode filter, String field, java.util.Set<String> values) {
        if (!values.isEmpty()) {
            ArrayNode t = filter.addObject().putObject("terms").putArray(field);
            values.stream().sorted().forEach(t::add);
        }
    }

    static String day(LocalDate d) {
        return d.toString();
    }
}
