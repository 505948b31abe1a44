package io.dmarclens.web.pages;

import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.ReportFilter;
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

/**
 * Failure (forensic) reports: list and detail. Addresses in the sample (subject included) are redacted;
 * a user with the {@link RevealPermission} may reveal them ({@code reveal=1}) and download the original
 * report, and each time is logged. The list always shows them redacted.
 */
public final class FailuresRoutes implements RouteModule {
    static final Table<FailureRow> FAILURES = new Table<>("failures", List.of(
            Column.<FailureRow>dateTime("arrival", "Arrival", FailureRow::arrival),
            Column.<FailureRow>text("sourceIp", "Source IP", FailureRow::sourceIp)
                    .linkTo(f -> f.sourceIp() == null ? null : "/sources/" + DashboardFilter.enc(f.sourceIp())),
            Column.text("reverseDns", "Reverse DNS", f -> f.sender() == null ? null : f.sender().reverseDns()),
            Column.text("from", "From", f -> Redaction.redact(f.from())),
            Column.<FailureRow>text("subject", "Subject", f -> f.subject() == null ? "(no subject)" : Redaction.redact(f.subject()))
                    .linkTo(f -> "/failures/" + f.id()),
            Column.text("reportedDomain", "Reported domain", FailureRow::reportedDomain),
            Column.flag("partial", "Partial", FailureRow::isPartial),
            Column.badge("authFailure", "Auth failure", f -> String.join(", ", f.authFailure())),
            Column.text("dkim", "DKIM d= / s=", f -> f.dkimDomain() == null ? null
                    : f.dkimDomain() + (f.dkimSelector() == null ? "" : " / " + f.dkimSelector())),
            Column.text("deliveryResult", "Delivery", FailureRow::deliveryResult),
            Column.text("reporter", "Reporter", FailureRow::userAgent),
            Column.number("incidents", "Incidents", FailureRow::incidents),
            // Whether the report mail was verified (DKIM aligned with its sender), or imported by hand.
            Column.badge("origin", "Origin", f -> f.authenticity().verdict().code()),
            Column.text("originReason", "Origin check", f -> f.authenticity().reason()),
            Column.text("partialReason", "Why partial", FailureRow::partialReason)),
            new Rows.Sort("arrival", true), 50);

    private final PageSupport support;
    private final RevealPermission revealing;

    public FailuresRoutes(PageSupport support, RevealPermission revealing) {
        this.support = support;
        this.revealing = revealing;
    }

    /** Whether this request reveals the addresses of report {@code id}: asked for, allowed and logged, or 403. */
    private boolean reveal(Context ctx, long id) {
        if (!"1".equals(ctx.queryParam("reveal"))) {
            return false;
        }
        revealing.use(ctx, "failure report " + id + " addresses");
        return true;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/failures", this::list);
        routes.get("/api/failures", ctx -> ctx.json(FAILURES.json(ctx, rows(ctx))));
        routes.get("/api/failures.csv", ctx -> FAILURES.csv(ctx, rows(ctx)));
        routes.get("/failures/{id}", this::detail);
        routes.get("/api/failures/{id}", ctx -> ctx.json(detailJson(ctx)));
        routes.get("/failures/{id}/original", this::original);
    }

    private Rows<FailureRow> rows(Context ctx) {
        ReportFilter rf = support.reportFilter(ctx);
        return Rows.paged(-1, (sort, offset, limit) -> support.reads(ctx).failureReports(rf, PageSupport.window(offset, limit)),
                (sort, sink) -> support.reads(ctx).exportFailureReports(rf, sink::accept));
    }

    private FailureRow find(Context ctx) {
        return support.reads(ctx).failureReport(PageSupport.id(ctx, "id"))
                .orElseThrow(() -> new NotFoundResponse("no failure report with id " + ctx.pathParam("id")));
    }

    private void list(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        support.page(ctx, "Failure reports", "/failures", f, h -> {
            h.el("p", "Samples of single messages that failed DMARC, sent by receivers that honour ruf=. "
                    + "Addresses are shown redacted.", "class", "muted");
            FAILURES.render(h, ctx, rows(ctx), "/api/failures.csv");
        });
    }

    private Map<String, Object> detailJson(Context ctx) {
        FailureRow f = find(ctx);
        boolean reveal = reveal(ctx, f.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("format", f.format());
        m.put("feedbackType", f.feedbackType());
        m.put("userAgent", f.userAgent());
        m.put("arrival", f.arrival());
        m.put("sourceIp", f.sourceIp());
        m.put("sender", f.sender());
        m.put("reportingMta", f.reportingMta());
        m.put("originalMailFrom", Redaction.apply(f.originalMailFrom(), reveal));
        m.put("originalRcptTo", Redaction.apply(f.originalRcptTo(), reveal));
        m.put("reportedDomain", f.reportedDomain());
        m.put("authFailure", f.authFailure());
        m.put("deliveryResult", f.deliveryResult());
        m.put("dkimDomain", f.dkimDomain());
        m.put("dkimSelector", f.dkimSelector());
        m.put("spfDns", f.spfDns());
        m.put("incidents", f.incidents());
        m.put("from", Redaction.apply(f.from(), reveal));
        m.put("to", Redaction.apply(f.to(), reveal));
        m.put("subject", Redaction.apply(f.subject(), reveal));
        m.put("messageId", Redaction.apply(f.messageId(), reveal));
        m.put("headers", headers(ctx, f.id(), reveal));
        m.put("warnings", support.reads(ctx).warnings("failure", f.id()));
        m.put("partial", f.isPartial());
        m.put("partialReason", f.partialReason());
        m.put("origin", f.authenticity().verdict().code());
        m.put("originReason", f.authenticity().reason());
        m.put("redacted", !reveal);
        return m;
    }

    private List<List<String>> headers(Context ctx, long id, boolean reveal) {
        return support.reads(ctx).failureMessageHeaders(id).stream()
                .map(h -> List.of(h[0], Redaction.apply(h[1], reveal))).toList();
    }

    private void detail(Context ctx) {
        FailureRow f = find(ctx);
        boolean reveal = reveal(ctx, f.id());
        boolean mayReveal = revealing.allows(ctx);
        support.page(ctx, "Failure report", "/failures", null, h -> {
            if (f.isPartial()) {
                h.open("p", "class", "notice partial");
                h.el("span", "partial", "class", "badge badge-warn");
                h.text(" Only part of this report could be read: " + f.partialReason() + ". Fields or headers of the"
                        + " sample after that point may be missing.");
                h.close();
            }
            h.open("div", "class", "grid");
            h.open("section", "class", "card");
            h.el("h2", "Feedback report (ARF)");
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Format", f.format());
            PageSupport.kv(h, "Feedback type", f.feedbackType());
            PageSupport.kv(h, "Reporter (User-Agent)", f.userAgent());
            PageSupport.kv(h, "Arrival", f.arrival());
            PageSupport.kv(h, "Source IP", f.sourceIp());
            PageSupport.kv(h, "Reverse DNS", f.sender() == null ? null : f.sender().reverseDns());
            PageSupport.kv(h, "Reporting MTA", f.reportingMta());
            PageSupport.kv(h, "Original mail from", Redaction.apply(f.originalMailFrom(), reveal));
            PageSupport.kv(h, "Original rcpt to", String.join(", ", Redaction.apply(f.originalRcptTo(), reveal)));
            PageSupport.kv(h, "Reported domain", String.join(", ", f.reportedDomain()));
            PageSupport.kv(h, "Auth failure", String.join(", ", f.authFailure()));
            PageSupport.kv(h, "Delivery result", f.deliveryResult());
            PageSupport.kv(h, "DKIM domain", f.dkimDomain());
            PageSupport.kv(h, "DKIM selector", f.dkimSelector());
            PageSupport.kv(h, "SPF DNS", f.spfDns());
            PageSupport.kv(h, "Incidents", f.incidents());
            PageSupport.originRow(h, f.authenticity());
            h.close();
            if (mayReveal) {
                h.open("p").a("/failures/" + f.id() + "/original", "Download the original report (unredacted)",
                        "class", "button small secondary").close();
            }
            h.close();
            h.open("section", "class", "card");
            h.el("h2", "The failing message");
            h.open("p", "class", "notice");
            if (reveal) {
                h.text("Addresses are shown in full. ");
                h.a("/failures/" + f.id(), "Redact them again", "id", "redact");
            } else if (mayReveal) {
                h.text("Addresses are redacted to protect the people involved. ");
                h.a("/failures/" + f.id() + "?reveal=1", "Reveal addresses", "id", "reveal");
            } else {
                h.text("Addresses are redacted to protect the people involved.");
            }
            h.close();
            h.open("table", "class", "kv");
            PageSupport.kv(h, "From", Redaction.apply(f.from(), reveal));
            PageSupport.kv(h, "To", Redaction.apply(f.to(), reveal));
            PageSupport.kv(h, "Subject", Redaction.apply(f.subject(), reveal));
            PageSupport.kv(h, "Message-ID", Redaction.apply(f.messageId(), reveal));
            h.close();
            h.close();
            h.close();
            h.open("section", "class", "card");
            h.el("h2", "Headers of the sample");
            List<List<String>> headers = headers(ctx, f.id(), reveal);
            if (headers.isEmpty()) {
                h.el("p", "The report carried no headers of the message.", "class", "muted");
            } else {
                h.open("table", "class", "kv headers");
                for (List<String> hd : headers) {
                    h.open("tr").el("th", hd.get(0), "class", "mono").el("td", hd.get(1), "class", "mono").close();
                }
                h.close();
            }
            h.close();
            h.open("section", "class", "card");
            h.el("h2", "Reporter's explanation");
            if (f.humanReadable() == null || f.humanReadable().isBlank()) {
                h.el("p", "None.", "class", "muted");
            } else {
                h.el("pre", Redaction.apply(f.humanReadable(), reveal));
            }
            ReportsRoutes.warnings(h, support.reads(ctx).warnings("failure", f.id()));
            h.close();
            fields(h, f, reveal);
        });
    }

    private static void fields(Html h, FailureRow f, boolean reveal) {
        if (f.fields() == null || f.fields().isEmpty()) {
            return;
        }
        h.open("section", "class", "card");
        h.el("h2", "Every feedback field");
        h.open("table", "class", "kv");
        f.fields().forEach((k, v) -> PageSupport.kv(h, k, String.join(", ", Redaction.apply(v, reveal))));
        h.close().close();
    }

    /** The original file holds every address in full: revealing it needs the permission too. */
    private void original(Context ctx) throws IOException {
        FailureRow f = find(ctx);
        revealing.use(ctx, "failure report " + f.id() + " original file");
        ReportsRoutes.sendRaw(support, ctx, f.sourceId());
    }
}
