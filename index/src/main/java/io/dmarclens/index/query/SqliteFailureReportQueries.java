package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureReportQueries;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Failure reports (ruf).
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteFailureReportQueries implements FailureReportQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteFailureReportQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Failure reports, newest first. The filter's domains match Reported-Domain or the From domain. */
    @Override
    public List<FailureRow> failureReports(ReportFilter filter, Page page) {
        List<FailureRow> out = new ArrayList<>();
        failures(filter, page, out::add);
        return out;
    }

    /** Every failure report matching the filter, streamed newest first (for exports). */
    @Override
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
                    + SharedReads.placeholders(doms.size()) + "))", doms.toArray());
        }
        if (filter.excludeUnverified()) {
            f.and("f.authenticity <> 'unverified'");
        }
        scopeSql(f, scopes.resolve(filter.scope()));
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

    /**
     * Adds the condition that keeps a failure report (alias {@code f}) to a scope: it names at least one reported
     * domain and every one counts under a domain in scope. An empty scope admits nothing.
     */
    static FilterSql scopeSql(FilterSql f, ResolvedScope scope) {
        if (scope.isAll()) {
            return f;
        }
        List<String> in = List.copyOf(scope.failureDomainsIn());
        if (in.isEmpty()) {
            return f.and("0 = 1");
        }
        return f.and("json_array_length(f.reported_domain) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(f.reported_domain) j"
                + " WHERE lower(j.value) NOT IN (" + SharedReads.placeholders(in.size()) + "))", in.toArray());
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return SharedReads.countByVerdict(db, "failure_report", s.isAll() ? null : scopeSql(new FilterSql(), s));
    }

    /** One failure report with its warnings, or empty. */
    @Override
    public Optional<FailureRow> failureReport(long id, DomainScope scope) {
        FilterSql f = scopeSql(new FilterSql(), scopes.resolve(scope)).and("f.id = ?", id);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.FAILURE_COLUMNS + Rows.FAILURE_FROM
                    + f.where())) {
                f.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.failure(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Headers of the original message of a failure report, in order, as [name, value] pairs. */
    @Override
    public List<String[]> failureMessageHeaders(long id, DomainScope scope) {
        if (!scopes.resolve(scope).isAll() && failureReport(id, scope).isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT msg_headers FROM failure_report WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? JsonColumns.rows(rs.getString(1)) : List.of();
                }
            }
        });
    }
}
