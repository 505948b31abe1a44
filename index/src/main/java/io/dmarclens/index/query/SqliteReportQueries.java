package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.JsonColumns;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportQueries;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
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
 * Aggregate reports, their records and parse warnings.
 * Thread-safe: every call borrows a reader connection.
 */
public final class SqliteReportQueries implements ReportQueries {
    private final Database db;
    private final ScopeResolver scopes;

    public SqliteReportQueries(Database db, ScopeResolver scopes) {
        this.db = Objects.requireNonNull(db, "db");
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Aggregate reports, paged. */
    @Override
    public List<ReportSummary> reports(ReportFilter filter, ReportSort sort, Page page) {
        FilterSql f = FilterSql.onReports(scopes.resolve(filter.scope()).aggregateFilter(filter));
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
    @Override
    public long countReports(ReportFilter filter) {
        FilterSql f = FilterSql.onReports(scopes.resolve(filter.scope()).aggregateFilter(filter));
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
    public Map<Authenticity.Verdict, Long> countByVerdict(DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return SharedReads.countByVerdict(db, "aggregate_report", s.isAll() ? null
                : FilterSql.onReports(s.aggregateFilter(ReportFilter.all())));
    }

    /** One aggregate report, or empty when there is none with that id. */
    @Override
    public Optional<ReportDetail> report(long id, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
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
                    if (!s.permitsAggregate(summary.policyDomain())) {
                        return Optional.empty(); // outside the reader's scope: as if it did not exist
                    }
                    int pct = rs.getInt(24);
                    Integer pctValue = rs.wasNull() ? null : pct;
                    PolicyPeriod policy = new PolicyPeriod(summary.policyDomain(), rs.getString(20), rs.getString(21),
                            rs.getString(22), rs.getString(23), pctValue, summary.begin(), summary.end(), 1);
                    detail = new ReportDetail(summary, rs.getString(16), rs.getString(17), rs.getString(18),
                            JsonColumns.strings(rs.getString(19)), policy, SharedReads.warnings(c, "aggregate", id),
                            rs.getString(26), rs.getString(25), SharedReads.superseded(c, "aggregate", id));
                }
            }
            return Optional.of(detail);
        });
    }

    /** Records of one aggregate report in their order, paged. */
    @Override
    public List<RecordRow> reportRecords(long reportId, Page page, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (!s.isAll() && !inScope(reportId, s)) {
            return List.of();
        }
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
    @Override
    public List<RecordRow> records(List<Long> ids, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        return SharedReads.byIds(db, ids, "SELECT " + Rows.RECORD_COLUMNS + Rows.RECORD_FROM + " WHERE rec.id IN (", Rows::record,
                RecordRow::id).stream().filter(r -> s.permitsAggregate(r.policyDomain())).toList();
    }

    /** Whether an aggregate report exists and its policy domain is in scope. */
    private boolean inScope(long reportId, ResolvedScope s) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT policy_domain FROM aggregate_report WHERE id = ?")) {
                ps.setLong(1, reportId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && s.permitsAggregate(rs.getString(1));
                }
            }
        });
    }

    /** Every record of reports matching the filter, streamed in id order (for exports). */
    @Override
    public void exportRecords(ReportFilter filter, Consumer<RecordRow> sink) {
        FilterSql f = FilterSql.onReports(scopes.resolve(filter.scope()).aggregateFilter(filter));
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

    /** Parse warnings of a report; kind is aggregate, failure or tls. */
    @Override
    public List<ParseWarning> warnings(String kind, long reportId, DomainScope scope) {
        ResolvedScope s = scopes.resolve(scope);
        if (!s.isAll() && !switch (kind) {
            case "aggregate" -> inScope(reportId, s);
            case "failure" -> new SqliteFailureReportQueries(db, scopes).failureReport(reportId, scope).isPresent();
            case "tls" -> new SqliteTlsReportQueries(db, scopes).tlsReport(reportId, scope).isPresent();
            default -> false;
        }) {
            return List.of();
        }
        return db.read(c -> SharedReads.warnings(c, kind, reportId));
    }
}
