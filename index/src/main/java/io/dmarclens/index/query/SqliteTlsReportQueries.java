package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportQueries;
import io.dmarclens.store.query.TlsReportSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * SMTP TLS reports and their failure details.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteTlsReportQueries implements TlsReportQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteTlsReportQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** TLS reports, newest first. The filter's domains match policy domains. */
    @Override
    public List<TlsReportSummary> tlsReports(ReportFilter filter, Page page) {
        FilterSql f = reportScope(tlsFilter(filter, "t"), scopes.resolve(filter.scope()));
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

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return SharedReads.countByVerdict(db, "tls_report", s.isAll() ? null : reportScope(new FilterSql(), s));
    }

    /**
     * Adds the condition that keeps a TLS report (alias {@code t}) to a scope: it has policies and the domain of
     * every one is in scope. An empty scope admits nothing.
     */
    private static FilterSql reportScope(FilterSql f, ResolvedScope scope) {
        if (scope.isAll()) {
            return f;
        }
        List<String> in = List.copyOf(scope.tlsDomainsIn());
        if (in.isEmpty()) {
            return f.and("0 = 1");
        }
        return f.and("EXISTS (SELECT 1 FROM tls_policy sp WHERE sp.tls_report_ref = t.id) AND NOT EXISTS (SELECT 1"
                + " FROM tls_policy sp WHERE sp.tls_report_ref = t.id AND lower(COALESCE(sp.policy_domain, '')) NOT IN ("
                + SharedReads.placeholders(in.size()) + "))", in.toArray());
    }

    /** Adds the condition that keeps a TLS failure detail (its policy: alias {@code p}) to a scope. */
    private static FilterSql failureScope(FilterSql f, ResolvedScope scope) {
        if (scope.isAll()) {
            return f;
        }
        List<String> in = List.copyOf(scope.tlsDomainsIn());
        if (in.isEmpty()) {
            return f.and("0 = 1");
        }
        return f.and("lower(p.policy_domain) IN (" + SharedReads.placeholders(in.size()) + ")", in.toArray());
    }

    /** One TLS report with policies and failure details, or empty. */
    @Override
    public Optional<TlsReportDetail> tlsReport(long id, DomainScope scope) {
        FilterSql f = reportScope(new FilterSql(), scopes.resolve(scope)).and("t.id = ?", id);
        return db.read(c -> {
            TlsReportSummary summary;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.TLS_COLUMNS + " FROM tls_report t" + f.where())) {
                f.bind(ps);
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
                        failures.computeIfAbsent(rs.getLong(20), k -> new ArrayList<>()).add(Rows.tlsFailure(rs));
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
            return Optional.of(new TlsReportDetail(summary, policies, SharedReads.warnings(c, "tls", id),
                    SharedReads.superseded(c, "tls", id)));
        });
    }

    /** Every TLS failure detail matching the filter, streamed (for exports). */
    @Override
    public void exportTlsFailures(ReportFilter filter, Consumer<TlsFailureRow> sink) {
        FilterSql f = failureScope(tlsFilter(filter, "t"), scopes.resolve(filter.scope()));
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
    @Override
    public List<TlsFailureRow> tlsFailures(List<Long> ids, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return SharedReads.byIds(db, ids, "SELECT " + Rows.TLS_FAILURE_COLUMNS + Rows.TLS_FAILURE_FROM + " WHERE d.id IN (",
                Rows::tlsFailure, TlsFailureRow::id).stream().filter(r -> s.permitsTlsPolicy(r.policyDomain())).toList();
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
                    + SharedReads.placeholders(doms.size()) + "))", doms.toArray());
        }
        f.in(alias + ".organization", filter.reporters());
        if (filter.excludeUnverified()) {
            f.and(alias + ".authenticity <> 'unverified'");
        }
        return f;
    }
}
