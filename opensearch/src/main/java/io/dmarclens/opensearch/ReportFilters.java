package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.ReportFilter;

/**
 * A {@link ReportFilter} on the documents that carry a report's fields: reports, records (which repeat
 * their report's), the embedded store's {@code FilterSql.onReports}: a report belongs to the range its
 * begin falls in.
 */
final class ReportFilters {
    private ReportFilters() {
    }

    /** Adds the filter's clauses to a filter list, for documents with begin, policy_domain, reporter, unverified. */
    static void onReports(ReportFilter f, ArrayNode filter) {
        if (f.from() != null || f.to() != null) {
            ObjectNode range = filter.addObject().putObject("range").putObject("begin");
            if (f.from() != null) {
                range.put("gte", f.fromSecond());
            }
            if (f.to() != null) {
                range.put("lt", f.toSecondExclusive());
            }
        }
        Filters.terms(filter, "policy_domain", f.domains());
        Filters.terms(filter, "reporter", f.reporters());
        if (f.excludeUnverified()) {
            filter.addObject().putObject("term").put("unverified", false);
        }
    }
}
