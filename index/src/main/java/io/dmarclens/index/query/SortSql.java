package io.dmarclens.index.query;

import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.SourceSort;

/**
 * The ORDER BY clauses of the sort enums: constants chosen by a switch, so user input never reaches SQL.
 * Source clauses use the aggregates themselves: inside an expression SQLite resolves a name to the table's
 * column of an arbitrary row of the group, not to the result column of the same name.
 */
final class SortSql {
    private SortSql() {
    }

    static String orderBy(ReportSort sort) {
        return switch (sort) {
            case NEWEST -> "r.begin_ts DESC, r.id DESC";
            case OLDEST -> "r.begin_ts ASC, r.id ASC";
            case MOST_MESSAGES -> "r.message_count DESC, r.id DESC";
            case REPORTER -> "r.reporter COLLATE NOCASE ASC, r.begin_ts DESC, r.id DESC";
        };
    }

    /** Over {@code rollup_daily}, whose {@code dmarc_pass} is a flag per row. */
    static String orderBy(SourceSort sort) {
        return switch (sort) {
            case MESSAGES -> "SUM(messages) DESC";
            case FAILING -> "SUM(messages) - SUM(dmarc_pass * messages) DESC, SUM(messages) DESC";
            case PASS_RATE -> "CAST(SUM(dmarc_pass * messages) AS REAL) / SUM(messages) ASC, SUM(messages) DESC";
        };
    }

    /** Over {@code rollup_source}, whose measures are message counts already. */
    static String orderByCounts(SourceSort sort) {
        return switch (sort) {
            case MESSAGES -> "SUM(messages) DESC";
            case FAILING -> "SUM(messages) - SUM(dmarc_pass) DESC, SUM(messages) DESC";
            case PASS_RATE -> "CAST(SUM(dmarc_pass) AS REAL) / SUM(messages) ASC, SUM(messages) DESC";
        };
    }
}
