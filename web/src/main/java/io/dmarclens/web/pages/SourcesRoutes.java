package io.dmarclens.web.pages;

import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.html.Html;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;

/** Sending sources, and the drill-down from one source to its records. */
public final class SourcesRoutes implements RouteModule {
    static final Table<SourceStats> SOURCES = new Table<>("sources", List.of(
            Column.<SourceStats>text("ip", "Source IP", SourceStats::ip)
                    .linkTo(s -> "/sources/" + DashboardFilter.enc(s.ip())),
            Column.text("reverseDns", "Reverse DNS", SourceStats::reverseDns),
            Column.text("sender", "Sender", SourceStats::senderName),
            Column.text("senderType", "Type", SourceStats::senderType),
            Column.text("asn", "ASN", s -> s.asn() == null ? null : "AS" + s.asn()),
            Column.text("asName", "AS name", SourceStats::asName),
            Column.text("country", "Country", SourceStats::country),
            Column.<SourceStats>number("messages", "Messages", SourceStats::messages).sortableOnly(true),
            Column.<SourceStats>number("failing", "DMARC fail", SourceStats::dmarcFail).sortableOnly(true),
            Column.<SourceStats>percent("passRate", "DMARC pass", SourceStats::passRate).sortableOnly(false),
            Column.percent("spfAlignedRate", "SPF aligned", s -> rate(s.spfAligned(), s.messages())),
            Column.percent("dkimAlignedRate", "DKIM aligned", s -> rate(s.dkimAligned(), s.messages())),
            Column.badge("classification", "Class", SourceStats::classification),
            Column.text("reason", "Why", SourceStats::classificationReason)),
            new Rows.Sort("messages", true), 50);

    static final int TOP_FAILING = 10;
    static final Table<SourceStats> FAILING = new Table<>("failing-sources", SOURCES.columns().stream()
            .map(Column::sortable).toList(), new Rows.Sort("failing", true), TOP_FAILING);

    static final Table<RecordRow> RECORDS = new Table<>("records", RecordColumns.all(), new Rows.Sort("begin", true), 50);

    private final PageSupport support;

    public SourcesRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/sources", this::page);
        routes.get("/api/sources", ctx -> ctx.json(SOURCES.json(ctx, rows(support, ctx))));
        routes.get("/api/sources.csv", ctx -> SOURCES.csv(ctx, rows(support, ctx)));
        routes.get("/api/sources/failing", ctx -> ctx.json(FAILING.json(ctx, failing(support, ctx))));
        routes.get("/api/sources/failing.csv", ctx -> FAILING.csv(ctx, failing(support, ctx)));
        routes.get("/sources/{ip}", this::detail);
        routes.get("/api/sources/{ip}", ctx -> ctx.json(sourceJson(ctx)));
        routes.get("/api/sources/{ip}/records", ctx -> ctx.json(RECORDS.json(ctx, records(ctx))));
        routes.get("/api/sources/{ip}/records.csv", ctx -> RECORDS.csv(ctx, records(ctx)));
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** Sources over the request's filters, in the store order the request's sort names. */
    static Rows<SourceStats> rows(PageSupport support, Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        long total = support.reads(ctx).countSources(rf);
        return Rows.paged(total, (sort, offset, limit) ->
                support.reads(ctx).sources(rf, storeSort(sort), PageSupport.window(offset, limit)));
    }

    /**
     * The sources failing DMARC most (only those with failures), as the overview's table shows them: the
     * page, its JSON and its CSV are the same list, sorted in memory by any column.
     */
    static Rows<SourceStats> failing(PageSupport support, Context ctx) {
        return FAILING.memory(support.reads(ctx).failingSources(support.reportFilter(ctx),
                PageSupport.window(0, TOP_FAILING)));
    }

    private static SourceSort storeSort(Rows.Sort sort) {
        return switch (sort.key()) {
            case "failing" -> SourceSort.FAILING;
            case "passRate" -> SourceSort.PASS_RATE;
            default -> SourceSort.MESSAGES;
        };
    }

    /** The overview's table of the sources failing most (only those with failures). */
    static void failingTable(PageSupport support, Context ctx, Html h) {
        FAILING.render(h, ctx, failing(support, ctx), "/api/sources/failing.csv");
    }


    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Sources", "/sources", f, h -> {
            h.el("p", "Every address that sent mail as your domains, with what is known about it. "
                    + "Open an address to see its records.", "class", "muted");
            SOURCES.render(h, ctx, rows(support, ctx), "/api/sources.csv");
        });
    }

    private Rows<RecordRow> records(Context ctx) {
        String ip = ctx.pathParam("ip");
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(-1, (sort, offset, limit) ->
                support.reads(ctx).sourceRecords(ip, rf, PageSupport.window(offset, limit)));
    }

    private Object sourceJson(Context ctx) {
        String ip = ctx.pathParam("ip");
        SenderInfo s = support.reads(ctx).sender(ip).orElseThrow(() -> new NotFoundResponse("no such source"));
        return java.util.Map.of("ip", ip, "sender", s);
    }

    private void detail(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        String ip = ctx.pathParam("ip");
        // A source that never sent to the reader's domains is unknown to them, as one never seen at all.
        SenderInfo info = support.reads(ctx).sender(ip).orElseThrow(() -> new NotFoundResponse("no such source"));
        support.page(ctx, "Source " + ip, "/sources", f, h -> {
            h.open("section", "class", "card");
            h.el("h2", "What is known about " + ip);
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Reverse DNS", info.reverseDns());
            PageSupport.kv(h, "Base domain", info.baseDomain());
            PageSupport.kv(h, "Sender", info.senderName());
            PageSupport.kv(h, "Sender type", info.senderType());
            PageSupport.kv(h, "ASN", info.asn() == null ? null : "AS" + info.asn() + " " + (info.asName() == null ? "" : info.asName()));
            PageSupport.kv(h, "Country", info.country());
            h.close().close();
            h.el("h2", "Records");
            RECORDS.render(h, ctx, records(ctx), "/api/sources/" + DashboardFilter.enc(ip) + "/records.csv");
        });
    }
}
