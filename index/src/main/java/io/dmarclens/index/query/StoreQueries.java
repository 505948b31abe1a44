package io.dmarclens.index.query;

import io.dmarclens.store.Authenticity;
import java.util.EnumMap;
import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.DomainQueries;
import io.dmarclens.store.query.FailureReportQueries;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ForwardingQueries;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.OverviewQueries;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RawSourceQueries;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportQueries;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.ReporterQueries;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.SupersededCopy;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The read side of the store, for the dashboard, the JSON API and exports. Dashboard figures come from
 * the daily rollups, never from raw records; lists are paged and sorted in SQL (sort orders are enums);
 * exports stream row by row to a consumer while the cursor is open. Thread-safe: every call borrows a
 * reader connection. Obtain it from {@link io.dmarclens.index.EmbeddedStore#queries()}.
 */
public final class StoreQueries implements OverviewQueries, SourceQueries, ForwardingQueries, DomainQueries,
        ReporterQueries, ReportQueries, FailureReportQueries, TlsReportQueries, RawSourceQueries {
    private final Database db;

    public StoreQueries(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---- overview -------------------------------------------------------------------------------------

    /** Totals over the filter. */
    public Totals totals(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(filter, "");
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
    public List<DailyTotals> daily(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(filter, "");
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
    public Optional<DateSpan> dateSpan() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(day), MAX(day) FROM rollup_summary");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                    return Optional.empty();
                }
                return Optional.of(new DateSpan(LocalDate.ofEpochDay(first), LocalDate.ofEpochDay(rs.getLong(2))));
            }
        });
    }

    // ---- sources -------------------------------------------------------------------------------------

    /** Sources ordered as asked (e.g. top sources by volume, or top failing sources with {@link SourceSort#FAILING}). */
    public List<SourceStats> sources(ReportFilter filter, SourceSort sort, Page page) {
        List<SourceStats> out = new ArrayList<>();
        sources(filter, sort, page, out::add);
        return out;
    }

    /** Number of distinct sources over the filter (for the overview and pagers). */
    public long countSources(ReportFilter filter) {
        if (SourceRollupSql.answers(filter)) {
            SourceRollupSql s = SourceRollupSql.of(filter, "source_ip");
            return db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT source_ip)" + s.from())) {
                    s.bind(ps);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        }
        FilterSql f = FilterSql.onFineRollup(filter);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT source_ip) FROM rollup_daily" + f.where())) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Top failing sources: those with DMARC failures, most failures first. */
    public List<SourceStats> failingSources(ReportFilter filter, Page page) {
        List<SourceStats> out = new ArrayList<>();
        sources(filter.withRange(filter.from(), filter.to()), SourceSort.FAILING, page, s -> {
            if (s.dmarcFail() > 0) {
                out.add(s);
            }
        });
        return out;
    }

    /** Every source over the filter, streamed (for exports), most messages first. */
    public void allSources(ReportFilter filter, Consumer<SourceStats> sink) {
        sources(filter, SourceSort.MESSAGES, null, sink);
    }

    private void sources(ReportFilter filter, SourceSort sort, Page page, Consumer<SourceStats> sink) {
        // The compact rollup_source (days x sources) when it can answer, else the fine rollup_daily.
        boolean compact = SourceRollupSql.answers(filter);
        // It also carries the messages per classification, so the dominant one needs no second pass.
        SourceRollupSql s = compact ? SourceRollupSql.of(filter, "source_ip, messages, dmarc_pass, spf_aligned,"
                + " dkim_aligned, " + String.join(", ", CLASSIFICATION_COLUMNS)) : null;
        FilterSql f = compact ? null : FilterSql.onFineRollup(filter);
        String sql;
        if (compact) {
            sql = "SELECT source_ip, SUM(messages), SUM(dmarc_pass), SUM(spf_aligned), SUM(dkim_aligned), "
                    + String.join(", ", CLASSIFICATION_COLUMNS.stream().map(col -> "SUM(" + col + ")").toList())
                    + s.from() + " GROUP BY source_ip ORDER BY " + SortSql.orderByCounts(sort) + ", source_ip"
                    + (page == null ? "" : " LIMIT ? OFFSET ?");
        } else {
            // The messages per classification come along, so the dominant one needs no second pass over the rows.
            sql = "SELECT source_ip, SUM(messages) AS messages, SUM(dmarc_pass * messages) AS dmarc_pass,"
                    + " SUM(spf_aligned * messages), SUM(dkim_aligned * messages), "
                    + String.join(", ", CLASSIFICATION_TOKENS.stream()
                            .map(t -> "SUM(CASE WHEN classification = '" + t + "' THEN messages ELSE 0 END)").toList())
                    + " FROM rollup_daily" + f.where()
                    + " GROUP BY source_ip ORDER BY " + SortSql.orderBy(sort) + ", source_ip"
                    + (page == null ? "" : " LIMIT ? OFFSET ?");
        }
        db.read(c -> {
            List<long[]> batchCounts = new ArrayList<>();
            List<String> batchIps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = compact ? s.bind(ps) : f.bind(ps);
                if (page != null) {
                    ps.setInt(i++, page.limit());
                    ps.setInt(i, page.offset());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batchIps.add(rs.getString(1));
                        long[] n = new long[4 + CLASSIFICATION_COLUMNS.size()];
                        for (int k = 0; k < n.length; k++) {
                            n[k] = rs.getLong(2 + k);
                        }
                        batchCounts.add(n);
                        if (batchIps.size() == 500) {
                            emitSources(c, batchIps, batchCounts, sink);
                        }
                    }
                }
            }
            emitSources(c, batchIps, batchCounts, sink);
            return null;
        });
    }

    private void emitSources(Connection c, List<String> ips, List<long[]> counts,
                             Consumer<SourceStats> sink) throws SQLException {
        if (ips.isEmpty()) {
            return;
        }
        Map<String, SenderInfo> senders = senders(c, ips);
        // Both rollups give the messages per classification along with the counts.
        Map<String, String> dominant = new HashMap<>();
        Map<String, Long> best = new HashMap<>();
        for (int i = 0; i < ips.size(); i++) {
            for (int k = 0; k < CLASSIFICATION_TOKENS.size(); k++) {
                dominate(dominant, best, ips.get(i), CLASSIFICATION_TOKENS.get(k), counts.get(i)[4 + k]);
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            long[] n = counts.get(i);
            SenderInfo s = senders.getOrDefault(ip, SenderInfo.UNKNOWN);
            String cls = dominant.get(ip);
            sink.accept(new SourceStats(ip, s.reverseDns(), s.baseDomain(), s.senderName(), s.senderType(), s.asn(),
                    s.asName(), s.country(), n[0], n[1], n[2], n[3], cls, reason(c, ip, cls)));
        }
        ips.clear();
        counts.clear();
    }

    private static Map<String, SenderInfo> senders(Connection c, List<String> ips) throws SQLException {
        Map<String, SenderInfo> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ip, reverse_dns, base_domain, country, asn, as_name,"
                + " sender_name, sender_type FROM sender WHERE ip IN (" + placeholders(ips.size()) + ")")) {
            for (int i = 0; i < ips.size(); i++) {
                ps.setString(i + 1, ips.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Rows.sender(rs, 2));
                }
            }
        }
        return out;
    }

    /** The rollup_source columns of each classification token, in the order ties are broken. */
    private static final List<String> CLASSIFICATION_COLUMNS = List.of("unclassified", "compliant", "forwarded",
            "misconfigured", "threat");
    private static final List<String> CLASSIFICATION_TOKENS = List.of("", "compliant", "forwarded", "misconfigured",
            "threat");

    private static void dominate(Map<String, String> out, Map<String, Long> best, String ip, String classification,
                                 long messages) {
        long top = best.getOrDefault(ip, 0L);
        if (messages > top || messages == top && messages > 0 && classification.compareTo(out.get(ip)) < 0) {
            best.put(ip, messages);
            out.put(ip, classification);
        }
    }

    private static String reason(Connection c, String ip, String classification) throws SQLException {
        if (classification == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT classification_reason FROM aggregate_record"
                + " WHERE source_ip = ? AND classification = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, ip);
            ps.setString(2, classification);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** What is stored about one source IP. */
    public SenderInfo sender(String ip) {
        return db.read(c -> senders(c, List.of(ip)).getOrDefault(ip, SenderInfo.UNKNOWN));
    }

    /** Records of one source IP (drill-down), newest report first. */
    public List<RecordRow> sourceRecords(String ip, ReportFilter filter, Page page) {
        FilterSql f = FilterSql.onReports(filter).and("rec.source_ip = ?", ip);
        List<RecordRow> out = new ArrayList<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.RECORD_COLUMNS + Rows.RECORD_FROM + f.where()
                    + " ORDER BY r.begin_ts DESC, rec.id DESC LIMIT ? OFFSET ?")) {
                int i = f.bind(ps);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.record(rs));
                    }
                }
            }
            return null;
        });
        return out;
    }

    // ---- reporters -------------------------------------------------------------------------------------

    /** Reporting organisations, most reports first. */
    public List<ReporterStats> reporters(ReportFilter filter, Page page) {
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

    // ---- forwarding ------------------------------------------------------------------------------------

    /** Sources of forwarded mail, most messages first. */
    public List<ForwardingSource> forwardingSources(ReportFilter filter, Page page) {
        boolean compact = SourceRollupSql.answers(filter);
        SourceRollupSql from = compact ? SourceRollupSql.of(filter, "source_ip, forwarded, forwarded_dkim_aligned")
                : null;
        FilterSql f = compact ? null : FilterSql.onFineRollup(filter).and("classification = 'forwarded'");
        String sql = compact
                ? "SELECT source_ip, SUM(forwarded), SUM(forwarded_dkim_aligned), NULL" + from.from()
                        + " GROUP BY source_ip HAVING SUM(forwarded) > 0 ORDER BY SUM(forwarded) DESC, source_ip LIMIT ? OFFSET ?"
                : "SELECT source_ip, SUM(messages) AS messages, SUM(dkim_aligned * messages), GROUP_CONCAT(DISTINCT reasons)"
                        + " FROM rollup_daily" + f.where() + " GROUP BY source_ip ORDER BY messages DESC, source_ip LIMIT ? OFFSET ?";
        return db.read(c -> {
            List<String> ips = new ArrayList<>();
            List<long[]> counts = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = compact ? from.bind(ps) : f.bind(ps);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ips.add(rs.getString(1));
                        counts.add(new long[]{rs.getLong(2), rs.getLong(3)});
                        reasons.add(rs.getString(4));
                    }
                }
            }
            if (compact && !ips.isEmpty()) {
                Map<String, String> seen = forwardingReasons(c, filter, ips);
                for (int i = 0; i < ips.size(); i++) {
                    reasons.set(i, seen.get(ips.get(i)));
                }
            }
            Map<String, SenderInfo> senders = ips.isEmpty() ? Map.of() : senders(c, ips);
            List<ForwardingSource> out = new ArrayList<>();
            for (int i = 0; i < ips.size(); i++) {
                SenderInfo s = senders.getOrDefault(ips.get(i), SenderInfo.UNKNOWN);
                TreeSet<String> types = new TreeSet<>();
                if (reasons.get(i) != null) {
                    for (String t : reasons.get(i).split(",")) {
                        if (!t.isBlank()) {
                            types.add(t);
                        }
                    }
                }
                out.add(new ForwardingSource(ips.get(i), s.reverseDns(), s.senderName(), s.senderType(),
                        counts.get(i)[0], counts.get(i)[1], List.copyOf(types)));
            }
            return out;
        });
    }

    /** The distinct override reasons (rollup_daily.reasons values, comma-joined) on forwarded mail of each source. */
    private static Map<String, String> forwardingReasons(Connection c, ReportFilter filter, List<String> ips)
            throws SQLException {
        FilterSql f = new FilterSql().and("day BETWEEN ? AND ?", filter.fromDay(), filter.toDay()).in("source_ip", ips);
        Map<String, TreeSet<String>> seen = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT source_ip, reasons FROM rollup_forwarding_reasons"
                + f.where())) {
            f.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        Map<String, String> out = new HashMap<>();
        seen.forEach((ip, values) -> out.put(ip, String.join(",", values)));
        return out;
    }

    /** Forwarded messages per UTC day, oldest first. */
    public List<DailyForwarding> forwardingDaily(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(filter, "").and("classification = 'forwarded'");
        return db.read(c -> {
            List<DailyForwarding> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT day, SUM(messages), SUM(dkim_aligned * messages)"
                    + " FROM rollup_summary" + f.where() + " GROUP BY day ORDER BY day")) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DailyForwarding(LocalDate.ofEpochDay(rs.getLong(1)), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    // ---- policy --------------------------------------------------------------------------------------

    /**
     * The published policy of a domain over time, oldest first: a new period starts when the policy most
     * reports of a day saw changes ({@link PolicyTimeline}).
     */
    public List<PolicyPeriod> policyHistory(String domain) {
        String d = domain.strip().toLowerCase(java.util.Locale.ROOT);
        return db.read(c -> {
            PolicyTimeline timeline = new PolicyTimeline(d);
            try (PreparedStatement ps = c.prepareStatement("SELECT p, sp, adkim, aspf, pct, begin_ts, end_ts"
                    + " FROM aggregate_report WHERE policy_domain = ? ORDER BY begin_ts, id")) {
                ps.setString(1, d);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int pct = rs.getInt(5);
                        Integer pctValue = rs.wasNull() ? null : pct;
                        timeline.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), pctValue,
                                Instant.ofEpochSecond(rs.getLong(6)), Instant.ofEpochSecond(rs.getLong(7)));
                    }
                }
            }
            return timeline.periods();
        });
    }

    /** Per policy domain: what p=quarantine or p=reject would do to the mail of the filter's range. */
    public List<PolicyImpact> policyImpact(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(filter, "");
        return db.read(c -> {
            List<PolicyImpact> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT policy_domain, SUM(messages),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 THEN messages END), 0),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 AND classification = 'forwarded' THEN messages END), 0),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 AND classification = 'misconfigured' THEN messages END), 0),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 AND classification = 'threat' THEN messages END), 0),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 AND disposition = 'quarantine' THEN messages END), 0),"
                    + " COALESCE(SUM(CASE WHEN dmarc_pass = 0 AND disposition = 'reject' THEN messages END), 0),"
                    + " (SELECT p FROM aggregate_report a WHERE a.policy_domain = rollup_summary.policy_domain"
                    + "  ORDER BY a.begin_ts DESC LIMIT 1)"
                    + " FROM rollup_summary" + f.where() + " GROUP BY policy_domain ORDER BY policy_domain")) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PolicyImpact(rs.getString(1), rs.getString(9), rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
                    }
                }
            }
            return out;
        });
    }

    // ---- aggregate reports -----------------------------------------------------------------------------

    /** Aggregate reports, paged. */
    public List<ReportSummary> reports(ReportFilter filter, ReportSort sort, Page page) {
        FilterSql f = FilterSql.onReports(filter);
        return db.read(c -> {
            List<ReportSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.REPORT_COLUMNS + " FROM aggregate_report r"
                    + f.where() + " ORDER BY " + SortSql.orderBy(sort) + " LIMIT ? OFFSET ?")) {
                int i = f.bind(ps);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.report(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Number of aggregate reports matching the filter (for pagers). */
    public long countReports(ReportFilter filter) {
        FilterSql f = FilterSql.onReports(filter);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM aggregate_report r" + f.where())) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict() {
        return db.read(c -> {
            Map<Authenticity.Verdict, Long> out = new EnumMap<>(Authenticity.Verdict.class);
            for (Authenticity.Verdict v : Authenticity.Verdict.values()) {
                out.put(v, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT authenticity, COUNT(*) FROM aggregate_report GROUP BY authenticity");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.merge(Authenticity.Verdict.ofCode(rs.getString(1)), rs.getLong(2), Long::sum);
                }
            }
            return out;
        });
    }

    /** One aggregate report, or empty when there is none with that id. */
    public Optional<ReportDetail> report(long id) {
        return db.read(c -> {
            ReportSummary summary;
            ReportDetail detail;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.REPORT_COLUMNS + ", r.extra_contact, r.version,"
                    + " r.generator, r.errors, r.p, r.sp, r.adkim, r.aspf, r.pct, r.source_part, sf.name"
                    + " FROM aggregate_report r JOIN source_file sf ON sf.id = r.source_id WHERE r.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = Rows.report(rs);
                    int pct = rs.getInt(24);
                    Integer pctValue = rs.wasNull() ? null : pct;
                    PolicyPeriod policy = new PolicyPeriod(summary.policyDomain(), rs.getString(20), rs.getString(21),
                            rs.getString(22), rs.getString(23), pctValue, summary.begin(), summary.end(), 1);
                    detail = new ReportDetail(summary, rs.getString(16), rs.getString(17), rs.getString(18),
                            JsonColumns.strings(rs.getString(19)), policy, warnings(c, "aggregate", id),
                            rs.getString(26), rs.getString(25), superseded(c, "aggregate", id));
                }
            }
            return Optional.of(detail);
        });
    }

    /** The less complete copies a stored report replaced, oldest first. */
    private static List<SupersededCopy> superseded(Connection c, String kind, long id) throws SQLException {
        List<SupersededCopy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.source_id, sf.name, s.source_part, s.record_count,"
                + " s.partial, s.imported_at, s.superseded_at FROM superseded_copy s JOIN source_file sf"
                + " ON sf.id = s.source_id WHERE s.kind = ? AND s.report_ref = ? ORDER BY s.imported_at, s.id")) {
            ps.setString(1, kind);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SupersededCopy(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), Instant.ofEpochSecond(rs.getLong(6)), Instant.ofEpochSecond(rs.getLong(7))));
                }
            }
        }
        return out;
    }

    /** Records of one aggregate report in their order, paged. */
    public List<RecordRow> reportRecords(long reportId, Page page) {
        return db.read(c -> {
            List<RecordRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.RECORD_COLUMNS + Rows.RECORD_FROM
                    + " WHERE rec.report_ref = ? ORDER BY rec.idx LIMIT ? OFFSET ?")) {
                ps.setLong(1, reportId);
                ps.setInt(2, page.limit());
                ps.setInt(3, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.record(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Records by id, in the order given (ids not found are left out); used to show search hits. */
    public List<RecordRow> records(List<Long> ids) {
        return byIds(ids, "SELECT " + Rows.RECORD_COLUMNS + Rows.RECORD_FROM + " WHERE rec.id IN (", Rows::record,
                RecordRow::id);
    }

    /** Every record of reports matching the filter, streamed in id order (for exports). */
    public void exportRecords(ReportFilter filter, Consumer<RecordRow> sink) {
        FilterSql f = FilterSql.onReports(filter);
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.RECORD_COLUMNS + Rows.RECORD_FROM + f.where()
                    + " ORDER BY rec.id")) {
                f.bind(ps);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(Rows.record(rs));
                    }
                }
            }
            return null;
        });
    }

    // ---- failure reports -------------------------------------------------------------------------------

    /** Failure reports, newest first. The filter's domains match Reported-Domain or the From domain. */
    public List<FailureRow> failureReports(ReportFilter filter, Page page) {
        List<FailureRow> out = new ArrayList<>();
        failures(filter, page, out::add);
        return out;
    }

    /** Every failure report matching the filter, streamed newest first (for exports). */
    public void exportFailureReports(ReportFilter filter, Consumer<FailureRow> sink) {
        failures(filter, null, sink);
    }

    private void failures(ReportFilter filter, Page page, Consumer<FailureRow> sink) {
        FilterSql f = new FilterSql();
        if (filter.from() != null) {
            f.and("COALESCE(f.arrival_ts, f.imported_at) >= ?", filter.fromSecond());
        }
        if (filter.to() != null) {
            f.and("COALESCE(f.arrival_ts, f.imported_at) < ?", filter.toSecondExclusive());
        }
        if (!filter.domains().isEmpty()) {
            List<String> doms = filter.domains().stream().sorted().toList();
            f.and("EXISTS (SELECT 1 FROM json_each(f.reported_domain) j WHERE lower(j.value) IN ("
                    + placeholders(doms.size()) + "))", doms.toArray());
        }
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.FAILURE_COLUMNS + Rows.FAILURE_FROM + f.where()
                    + " ORDER BY COALESCE(f.arrival_ts, f.imported_at) DESC, f.id DESC"
                    + (page == null ? "" : " LIMIT ? OFFSET ?"))) {
                int i = f.bind(ps);
                if (page != null) {
                    ps.setInt(i++, page.limit());
                    ps.setInt(i, page.offset());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(Rows.failure(rs));
                    }
                }
            }
            return null;
        });
    }

    /** One failure report with its warnings, or empty. */
    public Optional<FailureRow> failureReport(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.FAILURE_COLUMNS + Rows.FAILURE_FROM
                    + " WHERE f.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.failure(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Headers of the original message of a failure report, in order, as [name, value] pairs. */
    public List<String[]> failureMessageHeaders(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_headers FROM failure_report WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? JsonColumns.rows(rs.getString(1)) : List.of();
                }
            }
        });
    }

    /** Parse warnings of a report; kind is aggregate, failure or tls. */
    public List<ParseWarning> warnings(String kind, long reportId) {
        return db.read(c -> warnings(c, kind, reportId));
    }

    private static List<ParseWarning> warnings(Connection c, String kind, long id) throws SQLException {
        List<ParseWarning> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT location, message FROM report_warning"
                + " WHERE kind = ? AND report_ref = ? ORDER BY id")) {
            ps.setString(1, kind);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ParseWarning(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    // ---- TLS reports -----------------------------------------------------------------------------------

    /** TLS reports, newest first. The filter's domains match policy domains. */
    public List<TlsReportSummary> tlsReports(ReportFilter filter, Page page) {
        FilterSql f = tlsFilter(filter, "t");
        return db.read(c -> {
            List<TlsReportSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TLS_COLUMNS + " FROM tls_report t" + f.where()
                    + " ORDER BY t.begin_ts DESC, t.id DESC LIMIT ? OFFSET ?")) {
                int i = f.bind(ps);
                ps.setInt(i++, page.limit());
                ps.setInt(i, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.tls(rs));
                    }
                }
            }
            return out;
        });
    }

    /** One TLS report with policies and failure details, or empty. */
    public Optional<TlsReportDetail> tlsReport(long id) {
        return db.read(c -> {
            TlsReportSummary summary;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TLS_COLUMNS + " FROM tls_report t WHERE t.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = Rows.tls(rs);
                }
            }
            Map<Long, List<TlsFailureRow>> failures = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TLS_FAILURE_COLUMNS + ", d.tls_policy_ref"
                    + Rows.TLS_FAILURE_FROM + " WHERE d.tls_report_ref = ? ORDER BY d.id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        failures.computeIfAbsent(rs.getLong(17), k -> new ArrayList<>()).add(Rows.tlsFailure(rs));
                    }
                }
            }
            List<TlsPolicyRow> policies = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, policy_type, policy_string, policy_domain, mx_host,"
                    + " success_count, failure_count FROM tls_policy WHERE tls_report_ref = ? ORDER BY id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        policies.add(new TlsPolicyRow(rs.getString(2), JsonColumns.strings(rs.getString(3)),
                                rs.getString(4), JsonColumns.strings(rs.getString(5)), rs.getLong(6), rs.getLong(7),
                                failures.getOrDefault(rs.getLong(1), List.of())));
                    }
                }
            }
            return Optional.of(new TlsReportDetail(summary, policies, warnings(c, "tls", id), superseded(c, "tls", id)));
        });
    }

    /** Every TLS failure detail matching the filter, streamed (for exports). */
    public void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink) {
        FilterSql f = tlsFilter(filter, "t");
        if (!filter.domains().isEmpty()) {
            f.in("p.policy_domain", filter.domains());
        }
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TLS_FAILURE_COLUMNS + Rows.TLS_FAILURE_FROM
                    + f.where() + " ORDER BY d.id")) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(Rows.tlsFailure(rs));
                    }
                }
            }
            return null;
        });
    }

    /** TLS failure details by id, in the order given (ids not found are left out); used to show search hits. */
    public List<TlsFailureRow> tlsFailures(List<Long> ids) {
        return byIds(ids, "SELECT " + Rows.TLS_FAILURE_COLUMNS + Rows.TLS_FAILURE_FROM + " WHERE d.id IN (",
                Rows::tlsFailure, TlsFailureRow::id);
    }

    /** Reads one row of a result set. */
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Rows by id, in the order given (ids not found are left out), asked for in chunks of 500 so that no
     * statement exceeds SQLite's parameter limit; {@code selectIn} ends with "IN (".
     */
    private <T> List<T> byIds(List<Long> ids, String selectIn, RowReader<T> reader,
                              java.util.function.Function<T, Long> idOf) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            Map<Long, T> byId = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 500) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement(selectIn + placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            T row = reader.read(rs);
                            byId.put(idOf.apply(row), row);
                        }
                    }
                }
            }
            return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
        });
    }

    private static FilterSql tlsFilter(ReportFilter filter, String alias) {
        FilterSql f = new FilterSql();
        if (filter.from() != null) {
            f.and(alias + ".begin_ts >= ?", filter.fromSecond());
        }
        if (filter.to() != null) {
            f.and(alias + ".begin_ts < ?", filter.toSecondExclusive());
        }
        if (!filter.domains().isEmpty()) {
            List<String> doms = filter.domains().stream().sorted().toList();
            f.and("EXISTS (SELECT 1 FROM tls_policy pp WHERE pp.tls_report_ref = " + alias + ".id AND pp.policy_domain IN ("
                    + placeholders(doms.size()) + "))", doms.toArray());
        }
        f.in(alias + ".organization", filter.reporters());
        return f;
    }

    // ---- raw sources -----------------------------------------------------------------------------------

    /** Metadata of a raw source, or empty. */
    public Optional<RawSource> rawSource(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, origin, sha256, size, received_at,"
                    + " raw IS NOT NULL FROM source_file WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new RawSource(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), Instant.ofEpochSecond(rs.getLong(6)), rs.getInt(7) == 1));
                }
            }
        });
    }

    /**
     * Writes the original bytes of a raw source to {@code out}.
     *
     * @return false when there is no such source or retention deleted its content
     */
    public boolean copyRawSource(long id, OutputStream out) {
        byte[][] stored = new byte[1][];
        String[] encoding = new String[1];
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT raw, raw_encoding FROM source_file WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored[0] = rs.getBytes(1);
                        encoding[0] = rs.getString(2);
                    }
                }
            }
            return null;
        });
        if (stored[0] == null) {
            return false;
        }
        try (InputStream in = "gzip".equals(encoding[0])
                ? new GZIPInputStream(new java.io.ByteArrayInputStream(stored[0]))
                : new java.io.ByteArrayInputStream(stored[0])) {
            in.transferTo(out);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy raw source " + id, e);
        }
    }

    /**
     * DKIM selectors that reports in the filter's range show for signatures of {@code dkimDomain} (d=),
     * sorted; for the posture check, which looks their keys up. Reads raw records, so keep the range short.
     */
    public java.util.SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter) {
        String sql = "SELECT DISTINCT json_extract(j.value, '$[1]') FROM aggregate_report rep"
                + " JOIN aggregate_record r ON r.report_ref = rep.id, json_each(r.dkim_results) j"
                + " WHERE rep.begin_ts < ? AND rep.end_ts >= ? AND lower(json_extract(j.value, '$[0]')) = ?"
                + " AND coalesce(json_extract(j.value, '$[1]'), '') <> ''";
        return db.read(c -> {
            java.util.SortedSet<String> selectors = new java.util.TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, filter.toSecondExclusive());
                ps.setLong(2, filter.fromSecond());
                ps.setString(3, dkimDomain.strip().toLowerCase(java.util.Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        selectors.add(rs.getString(1));
                    }
                }
            }
            return selectors;
        });
    }

    static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

}
