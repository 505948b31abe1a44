package io.dmarclens.web.pages;

import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** Who sends reports, how many, when last, and where their reports have gaps. */
public final class ReportersRoutes implements RouteModule {
    private static final int MAX_ROWS = 5_000;

    static final Table<ReporterStats> REPORTERS = new Table<>("reporters", List.of(
            Column.<ReporterStats>text("reporter", "Reporter", ReporterStats::reporter)
                    .linkTo(r -> "/reports?reporter=" + DashboardFilter.enc(r.reporter())).sortable(),
            Column.<ReporterStats>number("reports", "Reports", ReporterStats::reports).sortable(),
            Column.<ReporterStats>number("messages", "Messages", ReporterStats::messages).sortable(),
            Column.<ReporterStats>date("firstSeen", "First seen", ReporterStats::firstSeen).sortable(),
            Column.<ReporterStats>date("lastSeen", "Last seen", r -> PageSupport.lastDay(r.lastSeen())).sortable(),
            Column.<ReporterStats>number("daysCovered", "Days covered", ReporterStats::daysCovered).sortable(),
            Column.<ReporterStats>number("missingDays", "Gaps (days)", ReporterStats::missingDays).sortable()),
            new Rows.Sort("reports", true), 50);

    private final PageSupport support;

    public ReportersRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/reporters", this::page);
        routes.get("/api/reporters", ctx -> ctx.json(REPORTERS.json(ctx, rows(ctx))));
        routes.get("/api/reporters.csv", ctx -> REPORTERS.csv(ctx, rows(ctx)));
    }

    private Rows<ReporterStats> rows(Context ctx) {
        return REPORTERS.memory(support.reads(ctx).reporters(support.reportFilter(ctx), PageSupport.window(0, MAX_ROWS)));
    }

    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Reporters", "/reporters", f, h -> {
            h.el("p", "Mailbox providers that send aggregate reports. A gap is a day between the first and last "
                    + "report that none of their reports covers: mail you may not see.", "class", "muted");
            REPORTERS.render(h, ctx, rows(ctx), "/api/reporters.csv");
        });
    }
}
