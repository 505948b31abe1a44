package io.dmarclens.web.pages;

import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SMTP TLS reports (RFC 8460): list, detail with policies and failure details. */
public final class TlsRoutes implements RouteModule {
    static final Table<TlsReportSummary> TLS = new Table<>("tls-reports", List.of(
            Column.<TlsReportSummary>dateTime("begin", "Begin", TlsReportSummary::begin),
            Column.dateTime("end", "End", TlsReportSummary::end),
            Column.<TlsReportSummary>text("organization", "Reporter", TlsReportSummary::organization)
                    .linkTo(t -> "/tls/" + t.id()),
            Column.text("reportId", "Report id", TlsReportSummary::reportId),
            Column.flag("partial", "Partial", TlsReportSummary::isPartial),
            Column.number("policies", "Policies", TlsReportSummary::policies),
            Column.number("successfulSessions", "Successful sessions", TlsReportSummary::successfulSessions),
            Column.number("failedSessions", "Failed sessions", TlsReportSummary::failedSessions),
            Column.percent("failureRate", "Failure rate", t -> SourcesRoutes.rate(t.failedSessions(),
                    t.failedSessions() + t.successfulSessions())),
            // Whether the report mail was verified (DKIM aligned with the reporter), or imported by hand.
            Column.badge("origin", "Origin", t -> t.authenticity().verdict().code()),
            Column.text("originReason", "Origin check", t -> t.authenticity().reason()),
            Column.text("partialReason", "Why partial", TlsReportSummary::partialReason)),
            new Rows.Sort("begin", true), 50);

    static final Table<TlsFailureRow> FAILURES = new Table<>("tls-failures", List.of(
            Column.<TlsFailureRow>dateTime("begin", "Begin", TlsFailureRow::begin),
            Column.<TlsFailureRow>text("organization", "Reporter", TlsFailureRow::organization)
                    .linkTo(t -> "/tls/" + t.tlsReportRef()),
            Column.text("policyType", "Policy", TlsFailureRow::policyType),
            Column.text("policyDomain", "Domain", TlsFailureRow::policyDomain),
            Column.badge("resultType", "Result", TlsFailureRow::resultType),
            Column.text("sendingMtaIp", "Sending MTA", TlsFailureRow::sendingMtaIp),
            Column.text("receivingMxHostname", "Receiving MX", TlsFailureRow::receivingMxHostname),
            Column.text("receivingIp", "Receiving IP", TlsFailureRow::receivingIp),
            Column.number("failedSessions", "Failed sessions", TlsFailureRow::failedSessions),
            Column.text("additionalInfo", "Additional information", TlsFailureRow::additionalInfo),
            Column.text("failureReasonCode", "Reason code", TlsFailureRow::failureReasonCode),
            Column.badge("origin", "Origin", t -> t.authenticity().verdict().code())),
            new Rows.Sort("begin", true), 100);

    private final PageSupport support;

    public TlsRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/tls", this::list);
        routes.get("/api/tls", ctx -> ctx.json(TLS.json(ctx, rows(ctx))));
        routes.get("/api/tls.csv", ctx -> TLS.csv(ctx, rows(ctx)));
        routes.get("/api/tls/failures.csv", ctx -> FAILURES.csv(ctx, failureRows(ctx)));
        routes.get("/api/tls/{id}/policies/{n}/failures", ctx -> ctx.json(FAILURES.json(ctx, policyFailures(ctx))));
        routes.get("/api/tls/{id}/policies/{n}/failures.csv", ctx -> FAILURES.csv(ctx, policyFailures(ctx)));
        routes.get("/tls/{id}", this::detail);
        routes.get("/api/tls/{id}", ctx -> ctx.json(detailJson(find(ctx))));
        routes.get("/tls/{id}/original", this::original);
        routes.get("/tls/{id}/superseded/{n}/original", ctx -> ReportsRoutes.sendRaw(support, ctx,
                ReportsRoutes.supersededSource(ctx, find(ctx).superseded())));
    }

    private Rows<TlsReportSummary> rows(Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(-1, (sort, offset, limit) -> support.reads(ctx).tlsReports(rf, PageSupport.window(offset, limit)));
    }

    private Rows<TlsFailureRow> failureRows(Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(-1, (sort, offset, limit) -> List.of(),
                (sort, sink) -> support.reads(ctx).exportTlsFailures(rf, sink::accept));
    }

    /** The failure details of the report's n-th policy (1-based, in the report's order), as its detail page lists them. */
    private Rows<TlsFailureRow> policyFailures(Context ctx) {
        List<TlsPolicyRow> policies = find(ctx).policies();
        long n = PageSupport.id(ctx, "n");
        if (n < 1 || n > policies.size()) {
            throw new NotFoundResponse("TLS report " + ctx.pathParam("id") + " has no policy " + ctx.pathParam("n"));
        }
        return Rows.of(policies.get((int) n - 1).failures(), FAILURES);
    }

    private TlsReportDetail find(Context ctx) {
        return support.reads(ctx).tlsReport(PageSupport.id(ctx, "id"))
                .orElseThrow(() -> new NotFoundResponse("no TLS report with id " + ctx.pathParam("id")));
    }

    /** The report's detail as its record has it, with the verdict on its origin as aggregate reports give it. */
    private static Map<String, Object> detailJson(TlsReportDetail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", d.summary());
        m.put("origin", d.summary().authenticity().verdict().code());
        m.put("originReason", d.summary().authenticity().reason());
        m.put("policies", d.policies());
        m.put("warnings", d.warnings());
        m.put("superseded", d.superseded());
        return m;
    }

    private void list(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "TLS reports", "/tls", f, h -> {
            h.el("p", "SMTP TLS reports (RFC 8460) tell how senders fared delivering to your MX hosts over TLS "
                    + "(MTA-STS, DANE).", "class", "muted");
            TLS.render(h, ctx, rows(ctx), "/api/tls.csv");
            h.open("p").a("/api/tls/failures.csv?" + f.toQuery(), "Export every failure detail (CSV)",
                    "class", "button small secondary").close();
        });
    }

    private void detail(Context ctx) {
        TlsReportDetail d = find(ctx);
        TlsReportSummary s = d.summary();
        support.page(ctx, "TLS report from " + s.organization(), "/tls", null, h -> {
            ReportsRoutes.partialNotice(h, s.partialReason());
            h.open("section", "class", "card");
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Organization", s.organization());
            PageSupport.kv(h, "Report id", s.reportId());
            PageSupport.kv(h, "Period", s.begin() + " \u2013 " + s.end());
            PageSupport.kv(h, "Contact", s.contact());
            PageSupport.kv(h, "Sessions", s.successfulSessions() + " successful, " + s.failedSessions() + " failed");
            PageSupport.originRow(h, s.authenticity());
            h.close();
            h.open("p").a("/tls/" + s.id() + "/original", "Download the original file", "class", "button small secondary").close();
            ReportsRoutes.superseded(h, "/tls/" + s.id(), d.superseded());
            ReportsRoutes.warnings(h, d.warnings());
            h.close();
            int n = 0;
            for (TlsPolicyRow p : d.policies()) {
                n++;
                h.open("section", "class", "card");
                h.el("h2", "Policy " + p.policyType() + (p.policyDomain() == null ? "" : " for " + p.policyDomain()));
                h.open("table", "class", "kv");
                PageSupport.kv(h, "MX hosts", String.join(", ", p.mxHost()));
                PageSupport.kv(h, "Sessions", p.successfulSessions() + " successful, " + p.failedSessions() + " failed");
                h.close();
                if (!p.policyString().isEmpty()) {
                    h.el("pre", String.join("\n", p.policyString()));
                }
                if (!p.failures().isEmpty()) {
                    FAILURES.withParamPrefix("p").render(h, ctx, Rows.of(p.failures(), FAILURES),
                            "/api/tls/" + s.id() + "/policies/" + n + "/failures.csv");
                }
                h.close();
            }
        });
    }

    private void original(Context ctx) throws IOException {
        ReportsRoutes.sendRaw(support, ctx, find(ctx).summary().sourceId());
    }
}
