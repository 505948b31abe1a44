package io.dmarclens.web.pages;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.SupersededCopy;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.html.Html;
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

/** Aggregate reports: the list, one report in detail, and the download of its original file. */
public final class ReportsRoutes implements RouteModule {
    static final Table<ReportSummary> REPORTS = new Table<>("reports", List.of(
            Column.<ReportSummary>dateTime("begin", "Begin", ReportSummary::begin).sortable(),
            Column.dateTime("end", "End", ReportSummary::end),
            Column.<ReportSummary>text("reporter", "Reporter", ReportSummary::reporter).sortableOnly(false),
            Column.text("policyDomain", "Domain", ReportSummary::policyDomain),
            Column.<ReportSummary>text("reportId", "Report id", ReportSummary::reportId)
                    .linkTo(r -> "/reports/" + r.id()),
            Column.flag("partial", "Partial", ReportSummary::isPartial),
            Column.number("records", "Records", ReportSummary::records),
            Column.<ReportSummary>number("messages", "Messages", ReportSummary::messages).sortableOnly(true),
            Column.number("warnings", "Warnings", ReportSummary::warnings),
            // Whether the report mail was verified (DKIM aligned with the reporter), or imported by hand.
            Column.badge("origin", "Origin", r -> r.authenticity().verdict().code()),
            Column.text("originReason", "Origin check", r -> r.authenticity().reason()),
            Column.dateTime("importedAt", "Imported", ReportSummary::importedAt),
            Column.text("partialReason", "Why partial", ReportSummary::partialReason)),
            new Rows.Sort("begin", true), 50);

    static final Table<RecordRow> RECORDS = new Table<>("report-records", RecordColumns.all().stream()
            .filter(c -> !List.of("begin", "reporter", "policyDomain").contains(c.key())).toList(),
            new Rows.Sort("index", false), 100);

    private final PageSupport support;

    public ReportsRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/reports", this::list);
        routes.get("/api/reports", ctx -> ctx.json(REPORTS.json(ctx, rows(ctx))));
        routes.get("/api/reports.csv", ctx -> REPORTS.csv(ctx, rows(ctx)));
        routes.get("/api/records.csv", ctx -> RECORDS_EXPORT.csv(ctx, allRecords(ctx)));
        routes.get("/reports/{id}", this::detail);
        routes.get("/api/reports/{id}", ctx -> ctx.json(detailJson(ctx)));
        routes.get("/api/reports/{id}/records", ctx -> ctx.json(RECORDS.json(ctx, records(ctx))));
        routes.get("/api/reports/{id}/records.csv", ctx -> RECORDS.csv(ctx, records(ctx)));
        routes.get("/reports/{id}/original", this::original);
        routes.get("/api/reports/{id}/original", this::original);
        routes.get("/reports/{id}/superseded/{n}/original", this::supersededOriginal);
        routes.get("/api/reports/{id}/superseded/{n}/original", this::supersededOriginal);
    }

    /** Every record of the filtered reports, streamed from the store. */
    static final Table<RecordRow> RECORDS_EXPORT = new Table<>("records", RecordColumns.all(), new Rows.Sort("begin", false), 100);

    private Rows<RecordRow> allRecords(Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(-1, (sort, offset, limit) -> List.of(),
                (sort, sink) -> support.reads(ctx).exportRecords(rf, sink::accept));
    }

    private Rows<ReportSummary> rows(Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(support.reads(ctx).countReports(rf), (sort, offset, limit) ->
                support.reads(ctx).reports(rf, storeSort(sort), PageSupport.window(offset, limit)));
    }

    private static ReportSort storeSort(Rows.Sort sort) {
        return switch (sort.key()) {
            case "reporter" -> ReportSort.REPORTER;
            case "messages" -> ReportSort.MOST_MESSAGES;
            default -> sort.descending() ? ReportSort.NEWEST : ReportSort.OLDEST;
        };
    }

    private Rows<RecordRow> records(Context ctx) {
        // 404 for a report that is not there or not the reader's, like the report itself
        long id = find(ctx).summary().id();
        return Rows.paged(-1, (sort, offset, limit) -> support.reads(ctx).reportRecords(id, PageSupport.window(offset, limit)));
    }

    private ReportDetail find(Context ctx) {
        return support.reads(ctx).report(PageSupport.id(ctx, "id"))
                .orElseThrow(() -> new NotFoundResponse("no aggregate report with id " + ctx.pathParam("id")));
    }

    private void list(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Aggregate reports", "/reports", f, h -> REPORTS.render(h, ctx, rows(ctx), "/api/reports.csv"));
        // the link to every record's CSV sits below the table on purpose: it can be large
    }

    private Map<String, Object> detailJson(Context ctx) {
        ReportDetail d = find(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", d.summary());
        m.put("origin", d.summary().authenticity().verdict().code());
        m.put("originReason", d.summary().authenticity().reason());
        m.put("extraContact", d.extraContact());
        m.put("version", d.version());
        m.put("generator", d.generator());
        m.put("errors", d.errors());
        m.put("policy", d.policy());
        m.put("warnings", d.warnings());
        m.put("sourceName", d.sourceName());
        m.put("sourcePart", d.sourcePart());
        m.put("superseded", d.superseded());
        return m;
    }

    private void detail(Context ctx) {
        ReportDetail d = find(ctx);
        ReportSummary s = d.summary();
        support.page(ctx, "Report from " + s.reporter(), "/reports", null, h -> {
            partialNotice(h, s.partialReason());
            h.open("div", "class", "grid");
            h.open("section", "class", "card");
            h.el("h2", "Report");
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Reporter", s.reporter());
            PageSupport.kv(h, "Contact", s.reporterEmail());
            PageSupport.kv(h, "Extra contact", d.extraContact());
            PageSupport.kv(h, "Report id", s.reportId());
            PageSupport.kv(h, "Period", s.begin() + " \u2013 " + s.end());
            PageSupport.kv(h, "Records / messages", s.records() + " / " + s.messages());
            PageSupport.kv(h, "Version", d.version());
            PageSupport.kv(h, "Generator", d.generator());
            PageSupport.kv(h, "Reporter errors", String.join("; ", d.errors()));
            PageSupport.kv(h, "Imported", s.importedAt());
            PageSupport.originRow(h, s.authenticity());
            PageSupport.kv(h, "Source", d.sourceName() + (d.sourcePart() == null || d.sourcePart().isEmpty() ? "" : " [" + d.sourcePart() + "]"));
            h.close();
            h.open("p").a("/reports/" + s.id() + "/original", "Download the original file", "class", "button small secondary").close();
            superseded(h, "/reports/" + s.id(), d.superseded());
            h.close();
            h.open("section", "class", "card");
            h.el("h2", "Published policy");
            PolicyPeriod p = d.policy();
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Domain", p == null ? s.policyDomain() : p.domain());
            if (p != null) {
                PageSupport.kv(h, "p", p.p());
                PageSupport.kv(h, "sp", p.sp());
                PageSupport.kv(h, "adkim", p.adkim());
                PageSupport.kv(h, "aspf", p.aspf());
                PageSupport.kv(h, "pct", p.pct());
            }
            h.close();
            warnings(h, d.warnings());
            h.close();
            h.close();
            h.el("h2", "Records");
            RECORDS.render(h, ctx, records(ctx), "/api/reports/" + s.id() + "/records.csv");
        });
    }

    /** The badge and reason of a report stored from a copy that could not be read to its end. */
    static void partialNotice(Html h, String reason) {
        if (reason == null) {
            return;
        }
        h.open("p", "class", "notice partial");
        h.el("span", "partial", "class", "badge badge-warn");
        h.text(" Only part of this report could be read: " + reason + ". Its records are what was read before that"
                + " point; a complete copy of the report replaces it when it arrives.");
        h.close();
    }

    /** The earlier, less complete copies a report replaced, each with the download of its original file. */
    static void superseded(Html h, String reportPath, List<SupersededCopy> copies) {
        if (copies.isEmpty()) {
            return;
        }
        h.el("h3", "Replaced copies");
        h.open("ul", "class", "superseded");
        for (int i = 0; i < copies.size(); i++) {
            SupersededCopy c = copies.get(i);
            h.open("li");
            h.text(c.sourceName() + (c.sourcePart() == null || c.sourcePart().isEmpty() ? "" : " [" + c.sourcePart() + "]")
                    + ": " + c.records() + " records, imported " + c.importedAt() + ", replaced " + c.supersededAt()
                    + (c.partialReason() == null ? "" : " (partial: " + c.partialReason() + ") "));
            h.a(reportPath + "/superseded/" + i + "/original", "download");
            h.close();
        }
        h.close();
    }

    private void supersededOriginal(Context ctx) throws IOException {
        ReportDetail d = find(ctx);
        sendRaw(support, ctx, supersededSource(ctx, d.superseded()));
    }

    /** The raw source of the n-th replaced copy of a report: only the report's own copies can be fetched. */
    static long supersededSource(Context ctx, List<SupersededCopy> copies) {
        long n = PageSupport.id(ctx, "n");
        if (n < 0 || n >= copies.size()) {
            throw new NotFoundResponse("no replaced copy " + ctx.pathParam("n") + " of this report");
        }
        return copies.get((int) n).sourceId();
    }

    static void warnings(Html h, List<ParseWarning> warnings) {
        h.el("h3", "Warnings");
        if (warnings.isEmpty()) {
            h.el("p", "None: the report was read as written.", "class", "muted");
            return;
        }
        h.open("ul", "class", "warnings");
        for (ParseWarning w : warnings) {
            h.el("li", w.toString());
        }
        h.close();
    }

    private void original(Context ctx) throws IOException {
        ReportDetail d = find(ctx);
        sendRaw(support, ctx, d.summary().sourceId());
    }

    /** Streams a stored raw source as a download with a name that cannot escape the header. */
    static void sendRaw(PageSupport support, Context ctx, long sourceId) throws IOException {
        RawSource raw = support.reads(ctx).rawSource(sourceId)
                .filter(RawSource::available)
                .orElseThrow(() -> new NotFoundResponse("the original file is no longer stored (retention)"));
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + safeFileName(raw.name()) + "\"");
        if (!support.reads(ctx).copyRawSource(sourceId, ctx.outputStream())) {
            throw new NotFoundResponse("the original file is no longer stored");
        }
    }

    static String safeFileName(String name) {
        String base = name == null ? "" : name.replaceAll(".*[/\\\\]", "");
        String safe = base.replaceAll("[^A-Za-z0-9._!@+-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "report" + safe;
        }
        return safe.length() > 120 ? safe.substring(safe.length() - 120) : safe;
    }
}
