package io.dmarclens.web.pages;

import io.dmarclens.store.query.DailyForwarding;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Forwarders and mailing lists: who relays the domains' mail, and whether DKIM survives it. */
public final class ForwardingRoutes implements RouteModule {
    private static final int MAX_ROWS = 5_000;

    static final Table<ForwardingSource> FORWARDERS = new Table<>("forwarding", List.of(
            Column.<ForwardingSource>text("ip", "Source IP", ForwardingSource::ip)
                    .linkTo(s -> "/sources/" + DashboardFilter.enc(s.ip())).sortable(),
            Column.<ForwardingSource>text("reverseDns", "Reverse DNS", ForwardingSource::reverseDns).sortable(),
            Column.<ForwardingSource>text("forwarder", "Forwarder", ForwardingSource::senderName).sortable(),
            Column.text("senderType", "Type", ForwardingSource::senderType),
            Column.<ForwardingSource>number("messages", "Messages", ForwardingSource::messages).sortable(),
            Column.<ForwardingSource>number("dkimSurvived", "DKIM survived", ForwardingSource::dkimSurvived).sortable(),
            Column.<ForwardingSource>percent("dkimSurvivalRate", "DKIM survival", ForwardingSource::dkimSurvivalRate).sortable(),
            Column.number("atRisk", "Lost under p=reject", s -> s.messages() - s.dkimSurvived()),
            Column.text("overrideReasons", "Override reasons seen", s -> String.join(", ", s.overrideReasons()))),
            new Rows.Sort("messages", true), 50);

    private final PageSupport support;

    public ForwardingRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/forwarding", this::page);
        routes.get("/api/forwarding", ctx -> ctx.json(FORWARDERS.json(ctx, rows(ctx))));
        routes.get("/api/forwarding.csv", ctx -> FORWARDERS.csv(ctx, rows(ctx)));
        routes.get("/api/charts/forwarding", ctx -> ctx.json(chart(support.filter(ctx))));
    }

    private Rows<ForwardingSource> rows(Context ctx) {
        return FORWARDERS.memory(support.reads(ctx).forwardingSources(support.reportFilter(ctx),
                PageSupport.window(0, MAX_ROWS)));
    }

    ChartData chart(DashboardFilter f) {
        var byDay = support.reads(f).forwardingDaily(support.reportFilter(f)).stream()
                .collect(Collectors.toMap(DailyForwarding::day, d -> d, (a, b) -> a));
        return ChartData.daily(f.from(), f.to(), byDay, List.of("DKIM survived", "DKIM broken"),
                List.<Function<DailyForwarding, Number>>of(DailyForwarding::dkimSurvived,
                        d -> d.messages() - d.dkimSurvived()), "messages");
    }

    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Forwarding", "/forwarding", f, h -> {
            h.el("p", "Mail relayed by forwarders and mailing lists breaks SPF; it still passes DMARC when its "
                    + "DKIM signature survives. Mail in the last column would be lost under p=reject.", "class", "muted");
            OverviewRoutes.chart(h, "Forwarded messages per day", "chart-forwarding",
                    "/api/charts/forwarding?" + f.toQuery(), "stacked");
            FORWARDERS.render(h, ctx, rows(ctx), "/api/forwarding.csv");
        });
    }
}
