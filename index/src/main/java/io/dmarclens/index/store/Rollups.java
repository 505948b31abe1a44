package io.dmarclens.index.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    private record SummaryKey(long day, String policyDomain, String reporter, String disposition, String dkim,
                              String spf, boolean dkimAligned, boolean spfAligned, boolean dmarcPass,
                              String classification) {
    }

    private static final String UPSERT_DAILY = "INSERT INTO rollup_daily (day, policy_domain, header_from, source_ip,"
            + " reporter, disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, reasons, messages)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (day, policy_domain, reporter, source_ip, header_from,"
            + " disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, reasons)"
            + " DO UPDATE SET messages = messages + excluded.messages";
    private static final String UPSERT_SUMMARY = "INSERT INTO rollup_summary (day, policy_domain, reporter,"
            + " disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, messages)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (day, policy_domain, reporter, disposition, dkim, spf,"
            + " dkim_aligned, spf_aligned, dmarc_pass, classification)"
            + " DO UPDATE SET messages = messages + excluded.messages";

    private static final String DELETE_EMPTY_DAILY = "DELETE FROM rollup_daily WHERE day = ? AND policy_domain = ?"
            + " AND header_from = ? AND source_ip = ? AND reporter = ? AND disposition = ? AND dkim = ? AND spf = ?"
            + " AND dkim_aligned = ? AND spf_aligned = ? AND dmarc_pass = ? AND classification = ? AND reasons = ?"
            + " AND messages = 0";
    private static final String DELETE_EMPTY_SUMMARY = "DELETE FROM rollup_summary WHERE day = ? AND policy_domain = ?"
            + " AND reporter = ? AND disposition = ? AND dkim = ? AND spf = ? AND dkim_aligned = ? AND spf_aligned = ?"
            + " AND dmarc_pass = ? AND classification = ? AND messages = 0";

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

    /**
     * Adds ({@code sign} 1) or takes back ({@code sign} -1) this report's counts. Taking back deletes the
     * rows it brings to zero, by key: a scan for empty rows would read every row of a large store at each
     * re-classification of one source.
     */
    void write(Connection c, DaySplit split, int sign) throws SQLException {
        Map<SummaryKey, long[]> summary = new HashMap<>();
        SourceRollups sources = new SourceRollups();
        List<Map.Entry<Long, Key>> written = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UPSERT_DAILY)) {
            for (Map.Entry<Key, long[]> e : counts.entrySet()) {
                Key k = e.getKey();
                long[] perDay = split.apply(e.getValue()[0]);
                for (int i = 0; i < perDay.length; i++) {
                    if (perDay[i] == 0) {
                        continue;
                    }
                    long day = split.firstDay() + i;
                    bindDaily(ps, day, k);
                    ps.setLong(14, sign * perDay[i]);
                    ps.addBatch();
                    if (sign < 0) {
                        written.add(Map.entry(day, k));
                    }
                    summary.computeIfAbsent(new SummaryKey(day, k.policyDomain(), k.reporter(), k.disposition(),
                            k.dkim(), k.spf(), k.dkimAligned(), k.spfAligned(), k.dmarcPass(), k.classification()),
                            x -> new long[1])[0] += perDay[i];
                    sources.add(day, k, perDay[i]);
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_SUMMARY)) {
            for (Map.Entry<SummaryKey, long[]> e : summary.entrySet()) {
                bindSummary(ps, e.getKey());
                ps.setLong(11, sign * e.getValue()[0]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (sign < 0) {
            try (PreparedStatement ps = c.prepareStatement(DELETE_EMPTY_DAILY)) {
                for (Map.Entry<Long, Key> w : written) {
                    bindDaily(ps, w.getKey(), w.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(DELETE_EMPTY_SUMMARY)) {
                for (SummaryKey k : summary.keySet()) {
                    bindSummary(ps, k);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        sources.write(c, sign);
    }

    /** Binds a fine row's key as parameters 1 to 13, in the column order of {@link #UPSERT_DAILY}. */
    private static void bindDaily(PreparedStatement ps, long day, Key k) throws SQLException {
        ps.setLong(1, day);
        ps.setString(2, k.policyDomain());
        ps.setString(3, k.headerFrom());
        ps.setString(4, k.sourceIp());
        ps.setString(5, k.reporter());
        ps.setString(6, k.disposition());
        ps.setString(7, k.dkim());
        ps.setString(8, k.spf());
        ps.setInt(9, k.dkimAligned() ? 1 : 0);
        ps.setInt(10, k.spfAligned() ? 1 : 0);
        ps.setInt(11, k.dmarcPass() ? 1 : 0);
        ps.setString(12, k.classification());
        ps.setString(13, k.reasons());
    }

    /** Binds a summary row's key as parameters 1 to 10, in the column order of {@link #UPSERT_SUMMARY}. */
    private static void bindSummary(PreparedStatement ps, SummaryKey k) throws SQLException {
        ps.setLong(1, k.day());
        ps.setString(2, k.policyDomain());
        ps.setString(3, k.reporter());
        ps.setString(4, k.disposition());
        ps.setString(5, k.dkim());
        ps.setString(6, k.spf());
        ps.setInt(7, k.dkimAligned() ? 1 : 0);
        ps.setInt(8, k.spfAligned() ? 1 : 0);
        ps.setInt(9, k.dmarcPass() ? 1 : 0);
        ps.setString(10, k.classification());
    }
}
