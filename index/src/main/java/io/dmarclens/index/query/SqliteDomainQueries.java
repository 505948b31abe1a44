package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.query.DomainQueries;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.PolicyTimeline;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ScopeResolver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Policy domains: published policy over time and what a stricter policy would do.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteDomainQueries implements DomainQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteDomainQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /**
     * The published policy of a domain over time, oldest first: a new period starts when the policy most
     * reports of a day saw changes ({@link PolicyTimeline}).
     */
    @Override
    public List<PolicyPeriod> policyHistory(String domain, boolean excludeUnverified, DomainScope scope) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (!scopes.resolve(scope).permitsAggregate(d)) {
            return List.of(); // a domain outside the reader's scope has no history for them
        }
        return db.read(c -> {
            PolicyTimeline timeline = new PolicyTimeline(d);
            try (PreparedStatement ps = c.prepareStatement("SELECT p, sp, adkim, aspf, pct, begin_ts, end_ts"
                    + " FROM aggregate_report WHERE policy_domain = ?"
                    + (excludeUnverified ? " AND authenticity <> 'unverified'" : "") + " ORDER BY begin_ts, id")) {
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
    @Override
    public List<PolicyImpact> policyImpact(ReportFilter filter) {
        FilterSql f = FilterSql.onRollup(scopes.resolve(filter.scope()).aggregateFilter(filter), "");
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
}
