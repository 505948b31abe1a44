package io.dmarclens.web.pages;

import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.Totals;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.html.Html;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The overview page (totals and charts) and the API it is fed by. */
public final class OverviewRoutes implements RouteModule {
    private static final int TOP = 10;
    private final PageSupport support;

    public OverviewRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/", this::page);
        routes.get("/api/overview", ctx -> ctx.json(summary(support.filter(ctx))));
        routes.get("/api/charts/volume", ctx -> ctx.json(volume(support.filter(ctx))));
        routes.get("/api/charts/alignment", ctx -> ctx.json(alignment(support.filter(ctx))));
        routes.get("/api/charts/disposition", ctx -> ctx.json(disposition(support.filter(ctx))));
        routes.get("/api/charts/classification", ctx -> ctx.json(classification(support.filter(ctx))));
        routes.get("/api/charts/top-failing", ctx -> ctx.json(topFailingChart(support.filter(ctx))));
    }

    /** The numbers of the overview's cards. */
    Map<String, Object> summary(DashboardFilter f) {
        ReportFilter rf = support.reportFilter(f);
        Totals t = support.reads(f).totals(rf);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", f.from().toString());
        m.put("to", f.to().toString());
        m.put("messages", t.messages());
        m.put("dmarcPass", t.dmarcPass());
        m.put("dmarcFail", t.dmarcFail());
        m.put("dmarcPassRate", rate(t.dmarcPass(), t.messages()));
        m.put("spfAligned", t.spfAligned());
        m.put("spfAlignedRate", rate(t.spfAligned(), t.messages()));
        m.put("dkimAligned", t.dkimAligned());
        m.put("dkimAlignedRate", rate(t.dkimAligned(), t.messages()));
        m.put("sources", support.reads(f).countSources(rf));
        m.put("reports", support.reads(f).countReports(rf));
        m.put("disposition", Map.of("none", t.dispositionNone(), "quarantine", t.dispositionQuarantine(),
                "reject", t.dispositionReject()));
        m.put("classification", Map.of("compliant", t.compliant(), "forwarded", t.forwarded(),
                "misconfigured", t.misconfigured(), "threat", t.threat()));
        return m;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private Map<java.time.LocalDate, Totals> byDay(DashboardFilter f) {
        return support.reads(f).daily(support.reportFilter(f)).stream()
                .collect(Collectors.toMap(DailyTotals::day, DailyTotals::totals, (a, b) -> a));
    }

    ChartData volume(DashboardFilter f) {
        return ChartData.daily(f.from(), f.to(), byDay(f), List.of("DMARC pass", "DMARC fail"),
                List.<Function<Totals, Number>>of(Totals::dmarcPass, Totals::dmarcFail), "messages");
    }

    /**
     * Alignment failures split three ways. DMARC passes when either is aligned, so "both fail" is the
     * DMARC failures, and "only SPF fails" is the messages without aligned SPF that did pass on DKIM.
     */
    ChartData alignment(DashboardFilter f) {
        return ChartData.daily(f.from(), f.to(), byDay(f), List.of("SPF only", "DKIM only", "SPF and DKIM"),
                List.<Function<Totals, Number>>of(
                        t -> t.messages() - t.spfAligned() - t.dmarcFail(),
                        t -> t.messages() - t.dkimAligned() - t.dmarcFail(),
                        Totals::dmarcFail), "messages");
    }

    ChartData disposition(DashboardFilter f) {
        return ChartData.daily(f.from(), f.to(), byDay(f), List.of("none", "quarantine", "reject"),
                List.<Function<Totals, Number>>of(Totals::dispositionNone, Totals::dispositionQuarantine,
                        Totals::dispositionReject), "messages");
    }

    ChartData classification(DashboardFilter f) {
        Totals t = support.reads(f).totals(support.reportFilter(f));
        return new ChartData(List.of("compliant", "forwarded", "misconfigured", "threat"),
                List.of(new ChartData.Series("messages", List.of(t.compliant(), t.forwarded(), t.misconfigured(), t.threat()))),
                "messages");
    }

    ChartData topFailingChart(DashboardFilter f) {
        List<SourceStats> top = support.reads(f).failingSources(support.reportFilter(f), PageSupport.window(0, TOP));
        return new ChartData(top.stream().map(OverviewRoutes::sourceLabel).toList(),
                List.of(new ChartData.Series("DMARC fail", top.stream().<Number>map(SourceStats::dmarcFail).toList()),
                        new ChartData.Series("DMARC pass", top.stream().<Number>map(SourceStats::dmarcPass).toList())),
                "messages");
    }

    static String sourceLabel(SourceStats s) {
        String name = s.senderName() != null ? s.senderName() : s.reverseDns();
        return name == null ? s.ip() : s.ip() + " (" + name + ")";
    }

    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        Map<String, Object> s = summary(f);
        String q = "?" + f.toQuery();
        support.page(ctx, "Overview", "/", f, h -> {
            h.open("section", "class", "kpis", "id", "kpis");
            kpi(h, "messages", "Messages", String.format(Locale.ROOT, "%,d", (Long) s.get("messages")), "");
            double pass = (Double) s.get("dmarcPassRate");
            kpi(h, "dmarc-pass-rate", "DMARC pass rate", pct(pass), pass >= .98 ? "good" : pass >= .9 ? "warn" : "bad");
            kpi(h, "spf-aligned-rate", "SPF aligned", pct((Double) s.get("spfAlignedRate")), "");
            kpi(h, "dkim-aligned-rate", "DKIM aligned", pct((Double) s.get("dkimAlignedRate")), "");
            kpi(h, "sources", "Sources", String.format(Locale.ROOT, "%,d", (Long) s.get("sources")), "");
            kpi(h, "reports", "Reports", String.format(Locale.ROOT, "%,d", (Long) s.get("reports")), "");
            h.close();
            h.open("section", "class", "grid");
            chart(h, "Daily volume by DMARC result", "chart-volume", "/api/charts/volume" + q, "stacked");
            chart(h, "Alignment failures", "chart-alignment", "/api/charts/alignment" + q, "stacked");
            chart(h, "Disposition applied by receivers", "chart-disposition", "/api/charts/disposition" + q, "stacked");
            chart(h, "Classification of messages", "chart-classification", "/api/charts/classification" + q, "doughnut");
            h.close();
            h.open("section", "class", "card");
            h.el("h2", "Top failing sources");
            h.open("div", "class", "chart-box");
            h.el("canvas", "", "id", "chart-top-failing", "data-src", "/api/charts/top-failing" + q, "data-type", "hbar",
                    "role", "img", "aria-label", "Top failing sources");
            h.close();
            h.close();
            h.open("section");
            h.el("h2", "Sources failing DMARC");
            SourcesRoutes.failingTable(support, ctx, h);
            h.close();
        });
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static void kpi(Html h, String id, String label, String value, String cls) {
        h.open("div", "class", "kpi " + cls, "id", "kpi-" + id);
        h.el("div", label, "class", "label");
        h.el("div", value, "class", "value");
        h.close();
    }

    static void chart(Html h, String title, String id, String src, String type) {
        h.open("div", "class", "card");
        h.el("h2", title);
        h.open("div", "class", "chart-box");
        h.el("canvas", "", "id", id, "data-src", src, "data-type", type, "role", "img", "aria-label", title);
        h.close().close();
    }
}
