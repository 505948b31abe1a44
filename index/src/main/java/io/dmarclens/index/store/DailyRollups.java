package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine rollup counts already spread over their days ({@link DaySplit}), ready to be written: the fine rows
 * ({@code rollup_daily}), the coarse summary (the sum of the fine rows) and the per-source rollups all come
 * from the same per-day counts, so every table sums alike. Counts of several reports may be merged before
 * one write: the upserts add up, so writing the merge gives the same rows as writing each report.
 */
final class DailyRollups {
    private record DayKey(long day, Rollups.Key key) {
    }

    private record SummaryKey(long day, String policyDomain, String reporter, String disposition, String dkim,
                              String spf, boolean dkimAligned, boolean spfAligned, boolean dmarcPass,
                              String classification, boolean unverified) {
    }

    private static final String UPSERT_DAILY = "INSERT INTO rollup_daily (day, policy_domain, header_from, source_ip,"
            + " reporter, disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, reasons, unverified,"
            + " messages) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (day, policy_domain, reporter, source_ip,"
            + " header_from, disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, reasons, unverified)"
            + " DO UPDATE SET messages = messages + excluded.messages";
    private static final String UPSERT_SUMMARY = "INSERT INTO rollup_summary (day, policy_domain, reporter,"
            + " disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass, classification, unverified, messages)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (day, policy_domain, reporter, disposition, dkim, spf,"
            + " dkim_aligned, spf_aligned, dmarc_pass, classification, unverified)"
            + " DO UPDATE SET messages = messages + excluded.messages";

    private static final String DELETE_EMPTY_DAILY = "DELETE FROM rollup_daily WHERE day = ? AND policy_domain = ?"
            + " AND header_from = ? AND source_ip = ? AND reporter = ? AND disposition = ? AND dkim = ? AND spf = ?"
            + " AND dkim_aligned = ? AND spf_aligned = ? AND dmarc_pass = ? AND classification = ? AND reasons = ?"
            + " AND unverified = ? AND messages = 0";
    private static final String DELETE_EMPTY_SUMMARY = "DELETE FROM rollup_summary WHERE day = ? AND policy_domain = ?"
            + " AND reporter = ? AND disposition = ? AND dkim = ? AND spf = ? AND dkim_aligned = ? AND spf_aligned = ?"
            + " AND dmarc_pass = ? AND classification = ? AND unverified = ? AND messages = 0";

    private final Map<DayKey, long[]> counts = new HashMap<>();

    /** Adds the messages of one fine key on one epoch day. */
    void add(long day, Rollups.Key key, long messages) {
        if (messages != 0) {
            counts.computeIfAbsent(new DayKey(day, key), k -> new long[1])[0] += messages;
        }
    }

    /** Number of fine rows collected. */
    int size() {
        return counts.size();
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    void clear() {
        counts.clear();
    }

    /**
     * Adds ({@code sign} 1) or takes back ({@code sign} -1) the collected counts. Taking back deletes the
     * rows it brings to zero, by key: a scan for empty rows would read every row of a large store at each
     * re-classification of one source.
     */
    void write(Connection c, int sign) throws SQLException {
        Map<SummaryKey, long[]> summary = new HashMap<>();
        SourceRollups sources = new SourceRollups();
        List<DayKey> written = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UPSERT_DAILY)) {
            for (Map.Entry<DayKey, long[]> e : counts.entrySet()) {
                long day = e.getKey().day();
                Rollups.Key k = e.getKey().key();
                long messages = e.getValue()[0];
                bindDaily(ps, day, k);
                ps.setLong(15, sign * messages);
                ps.addBatch();
                if (sign < 0) {
                    written.add(e.getKey());
                }
                summary.computeIfAbsent(new SummaryKey(day, k.policyDomain(), k.reporter(), k.disposition(),
                        k.dkim(), k.spf(), k.dkimAligned(), k.spfAligned(), k.dmarcPass(), k.classification(), k.unverified()),
                        x -> new long[1])[0] += messages;
                sources.add(day, k, messages);
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_SUMMARY)) {
            for (Map.Entry<SummaryKey, long[]> e : summary.entrySet()) {
                bindSummary(ps, e.getKey());
                ps.setLong(12, sign * e.getValue()[0]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (sign < 0) {
            try (PreparedStatement ps = c.prepareStatement(DELETE_EMPTY_DAILY)) {
                for (DayKey w : written) {
                    bindDaily(ps, w.day(), w.key());
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

    /** Binds a fine row's key as parameters 1 to 14, in the column order of {@link #UPSERT_DAILY}. */
    private static void bindDaily(PreparedStatement ps, long day, Rollups.Key k) throws SQLException {
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
        ps.setInt(14, k.unverified() ? 1 : 0);
    }

    /** Binds a summary row's key as parameters 1 to 11, in the column order of {@link #UPSERT_SUMMARY}. */
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
        ps.setInt(11, k.unverified() ? 1 : 0);
    }
}
