package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.OverviewQueries;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.Totals;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Totals, daily series and the days stored, from the summary rollup.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteOverviewQueries implements OverviewQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteOverviewQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Totals over the filter. */
    @Override
    public Totals totals(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(scopes.resolve(filter.scope()).aggregateFilter(filter), "");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TOTALS_COLUMNS + " FROM rollup_summary" + f.where())) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Rows.totals(rs, 1);
                }
            }
        });
    }

    /** Totals per UTC day, oldest first; days without messages are left out. */
    @Override
    public List<DailyTotals> daily(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(scopes.resolve(filter.scope()).aggregateFilter(filter), "");
        return db.read(c -> {
            List<DailyTotals> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT day, " + Rows.TOTALS_COLUMNS + " FROM rollup_summary"
                    + f.where() + " GROUP BY day ORDER BY day")) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DailyTotals(LocalDate.ofEpochDay(rs.getLong(1)), Rows.totals(rs, 2)));
                    }
                }
            }
            return out;
        });
    }

    /** The days the rollups cover, or empty when nothing is stored. */
    @Override
    public Optional<DateSpan> dateSpan(DomainScope scope) {
        FilterSql f = FilterSql.onRollup(scopes.resolve(scope).aggregateFilter(ReportFilter.all()), "");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(day), MAX(day) FROM rollup_summary" + f.where())) {
                f.bind(ps);
                ResultSet rs = ps.executeQuery();
                rs.next();
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                    return Optional.empty();
                }
                return Optional.of(new DateSpan(LocalDate.ofEpochDay(first), LocalDate.ofEpochDay(rs.getLong(2))));
            }
        });
    }
}
