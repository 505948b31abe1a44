package io.dmarclens.index.query;

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
