package io.dmarclens.index.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The compact per-source rollups ({@code rollup_source}, {@code rollup_reporter_source},
 * {@code rollup_forwarding_reasons}) of one batch of fine rollup rows: fed with the same per-day counts as
 * {@code rollup_daily}, so they always sum alike, and written with one upsert per day and source and per week and
 * source (per reporter too in {@code rollup_reporter_source}). Their size depends on days, sources and reporters,
 * not on records, which keeps the dashboard's source lists fast on large stores.
 */
final class SourceRollups {
    /** Days per coarse bucket; buckets start on epoch days that are multiples of it. */
    static final int WEEK = 7;

    private static final int MESSAGES = 0;
    private static final int DMARC_PASS = 1;
    private static final int SPF_ALIGNED = 2;
    private static final int DKIM_ALIGNED = 3;
    private static final int UNCLASSIFIED = 4;
    private static final int FORWARDED_DKIM_ALIGNED = 9;
    private static final int MEASURES = 10;

    private record Bucket(int span, long day, String sourceIp) {
    }

    /** A row of {@code rollup_reporter_source} (schema version 8). */
    private record ReporterBucket(String reporter, int span, long day, String sourceIp) {
    }

    /** A row of {@code rollup_forwarding_reasons}; {@code unverified} as in the fine key (schema version 7). */
    private record ReasonsKey(String sourceIp, long day, String reasons, boolean unverified) {
    }

    private static final String UPSERT_SOURCE = "INSERT INTO rollup_source (span, day, source_ip, messages, dmarc_pass,"
            + " spf_aligned, dkim_aligned, unclassified, compliant, forwarded, misconfigured, threat, forwarded_dkim_aligned)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (span, day, source_ip) DO UPDATE SET"
            + " messages = messages + excluded.messages, dmarc_pass = dmarc_pass + excluded.dmarc_pass,"
            + " spf_aligned = spf_aligned + excluded.spf_aligned, dkim_aligned = dkim_aligned + excluded.dkim_aligned,"
            + " unclassified = unclassified + excluded.unclassified, compliant = compliant + excluded.compliant,"
            + " forwarded = forwarded + excluded.forwarded, misconfigured = misconfigured + excluded.misconfigured,"
            + " threat = threat + excluded.threat,"
            + " forwarded_dkim_aligned = forwarded_dkim_aligned + excluded.forwarded_dkim_aligned";
    private static final String UPSERT_REPORTER = "INSERT INTO rollup_reporter_source (reporter, span, day, source_ip,"
            + " messages, dmarc_pass, spf_aligned, dkim_aligned, unclassified, compliant, forwarded, misconfigured, threat)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (reporter, span, day, source_ip) DO UPDATE SET"
            + " messages = messages + excluded.messages, dmarc_pass = dmarc_pass + excluded.dmarc_pass,"
            + " spf_aligned = spf_aligned + excluded.spf_aligned, dkim_aligned = dkim_aligned + excluded.dkim_aligned,"
            + " unclassified = unclassified + excluded.unclassified, compliant = compliant + excluded.compliant,"
            + " forwarded = forwarded + excluded.forwarded, misconfigured = misconfigured + excluded.misconfigured,"
            + " threat = threat + excluded.threat";
    /** By key: a scan for empty rows would read every reporter's rows at each re-classification of one source. */
    private static final String DELETE_EMPTY_REPORTER = "DELETE FROM rollup_reporter_source WHERE reporter = ?"
            + " AND span = ? AND day = ? AND source_ip = ? AND messages = 0";
    private static final String UPSERT_REASONS = "INSERT INTO rollup_forwarding_reasons (source_ip, day, reasons,"
            + " unverified, messages) VALUES (?,?,?,?,?) ON CONFLICT (source_ip, day, reasons, unverified) DO UPDATE SET"
            + " messages = messages + excluded.messages";

    private final Map<Bucket, long[]> buckets = new HashMap<>();
    private final Map<ReporterBucket, long[]> byReporter = new HashMap<>();
    private final Map<ReasonsKey, long[]> reasons = new HashMap<>();

    /** Adds the messages of one fine rollup key on one day. */
    void add(long day, Rollups.Key key, long messages) {
        add(new Bucket(1, day, key.sourceIp()), key, messages);
        add(new Bucket(WEEK, weekOf(day), key.sourceIp()), key, messages);
        add(byReporter.computeIfAbsent(new ReporterBucket(key.reporter(), 1, day, key.sourceIp()),
                b -> new long[MEASURES]), key, messages);
        add(byReporter.computeIfAbsent(new ReporterBucket(key.reporter(), WEEK, weekOf(day), key.sourceIp()),
                b -> new long[MEASURES]), key, messages);
        if (key.classification().equals("forwarded")) {
            reasons.computeIfAbsent(new ReasonsKey(key.sourceIp(), day, key.reasons(), key.unverified()), k -> new long[1])[0] += messages;
        }
    }

    /** The first day of the seven-day bucket holding {@code day}. */
    static long weekOf(long day) {
        return day - Math.floorMod(day, WEEK);
    }

    private void add(Bucket bucket, Rollups.Key key, long messages) {
        add(buckets.computeIfAbsent(bucket, b -> new long[MEASURES]), key, messages);
    }

    private static void add(long[] m, Rollups.Key key, long messages) {
        m[MESSAGES] += messages;
        if (key.dmarcPass()) {
            m[DMARC_PASS] += messages;
        }
        if (key.spfAligned()) {
            m[SPF_ALIGNED] += messages;
        }
        if (key.dkimAligned()) {
            m[DKIM_ALIGNED] += messages;
        }
        m[UNCLASSIFIED + classificationIndex(key.classification())] += messages;
        if (key.dkimAligned() && key.classification().equals("forwarded")) {
            m[FORWARDED_DKIM_ALIGNED] += messages;
        }
    }

    /** The column offset of a classification token after {@code unclassified}, in the table's column order. */
    private static int classificationIndex(String token) {
        return switch (token) {
            case "" -> 0;
            case "compliant" -> 1;
            case "forwarded" -> 2;
            case "misconfigured" -> 3;
            case "threat" -> 4;
            // A new Classification needs a column (and a migration filling it) before it can be stored.
            default -> throw new IllegalStateException("rollup_source has no column for classification " + token);
        };
    }

    /** Adds ({@code sign} 1) or takes back ({@code sign} -1) the collected counts; zero rows are left to the caller. */
    void write(Connection c, int sign) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_SOURCE)) {
            for (Map.Entry<Bucket, long[]> e : buckets.entrySet()) {
                ps.setInt(1, e.getKey().span());
                ps.setLong(2, e.getKey().day());
                ps.setString(3, e.getKey().sourceIp());
                long[] m = e.getValue();
                for (int i = 0; i < MEASURES; i++) {
                    ps.setLong(4 + i, sign * m[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_REPORTER)) {
            for (Map.Entry<ReporterBucket, long[]> e : byReporter.entrySet()) {
                ps.setString(1, e.getKey().reporter());
                ps.setInt(2, e.getKey().span());
                ps.setLong(3, e.getKey().day());
                ps.setString(4, e.getKey().sourceIp());
                long[] m = e.getValue();
                for (int i = 0; i < FORWARDED_DKIM_ALIGNED; i++) {
                    ps.setLong(5 + i, sign * m[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (sign < 0) {
            try (PreparedStatement ps = c.prepareStatement(DELETE_EMPTY_REPORTER)) {
                for (ReporterBucket b : byReporter.keySet()) {
                    ps.setString(1, b.reporter());
                    ps.setInt(2, b.span());
                    ps.setLong(3, b.day());
                    ps.setString(4, b.sourceIp());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!reasons.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(UPSERT_REASONS)) {
                for (Map.Entry<ReasonsKey, long[]> e : reasons.entrySet()) {
                    ps.setString(1, e.getKey().sourceIp());
                    ps.setLong(2, e.getKey().day());
                    ps.setString(3, e.getKey().reasons());
                    ps.setInt(4, e.getKey().unverified() ? 1 : 0);
                    ps.setLong(5, sign * e.getValue()[0]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Deletes rows that subtraction brought to zero. */
    static void deleteEmptyRows(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM rollup_source WHERE messages = 0");
            st.executeUpdate("DELETE FROM rollup_forwarding_reasons WHERE messages = 0");
        }
    }
}
