package io.dmarclens.index.query;

import io.dmarclens.store.query.ReportFilter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause built from a {@link ReportFilter}: column names are constants of our own, values are
 * always bound parameters, never concatenated.
 */
final class FilterSql {
    FilterSql() {
    }

    private final StringBuilder where = new StringBuilder(" WHERE 1=1");
    private final List<Object> params = new ArrayList<>();

    /** For rollup tables keyed by epoch day. */
    static FilterSql onRollup(ReportFilter f, String alias) {
        FilterSql s = new FilterSql();
        String a = alias.isEmpty() ? "" : alias + ".";
        if (f.from() != null) {
            s.and(a + "day >= ?", f.fromDay());
        }
        if (f.to() != null) {
            s.and(a + "day <= ?", f.toDay());
        }
        s.in(a + "policy_domain", f.domains());
        s.in(a + "reporter", f.reporters());
        if (f.excludeUnverified()) {
            s.and(a + "unverified = 0");
        }
        return s;
    }

    /**
     * For {@code rollup_daily}, whose primary key leads with day, policy domain and reporter. Filtered by
     * domain or reporter, a day range alone would make SQLite read every domain's rows of those days (about
     * one row per record: seconds on a store of millions). Listing the days, and for a reporter filter the
     * domains, that the small {@code rollup_summary} holds for the filter lets it seek straight to the rows
     * of each (day, domain, reporter) instead. The range conditions stay, so the rows are the same.
     */
    static FilterSql onFineRollup(ReportFilter f) {
        FilterSql s = onRollup(f, "");
        if (f.domains().isEmpty() && f.reporters().isEmpty()) {
            return s;
        }
        FilterSql summary = onRollup(f, "");
        s.and("day IN (SELECT DISTINCT day FROM rollup_summary" + summary.where() + ")", summary.params.toArray());
        if (f.domains().isEmpty()) {
            s.and("policy_domain IN (SELECT DISTINCT policy_domain FROM rollup_summary" + summary.where() + ")",
                    summary.params.toArray());
        }
        return s;
    }

    /** For aggregate_report (alias r): a report belongs to the range its begin falls in. */
    static FilterSql onReports(ReportFilter f) {
        FilterSql s = new FilterSql();
        if (f.from() != null) {
            s.and("r.begin_ts >= ?", f.fromSecond());
        }
        if (f.to() != null) {
            s.and("r.begin_ts < ?", f.toSecondExclusive());
        }
        s.in("r.policy_domain", f.domains());
        s.in("r.reporter", f.reporters());
        if (f.excludeUnverified()) {
            s.and("r.authenticity <> 'unverified'");
        }
        return s;
    }

    FilterSql and(String condition, Object... values) {
        where.append(" AND ").append(condition);
        params.addAll(List.of(values));
        return this;
    }

    FilterSql in(String column, java.util.Collection<String> values) {
        if (values.isEmpty()) {
            return this;
        }
        where.append(" AND ").append(column).append(" IN (")
                .append(String.join(",", java.util.Collections.nCopies(values.size(), "?"))).append(')');
        params.addAll(values.stream().sorted().toList());
        return this;
    }

    String where() {
        return where.toString();
    }

    /** Binds the parameters from index 1; returns the next free index. */
    int bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        for (Object p : params) {
            ps.setObject(i++, p);
        }
        return i;
    }
}
