package io.dmarclens.web.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.posture.DkimKey;
import io.dmarclens.posture.DmarcRecord;
import io.dmarclens.posture.Finding;
import io.dmarclens.posture.PostureData;
import io.dmarclens.posture.PostureJson;
import io.dmarclens.posture.PostureReport;
import io.dmarclens.posture.PostureService;
import io.dmarclens.posture.Readiness;
import io.dmarclens.posture.ReportAuthorization;
import io.dmarclens.posture.SpfNode;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.html.Html;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The Posture page: what a policy domain publishes in DNS, its findings, and the next step. */
public final class PostureRoutes implements RouteModule {
    private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9-]{2,63}\\.?$");

    private final PageSupport support;
    private final PostureService posture;
    private final PostureJson json = new PostureJson(new ObjectMapper());

    public PostureRoutes(PageSupport support, PostureService posture) {
        this.support = support;
        this.posture = posture;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/posture", this::page);
        routes.get("/api/posture", ctx -> {
            String domain = domain(ctx).orElseThrow(() -> new BadRequestResponse("domain is required"));
            if (!PageSupport.scope(ctx).permits(domain)) {
                throw new NotFoundResponse("no such domain");
            }
            Optional<PostureReport> report = posture.check(domain, "1".equals(ctx.queryParam("refresh")));
            if (report.isEmpty()) {
                throw new BadRequestResponse("DNS checks are off (offline mode)");
            }
            ctx.contentType("application/json").result(json.toJson(report.get()).toString());
        });
    }

    /** The domain asked for, validated as a DNS name (it reaches DNS questions, never anything else). */
    private static Optional<String> domain(Context ctx) {
        String d = ctx.queryParam("domain");
        if (d == null || d.isBlank()) {
            return Optional.empty();
        }
        if (!DOMAIN.matcher(d.strip()).matches()) {
            throw new BadRequestResponse("'" + d + "' is not a domain name");
        }
        return Optional.of(d.strip().toLowerCase(Locale.ROOT));
    }

    private void page(Context ctx) {
        List<String> known = support.reads(ctx).policyImpact(ReportFilter.all()).stream().map(PolicyImpact::domain)
                .filter(d -> DOMAIN.matcher(d).matches()).distinct().sorted().toList();
        String domain = domain(ctx).orElse(known.isEmpty() ? null : known.get(0));
        // Posture and readiness are read from the stored reports of the domain: a reader of some domains checks
        // only those, and any other name is answered as one never stored.
        boolean limited = !PageSupport.scope(ctx).isAll();
        if (domain != null && !PageSupport.scope(ctx).permits(domain)) {
            throw new NotFoundResponse("no such domain");
        }
        boolean fresh = "1".equals(ctx.queryParam("refresh"));
        support.page(ctx, "Posture", "/posture", null, h -> {
            h.open("form", "method", "get", "action", "/posture", "class", "filters");
            h.open("label").text("Domain");
            h.open("select", "name", "domain", "id", "posture-domain");
            for (String d : known) {
                h.el("option", d, "value", d, "selected", d.equals(domain) ? "selected" : null);
            }
            h.close().close();
            h.el("button", "Check", "type", "submit", "class", "button");
            h.close();
            if (!limited) {
                h.open("form", "method", "get", "action", "/posture", "class", "filters");
                h.open("label").text("Another domain");
                h.empty("input", "type", "text", "name", "domain", "placeholder", "example.com");
                h.close();
                h.el("button", "Check", "type", "submit", "class", "button secondary");
                h.close();
            }
            if (domain == null) {
                h.el("p", "No reports stored yet: pick a domain to check.", "class", "muted");
                return;
            }
            Optional<PostureReport> report = posture.check(domain, fresh);
            if (report.isEmpty()) {
                h.el("p", "DNS checks are off: DMARC Lens runs in offline mode.", "class", "notice");
                return;
            }
            render(h, report.get());
        });
    }

    private static void render(Html h, PostureReport r) {
        List<Finding> findings = r.findings();
        h.open("div", "class", "kpis");
        for (Finding.Severity s : Finding.Severity.values()) {
            long n = findings.stream().filter(f -> f.severity() == s).count();
            h.open("div", "class", "kpi" + (s == Finding.Severity.ERROR && n > 0 ? " bad" : s == Finding.Severity.OK ? " good" : ""),
                    "id", "posture-" + s.token());
            h.el("div", label(s), "class", "label").el("div", n, "class", "value").close();
        }
        h.close();
        h.open("p", "class", "muted").text("Checked " + r.checkedAt() + " ")
                .a("/posture?domain=" + r.domain() + "&refresh=1", "Check again", "class", "button small secondary").close();
        Readiness readiness = r.readiness();
        if (readiness != null) {
            h.open("section", "class", "card", "id", "readiness");
            h.el("h2", "Next step");
            h.el("p", readiness.nextStep(), "class", "notice");
            if (readiness.recordToPublish() != null) {
                h.el("p", "Publish:");
                h.el("pre", "_dmarc." + r.domain() + " TXT \"" + readiness.recordToPublish() + "\"");
            }
            h.el("p", String.format(Locale.ROOT, "%,d messages in the last %d days, %.1f%% passed DMARC.",
                    readiness.messages(), readiness.days(), readiness.compliantShare() * 100), "class", "muted");
            if (!readiness.atRisk().isEmpty()) {
                h.el("h3", "Mail a stricter policy would quarantine or reject");
                h.open("table", "class", "data").open("thead").open("tr");
                for (String col : List.of("Source", "Sender", "Class", "Why", "Failing", "Messages")) {
                    h.el("th", col);
                }
                h.close().close().open("tbody");
                for (PostureData.SourceVolume s : readiness.atRisk()) {
                    h.open("tr").open("td").a("/sources/" + s.sourceIp(), s.sourceIp()).close()
                            .el("td", s.name()).open("td").el("span", s.classification(), "class", "badge " + classBadge(s.classification())).close()
                            .el("td", s.reason()).el("td", String.format(Locale.ROOT, "%,d", s.failing()), "class", "num")
                            .el("td", String.format(Locale.ROOT, "%,d", s.messages()), "class", "num").close();
                }
                h.close().close();
            }
            h.close();
        }
        h.open("section", "class", "card", "id", "findings");
        h.el("h2", "Findings");
        h.open("table", "class", "data").open("thead").open("tr").el("th", "Severity").el("th", "Check").el("th", "What")
                .close().close().open("tbody");
        for (Finding f : findings) {
            h.open("tr", "class", "finding-" + f.severity().token()).open("td")
                    .el("span", f.severity().token(), "class", "badge " + severityBadge(f.severity())).close()
                    .el("td", f.code(), "class", "mono").el("td", f.message()).close();
        }
        h.close().close().close();

        h.open("div", "class", "grid");
        dmarc(h, r.domain(), r.dmarc());
        h.open("section", "class", "card", "id", "spf");
        h.el("h2", String.format(Locale.ROOT, "SPF: %d of 10 DNS lookups, %d void", r.spf().root().totalLookups(),
                r.spf().root().voidLookups()));
        h.open("ul", "class", "spf-tree");
        spf(h, r.spf().root());
        h.close();
        h.close();
        h.close();

        h.open("div", "class", "grid");
        h.open("section", "class", "card", "id", "dkim");
        h.el("h2", "DKIM keys");
        if (r.dkim().isEmpty()) {
            h.el("p", "No selectors seen in reports for this domain yet.", "class", "muted");
        } else {
            h.open("table", "class", "data").open("thead").open("tr").el("th", "Selector").el("th", "Key").el("th", "Seen in reports")
                    .close().close().open("tbody");
            for (DkimKey k : r.dkim()) {
                String key = k.record() == null ? "not published" : k.revoked() ? "revoked"
                        : k.keyType() + " " + k.keyBits() + " bits" + (k.testing() ? " (testing)" : "");
                h.open("tr").el("td", k.selector(), "class", "mono").el("td", key).el("td", k.seenInReports() ? "yes" : "no").close();
            }
            h.close().close();
        }
        h.close();
        h.open("section", "class", "card", "id", "mail");
        h.el("h2", "Mail transport");
        h.open("table", "class", "kv");
        PageSupport.kv(h, "MX", String.join(", ", r.mail().mx()));
        PageSupport.kv(h, "TLS-RPT", r.mail().tlsRpt());
        PageSupport.kv(h, "MTA-STS", r.mail().mtaSts());
        h.close().close();
        h.close();
    }

    private static void dmarc(Html h, String domain, PostureReport.Dmarc dmarc) {
        h.open("section", "class", "card", "id", "dmarc");
        List<DmarcRecord> records = dmarc.records();
        if (records.isEmpty()) {
            h.el("h2", "DMARC: no record");
            h.el("p", "Asked: " + String.join(", ", dmarc.psl().queried()), "class", "muted");
            h.close();
            return;
        }
        if (!dmarc.conflicting()) {
            h.el("h2", "DMARC record at _dmarc." + dmarc.foundAt());
        } else {
            h.el("h2", records.size() + " DMARC records at _dmarc." + dmarc.foundAt());
            h.el("p", "Receivers apply none of them: no policy, no reports. Keep exactly one.", "class", "notice bad",
                    "id", "dmarc-conflict");
        }
        for (int i = 0; i < records.size(); i++) {
            DmarcRecord record = records.get(i);
            int n = i + 1;
            h.open("div", "class", "dmarc-record", "data-record", String.valueOf(n));
            if (dmarc.conflicting()) {
                h.el("h3", "Record " + n);
            }
            h.el("pre", record.raw());
            h.open("table", "class", "data").open("thead").open("tr").el("th", "Tag").el("th", "Value").el("th", "Meaning")
                    .close().close().open("tbody");
            for (DmarcRecord.TagExplanation t : record.tags()) {
                h.open("tr").el("td", t.tag(), "class", "mono")
                        .el("td", (t.value() == null ? "\u2014" : t.value()) + (t.published() ? "" : " (default)"))
                        .el("td", t.meaning()).close();
            }
            h.close().close();
            for (ReportAuthorization a : dmarc.destinations()) {
                if (a.record() == n) {
                    h.el("p", a.tag() + " " + a.address() + ": " + (a.authorized() ? "authorised by " : "not authorised: publish ")
                            + a.queryName(), "class", a.authorized() ? "muted" : "notice bad");
                }
            }
            h.close();
        }
        h.close();
    }

    private static void spf(Html h, SpfNode node) {
        h.open("li");
        h.el("span", node.via().isEmpty() ? node.domain() : node.via(), "class", "mono");
        h.el("span", " " + node.lookups() + " lookup(s), " + node.totalLookups() + " with includes ", "class", "muted");
        h.el("div", node.record() == null ? "(no record)" : node.record(), "class", "mono");
        if (!node.children().isEmpty()) {
            h.open("ul");
            node.children().forEach(c -> spf(h, c));
            h.close();
        }
        h.close();
    }

    private static String label(Finding.Severity s) {
        return switch (s) {
            case ERROR -> "Errors";
            case WARNING -> "Warnings";
            case INFO -> "Notes";
            case OK -> "Passed";
        };
    }

    private static String severityBadge(Finding.Severity s) {
        return switch (s) {
            case ERROR -> "badge-bad";
            case WARNING -> "badge-warn";
            case INFO -> "badge-plain";
            case OK -> "badge-good";
        };
    }

    private static String classBadge(String classification) {
        return switch (classification == null ? "" : classification) {
            case "compliant" -> "badge-good";
            case "forwarded" -> "badge-misc";
            case "misconfigured" -> "badge-warn";
            default -> "badge-bad";
        };
    }
}
