package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.ForwardingQueries;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Forwarded mail: its sources and daily series.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteForwardingQueries implements ForwardingQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteForwardingQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Sources of forwarded mail, most messages first. */
    @Override
    public List<ForwardingSource> forwardingSources(ReportFilter scoped, Page page) {
        ReportFilter filter = scopes.resolve(scoped.scope()).aggregateFilter(scoped);
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
            Map<String, SenderInfo> senders = ips.isEmpty() ? Map.of() : SharedReads.senders(c, ips);
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

    /**
     * The distinct override reasons (rollup_daily.reasons values, comma-joined) on forwarded mail of each source,
     * without the reasons only unverified reports gave when the filter leaves those out.
     */
    private static Map<String, String> forwardingReasons(Connection c, ReportFilter filter, List<String> ips)
            throws SQLException {
        FilterSql f = new FilterSql().and("day BETWEEN ? AND ?", filter.fromDay(), filter.toDay()).in("source_ip", ips);
        if (filter.excludeUnverified()) {
            f.and("unverified = 0");
        }
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
    @Override
    public List<DailyForwarding> forwardingDaily(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(scopes.resolve(filter.scope()).aggregateFilter(filter), "").and("classification = 'forwarded'");
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
}
