package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.query.CoveredDays;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReporterQueries;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.store.query.ScopeResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reporting organisations and the days their reports cover.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteReporterQueries implements ReporterQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteReporterQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Reporting organisations, most reports first. */
    @Override
    public List<ReporterStats> reporters(ReportFilter scoped, Page page) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        FilterSql f = FilterSql.onReports(filter);
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            List<long[]> figures = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.reporter, COUNT(*), SUM(r.message_count),"
                    + " MIN(r.begin_ts), MAX(r.end_ts) FROM aggregate_report r"
                    + f.where() + " GROUP BY r.reporter ORDER BY COUNT(*) DESC, r.reporter LIMIT ? OFFSET ?")) {
                int i = f.bind(ps);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        figures.add(new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                    }
                }
            }
            Map<String, CoveredDays> covered = coveredDays(c, filter, names);
            List<ReporterStats> out = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                long[] n = figures.get(k);
                long first = n[2];
                long last = n[3];
                long span = Math.floorDiv(Math.max(first, last - 1), 86_400) - Math.floorDiv(first, 86_400) + 1;
                long days = covered.get(names.get(k)).count();
                out.add(new ReporterStats(names.get(k), n[0], n[1], Instant.ofEpochSecond(first),
                        Instant.ofEpochSecond(last), days, Math.max(0, span - days)));
            }
            return out;
        });
    }

    /** The UTC days the reports of each of {@code reporters} cover over the filter (a report covers all its days). */
    private static Map<String, CoveredDays> coveredDays(Connection c, ReportFilter filter, List<String> reporters)
            throws SQLException {
        Map<String, CoveredDays> out = new HashMap<>();
        reporters.forEach(r -> out.put(r, new CoveredDays()));
        if (reporters.isEmpty()) {
            return out;
        }
        FilterSql f = FilterSql.onReports(filter).in("r.reporter", reporters);
        // Reports that begin on the same day cover the days of the longest of them: one row per reporter and day.
        try (PreparedStatement ps = c.prepareStatement("SELECT r.reporter, r.begin_ts / 86400 * 86400, MAX(r.end_ts)"
                + " FROM aggregate_report r" + f.where() + " GROUP BY r.reporter, r.begin_ts / 86400")) {
            f.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CoveredDays days = out.get(rs.getString(1));
                    if (days != null) {
                        days.add(rs.getLong(2), rs.getLong(3));
                    }
                }
            }
        }
        return out;
    }
}
