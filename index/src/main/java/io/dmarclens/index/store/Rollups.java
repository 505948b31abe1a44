package io.dmarclens.index.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Daily rollups of one report, aggregated in memory and written with one upsert per row, so that
 * dashboard queries never read raw records. Counts are split over the report's days per fine key
 * ({@link DaySplit}), and the coarse summary is the sum of those fine splits: both tables sum exactly
 * to the records, and a fine key's share can be taken back exactly when a source is re-classified.
 */
final class Rollups {
    /** The fine rollup dimensions of one record. Absent values are empty strings. */
    record Key(String policyDomain, String headerFrom, String sourceIp, String reporter, String disposition,
               String dkim, String spf, boolean dkimAligned, boolean spfAligned, boolean dmarcPass,
               String classification, String reasons) {
    }

    private final Map<Key, long[]> counts = new HashMap<>();

    void add(Key key, long count) {
        counts.computeIfAbsent(key, k -> new long[1])[0] += count;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    void clear() {
        counts.clear();
    }

    /** Spreads the collected counts over the days of {@code split} into {@code into}. */
    void spread(DaySplit split, DailyRollups into) {
        for (Map.Entry<Key, long[]> e : counts.entrySet()) {
            long[] perDay = split.apply(e.getValue()[0]);
            for (int i = 0; i < perDay.length; i++) {
                into.add(split.firstDay() + i, e.getKey(), perDay[i]);
            }
        }
    }

    /**
     * Adds ({@code sign} 1) or takes back ({@code sign} -1) this report's counts, spread over its days
     * (see {@link DailyRollups#write}).
     */
    void write(Connection c, DaySplit split, int sign) throws SQLException {
        DailyRollups daily = new DailyRollups();
        spread(split, daily);
        daily.write(c, sign);
    }
}
