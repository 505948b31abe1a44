package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Sending sources: lists from the compact rollup_source when it can answer, else rollup_daily; drill-down to records.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteSourceQueries implements SourceQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteSourceQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Sources ordered as asked (e.g. top sources by volume, or top failing sources with {@link SourceSort#FAILING}). */
    @Override
    public List<SourceStats> sources(ReportFilter filter, SourceSort sort, Page page) {
        List<SourceStats> out = new ArrayList<>();
        sources(filter, sort, page, out::add);
        return out;
    }

    /** Number of distinct sources over the filter (for the overview and pagers). */
    @Override
    public long countSources(ReportFilter scoped) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
        if (SourceRollupSql.answersPerReporter(filter)) {
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
    @Override
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
    @Override
    public void allSources(ReportFilter filter, Consumer<SourceStats> sink) {
        sources(filter, SourceSort.MESSAGES, null, sink);
    }

    private void sources(ReportFilter scoped, SourceSort sort, Page page, Consumer<SourceStats> sink) {
        ResolvedScope scope = scopes.resolve(scoped.scope());
        ReportFilter filter = scope.aggregateFilter(scoped);
        // the classification reason shown must come from a record the reader may see
        List<String> reasonDomains = scope.isAll() ? null : filter.domains().stream().sorted().toList();
        // The compact rollup_source (days x sources, per reporter when it names some) when it can answer, else the
        // fine rollup_daily.
        boolean compact = SourceRollupSql.answersPerReporter(filter);
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
                            emitSources(c, batchIps, batchCounts, reasonDomains, sink);
                        }
                    }
                }
            }
            emitSources(c, batchIps, batchCounts, reasonDomains, sink);
            return null;
        });
    }

    private void emitSources(Connection c, List<String> ips, List<long[]> counts, List<String> reasonDomains,
                             Consumer<SourceStats> sink) throws SQLException {
        if (ips.isEmpty()) {
            return;
        }
        Map<String, SenderInfo> senders = SharedReads.senders(c, ips);
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
                    s.asName(), s.country(), n[0], n[1], n[2], n[3], cls, reason(c, ip, cls, reasonDomains)));
        }
        ips.clear();
        counts.clear();
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

    private static String reason(Connection c, String ip, String classification, List<String> domains)
            throws SQLException {
        if (classification == null) {
            return null;
        }
        String inScope = domains == null ? "" : " AND report_ref IN (SELECT id FROM aggregate_report WHERE policy_domain IN ("
                + SharedReads.placeholders(domains.size()) + "))";
        try (PreparedStatement ps = c.prepareStatement("SELECT classification_reason FROM aggregate_record"
                + " WHERE source_ip = ? AND classification = ?" + inScope + " ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, ip);
            ps.setString(2, classification);
            if (domains != null) {
                for (int i = 0; i < domains.size(); i++) {
                    ps.setString(3 + i, domains.get(i));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** What is stored about one source IP. */
    @Override
    public Optional<SenderInfo> sender(String ip, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (s.isAll()) {
            return Optional.of(db.read(c -> SharedReads.senders(c, List.of(ip)).getOrDefault(ip, SenderInfo.UNKNOWN)));
        }
        FilterSql reports = FilterSql.onReports(s.aggregateFilter(ReportFilter.all()));
        return db.read(c -> {
            // a source exists for the reader when one of its records or failure reports is in scope
            boolean seen;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM aggregate_record rec"
                    + " JOIN aggregate_report r ON r.id = rec.report_ref" + reports.where() + " AND rec.source_ip = ? LIMIT 1")) {
                int i = reports.bind(ps);
                ps.setString(i, ip);
                try (ResultSet rs = ps.executeQuery()) {
                    seen = rs.next();
                }
            }
            if (!seen) {
                FilterSql failures = SqliteFailureReportQueries.scopeSql(new FilterSql(), s);
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM failure_report f" + failures.where()
                        + " AND f.source_ip = ? LIMIT 1")) {
                    int i = failures.bind(ps);
                    ps.setString(i, ip);
                    try (ResultSet rs = ps.executeQuery()) {
                        seen = rs.next();
                    }
                }
            }
            return seen ? Optional.of(SharedReads.senders(c, List.of(ip)).getOrDefault(ip, SenderInfo.UNKNOWN))
                    : Optional.<SenderInfo>empty();
        });
    }

    /** Records of one source IP (drill-down), newest report first. */
    @Override
    public List<RecordRow> sourceRecords(String ip, ReportFilter filter, Page page) {
        FilterSql f = FilterSql.onReports(scopes.resolve(filter.scope()).aggregateFilter(filter)).and("rec.source_ip = ?", ip);
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

    /**
     * DKIM selectors that reports in the filter's range show for signatures of {@code dkimDomain} (d=),
     * sorted; for the posture check, which looks their keys up. Reads raw records, so keep the range short.
     */
    @Override
    public SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter) {
        ResolvedScope scope = scopes.resolve(filter.scope());
        List<String> domains = scope.isAll() ? List.of()
                : scope.aggregateFilter(ReportFilter.all()).domains().stream().sorted().toList();
        String sql = "SELECT DISTINCT json_extract(j.value, '$[1]') FROM aggregate_report rep"
                + " JOIN aggregate_record r ON r.report_ref = rep.id, json_each(r.dkim_results) j"
                + " WHERE rep.begin_ts < ? AND rep.end_ts >= ? AND lower(json_extract(j.value, '$[0]')) = ?"
                + " AND coalesce(json_extract(j.value, '$[1]'), '') <> ''"
                + (domains.isEmpty() ? "" : " AND rep.policy_domain IN (" + SharedReads.placeholders(domains.size()) + ")");
        return db.read(c -> {
            SortedSet<String> selectors = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, filter.toSecondExclusive());
                ps.setLong(2, filter.fromSecond());
                ps.setString(3, dkimDomain.strip().toLowerCase(Locale.ROOT));
                for (int i = 0; i < domains.size(); i++) {
                    ps.setString(4 + i, domains.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        selectors.add(rs.getString(1));
                    }
                }
            }
            return selectors;
        });
    }
}
