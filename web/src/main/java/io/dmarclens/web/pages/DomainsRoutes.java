package io.dmarclens.web.pages;

import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Per policy domain: the published policy over time and what a stricter policy would do today. */
public final class DomainsRoutes implements RouteModule {
    private static final int MAX_HISTORY_DOMAINS = 50;

    static final Table<PolicyImpact> IMPACT = new Table<>("domains", List.of(
            Column.<PolicyImpact>text("domain", "Domain", PolicyImpact::domain).sortable(),
            Column.<PolicyImpact>badge("policy", "Current p=", PolicyImpact::currentPolicy).sortable(),
            Column.<PolicyImpact>number("messages", "Messages", PolicyImpact::messages).sortable(),
            Column.<PolicyImpact>number("failing", "Failing DMARC", PolicyImpact::failing).sortable(),
            Column.<PolicyImpact>percent("failingRate", "Would be quarantined / rejected",
                    i -> SourcesRoutes.rate(i.failing(), i.messages())).sortable(),
            Column.<PolicyImpact>number("failingForwarded", "of which forwarded", PolicyImpact::failingForwarded).sortable(),
            Column.<PolicyImpact>number("failingMisconfigured", "of which misconfigured", PolicyImpact::failingMisconfigured).sortable(),
            Column.<PolicyImpact>number("failingThreat", "of which threats", PolicyImpact::failingThreat).sortable(),
            Column.number("alreadyQuarantined", "Already quarantined", PolicyImpact::alreadyQuarantined),
            Column.number("alreadyRejected", "Already rejected", PolicyImpact::alreadyRejected)),
            new Rows.Sort("messages", true), 50);

    /** One policy period of one domain, for the history table. */
    static final Table<PolicyPeriod> HISTORY = new Table<>("policy-history", List.of(
            Column.<PolicyPeriod>text("domain", "Domain", PolicyPeriod::domain).sortable(),
            Column.<PolicyPeriod>date("firstSeen", "From", PolicyPeriod::firstSeen).sortable(),
            Column.<PolicyPeriod>date("lastSeen", "To", p -> PageSupport.lastDay(p.lastSeen())).sortable(),
            Column.badge("p", "p", PolicyPeriod::p),
            Column.badge("sp", "sp", PolicyPeriod::sp),
            Column.text("adkim", "adkim", PolicyPeriod::adkim),
            Column.text("aspf", "aspf", PolicyPeriod::aspf),
            Column.number("pct", "pct", PolicyPeriod::pct),
            Column.number("reports", "Reports", PolicyPeriod::reports),
            Column.number("otherReports", "Saw another policy", PolicyPeriod::otherReports)),
            new Rows.Sort("firstSeen", false), 100);

    private final PageSupport support;

    public DomainsRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/domains", this::page);
        routes.get("/api/domains", ctx -> ctx.json(IMPACT.json(ctx, impact(ctx))));
        routes.get("/api/domains.csv", ctx -> IMPACT.csv(ctx, impact(ctx)));
        routes.get("/api/domains/policy-history", ctx -> ctx.json(HISTORY.json(ctx, history(ctx))));
        routes.get("/api/domains/policy-history.csv", ctx -> HISTORY.csv(ctx, history(ctx)));
    }

    private Rows<PolicyImpact> impact(Context ctx) {
        return IMPACT.memory(support.reads(ctx).policyImpact(support.reportFilter(ctx)));
    }

    /** The policy history of the filtered domains (or every domain in the range when none is chosen). */
    private Rows<PolicyPeriod> history(Context ctx) {
        return HISTORY.memory(historyList(ctx));
    }

    private List<PolicyPeriod> historyList(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        boolean excludeUnverified = support.reportFilter(f).excludeUnverified();
        List<String> domains = f.domains().isEmpty()
                ? support.reads(ctx).policyImpact(support.reportFilter(f)).stream().map(PolicyImpact::domain).toList()
                : f.domains();
        List<PolicyPeriod> periods = new ArrayList<>();
        for (String d : domains.subList(0, Math.min(domains.size(), MAX_HISTORY_DOMAINS))) {
            periods.addAll(support.reads(ctx).policyHistory(d, excludeUnverified));
        }
        return periods;
    }

    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Domains", "/domains", f, h -> {
            h.el("h2", "What a stricter policy would do");
            h.el("p", "Every message failing DMARC in this period would be quarantined under p=quarantine or "
                    + "rejected under p=reject (pct=100). Forwarded and misconfigured mail is collateral damage: "
                    + "fix it before moving to p=reject.", "class", "muted");
            IMPACT.render(h, ctx, impact(ctx), "/api/domains.csv");
            h.el("h2", "Published policy over time");
            Table<PolicyPeriod> second = HISTORY.withParamPrefix("h");
            second.render(h, ctx, second.memory(historyList(ctx)), "/api/domains/policy-history.csv");
        });
    }
}
