package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.StoredRecordFacts;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Takes stored records back out of the rollups, or moves them between rollup rows when their
 * classification changes; the same split as at import keeps every row exact.
 */
final class StoredRollups {
    private StoredRollups() {
    }

    private static final String REPORT_SQL = "SELECT r.id, r.policy_domain, r.reporter, r.begin_ts, r.end_ts, r.p, r.sp,"
            + " r.np, r.adkim, r.aspf, r.pct, r.fo, r.testing, r.discovery, r.authenticity FROM aggregate_report r WHERE r.id = ?";
    private static final String RECORD_SQL = "SELECT id, idx, source_ip, count, disposition, dkim, spf, header_from,"
            + " envelope_from, envelope_to, reasons, dkim_results, spf_results, dkim_aligned, spf_aligned, dmarc_pass,"
            + " verdict_disagrees, classification, classification_reason FROM aggregate_record";

    /** Subtracts a whole report's records from the rollups (before the report is deleted). */
    static void subtractReport(Connection c, long reportRef) throws SQLException {
        ReportInfo report = report(c, reportRef);
        Rollups rollups = new Rollups();
        try (PreparedStatement ps = c.prepareStatement(RECORD_SQL + " WHERE report_ref = ?")) {
            ps.setLong(1, reportRef);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stored s = stored(rs);
                    rollups.add(key(report, s.record(), s.enrichment()), s.record().count());
                }
            }
        }
        rollups.write(c, DaySplit.of(report.begin, report.end), -1);
    }

    /**
     * Classifies every record of one source IP again and moves its counts between rollup rows.
     *
     * @return records whose enrichment changed
     */
    static int reclassify(Connection c, String ip, SenderInfo sender,
                          Function<StoredRecordFacts, RecordEnrichment> classifier) throws SQLException {
        Map<Long, List<Stored>> byReport = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT report_ref, " + RECORD_SQL.substring("SELECT ".length())
                + " WHERE source_ip = ? ORDER BY report_ref, id")) {
            ps.setString(1, ip);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Stored s = stored(rs);
                    byReport.computeIfAbsent(s.reportRef, k -> new ArrayList<>()).add(s);
                }
            }
        }
        int changed = 0;
        try (PreparedStatement update = c.prepareStatement("UPDATE aggregate_record SET dkim_aligned = ?, spf_aligned = ?,"
                + " dmarc_pass = ?, verdict_disagrees = ?, classification = ?, classification_reason = ? WHERE id = ?")) {
            for (Map.Entry<Long, List<Stored>> e : byReport.entrySet()) {
                ReportInfo report = report(c, e.getKey());
                Rollups before = new Rollups();
                Rollups after = new Rollups();
                for (Stored s : e.getValue()) {
                    RecordEnrichment next = classifier.apply(new StoredRecordFacts(s.id, report.reporter, report.policy,
                            s.record, sender, s.enrichment));
                    if (next == null || sameVerdict(next, s.enrichment)) {
                        continue;
                    }
                    before.add(key(report, s.record, s.enrichment), s.record.count());
                    after.add(key(report, s.record, next), s.record.count());
                    update.setInt(1, next.dkimAligned() ? 1 : 0);
                    update.setInt(2, next.spfAligned() ? 1 : 0);
                    update.setInt(3, next.dmarcPass() ? 1 : 0);
                    update.setInt(4, next.verdictDisagrees() ? 1 : 0);
                    update.setString(5, next.classification() == null ? "" : next.classification().token());
                    update.setString(6, next.classificationReason());
                    update.setLong(7, s.id);
                    update.addBatch();
                    changed++;
                }
                if (!before.isEmpty()) {
                    DaySplit split = DaySplit.of(report.begin, report.end);
                    before.write(c, split, -1);
                    after.write(c, split, 1);
                }
            }
            update.executeBatch();
        }
        SourceRollups.deleteEmptyRows(c); // small (days x sources); the fine rows were deleted by key
        return changed;
    }

    static void deleteEmptyRows(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM rollup_daily WHERE messages = 0");
            st.executeUpdate("DELETE FROM rollup_summary WHERE messages = 0");
        }
        SourceRollups.deleteEmptyRows(c);
    }

    private static boolean sameVerdict(RecordEnrichment a, RecordEnrichment b) {
        return a.dkimAligned() == b.dkimAligned() && a.spfAligned() == b.spfAligned() && a.dmarcPass() == b.dmarcPass()
                && a.verdictDisagrees() == b.verdictDisagrees() && a.classification() == b.classification()
                && java.util.Objects.equals(a.classificationReason(), b.classificationReason());
    }

    private static Rollups.Key key(ReportInfo report, AggregateRecord r, RecordEnrichment e) {
        return new Rollups.Key(report.policyDomain, SqliteImportBatch.domain(r.headerFrom()), r.sourceIp(), report.reporter,
                r.disposition() == null ? "" : r.disposition().token(), r.dkim() == null ? "" : r.dkim().token(),
                r.spf() == null ? "" : r.spf().token(), e.dkimAligned(), e.spfAligned(), e.dmarcPass(),
                e.classification() == null ? "" : e.classification().token(), SqliteImportBatch.reasonTypes(r),
                report.unverified);
    }

    private record ReportInfo(String policyDomain, String reporter, long begin, long end, PolicyPublished policy,
                              boolean unverified) {
    }

    private static ReportInfo report(Connection c, long reportRef) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REPORT_SQL)) {
            ps.setLong(1, reportRef);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no aggregate report with id " + reportRef);
                }
                int pct = rs.getInt(11);
                Integer pctValue = rs.wasNull() ? null : pct;
                PolicyPublished policy = new PolicyPublished(rs.getString(2), disposition(rs.getString(6)),
                        disposition(rs.getString(7)), disposition(rs.getString(8)), alignment(rs.getString(9)),
                        alignment(rs.getString(10)), pctValue, rs.getString(12), rs.getString(13), rs.getString(14));
                return new ReportInfo(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), policy,
                        Authenticity.Verdict.ofCode(rs.getString(15)) == Authenticity.Verdict.UNVERIFIED);
            }
        }
    }

    private record Stored(long reportRef, long id, AggregateRecord record, RecordEnrichment enrichment) {
    }

    /** Reads a RECORD_SQL row, optionally preceded by report_ref. */
    private static Stored stored(ResultSet rs) throws SQLException {
        int o = rs.getMetaData().getColumnName(1).equalsIgnoreCase("report_ref") ? 1 : 0;
        long reportRef = o == 1 ? rs.getLong(1) : 0;
        AggregateRecord record = new AggregateRecord(rs.getInt(o + 2), rs.getString(o + 3), rs.getLong(o + 4),
                disposition(rs.getString(o + 5)), dmarc(rs.getString(o + 6)), dmarc(rs.getString(o + 7)),
                JsonColumns.reasons(rs.getString(o + 11)), rs.getString(o + 8), rs.getString(o + 9), rs.getString(o + 10),
                JsonColumns.dkim(rs.getString(o + 12)), JsonColumns.spf(rs.getString(o + 13)));
        String cls = rs.getString(o + 18);
        RecordEnrichment enrichment = new RecordEnrichment(SenderInfo.UNKNOWN, rs.getInt(o + 14) == 1,
                rs.getInt(o + 15) == 1, rs.getInt(o + 16) == 1, rs.getInt(o + 17) == 1,
                cls == null || cls.isEmpty() ? null : Classification.valueOf(cls.toUpperCase(Locale.ROOT)),
                rs.getString(o + 19));
        return new Stored(reportRef, rs.getLong(o + 1), record, enrichment);
    }

    private static Disposition disposition(String token) {
        return token == null || token.isEmpty() ? null : Disposition.valueOf(token.toUpperCase(Locale.ROOT));
    }

    private static DmarcResult dmarc(String token) {
        return token == null || token.isEmpty() ? null : DmarcResult.valueOf(token.toUpperCase(Locale.ROOT));
    }

    private static Alignment alignment(String token) {
        if (token == null) {
            return null;
        }
        return "s".equals(token) ? Alignment.STRICT : Alignment.RELAXED;
    }
}
