package io.dmarclens.index.query;

import io.dmarclens.store.query.ReportFilter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of {@code rollup_source} that cover a filter's days exactly once: the whole seven-day buckets
 * inside the range (they start on epoch days divisible by 7, as the store writes them) and the single
 * days at its edges, as a {@code FROM} clause over a UNION ALL of primary-key ranges (an OR of the ranges
 * would make SQLite collect and look up every key twice). The table has no domains or reporters, so it
 * answers only filters without them ({@link #answers}); a filter naming reporters reads the same rows per
 * reporter from {@code rollup_reporter_source} (schema version 8), whose primary key leads with the reporter
 * ({@link #answersPerReporter}; only the source lists read it, it has no forwarding sums).
 */
final class SourceRollupSql {
    /** Days of a {@code rollup_source} bucket of span 7. */
    private static final int WEEK = 7;

    private final String from;
    private final List<Object> params;

    private SourceRollupSql(String from, List<Object> params) {
        this.from = from;
        this.params = params;
    }

    /** Whether the compact rollup can answer the filter (it has no domain, reporter or verdict). */
    static boolean answers(ReportFilter f) {
        return f.domains().isEmpty() && f.reporters().isEmpty() && !f.excludeUnverified();
    }

    /** Whether {@code rollup_source} or {@code rollup_reporter_source} can answer the filter (no domain, no verdict). */
    static boolean answersPerReporter(ReportFilter f) {
        return f.domains().isEmpty() && !f.excludeUnverified();
    }

    /**
     * @param columns the columns each row gives (constants of our own; those of {@code rollup_reporter_source} when
     *                the filter names reporters)
     */
    static SourceRollupSql of(ReportFilter f, String columns) {
        if (!answersPerReporter(f)) {
            throw new IllegalArgumentException("rollup_source cannot filter by domain or verdict");
        }
        long from = f.fromDay();
        long to = f.toDay();
        long weeksFrom = from + Math.floorMod(-from, WEEK);
        long weeksEnd = to + 1 - Math.floorMod(to + 1, WEEK);
        List<long[]> parts = new ArrayList<>();
        if (weeksEnd - weeksFrom >= WEEK) {
            parts.add(new long[]{WEEK, weeksFrom, weeksEnd - WEEK});
            if (from < weeksFrom) {
                parts.add(new long[]{1, from, weeksFrom - 1});
            }
            if (weeksEnd <= to) {
                parts.add(new long[]{1, weeksEnd, to});
            }
        } else {
            parts.add(new long[]{1, from, to});
        }
        List<String> reporters = f.reporters().stream().sorted().toList();
        String part = reporters.isEmpty()
                ? "SELECT " + columns + " FROM rollup_source WHERE span = ? AND day BETWEEN ? AND ?"
                : "SELECT " + columns + " FROM rollup_reporter_source WHERE reporter IN ("
                        + String.join(",", Collections.nCopies(reporters.size(), "?")) + ") AND span = ? AND day BETWEEN ? AND ?";
        List<Object> params = new ArrayList<>();
        for (long[] p : parts) {
            params.addAll(reporters);
            params.add(p[0]);
            params.add(p[1]);
            params.add(p[2]);
        }
        return new SourceRollupSql(" FROM (" + String.join(" UNION ALL ", Collections.nCopies(parts.size(), part)) + ")",
                params);
    }

    /** The FROM clause. */
    String from() {
        return from;
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
