package io.dmarclens.web.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.web.AlertsConsole;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.html.Html;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Alerts page: open, acknowledged and resolved alerts, filterable by domain, rule and state; one alert
 * with its evidence, notices and an acknowledge form (with a comment); the rules in force with their
 * thresholds. JSON API beside it (docs/api.md).
 */
public final class AlertsRoutes implements RouteModule {
    private static final int MAX_COMMENT = 2000;
    private static final int MAX_ALERTS = 1000;
    /** The alert list, shared by the page, {@code /api/alerts} and its CSV export. */
    static final Table<Alert> ALERTS = new Table<>("alerts", List.of(
            Column.<Alert>badge("state", "State", a -> stateLabel(a.state())).sortable(),
            Column.<Alert>text("rule", "Rule", Alert::rule).sortable(),
            Column.<Alert>text("domain", "Domain", Alert::domain).sortable(),
            new Column<Alert>("summary", "What", Column.Kind.TEXT, null, Alert::summary, a -> "/alerts/" + a.id()),
            Column.<Alert>dateTime("since", "Since", Alert::since).sortable(),
            Column.<Alert>dateTime("openedAt", "Opened", Alert::openedAt).sortable(),
            Column.<Alert>dateTime("updatedAt", "Last seen", Alert::updatedAt).sortable(),
            Column.<Alert>dateTime("resolvedAt", "Resolved", Alert::resolvedAt).sortable(),
            Column.<Alert>number("amount", "How much", Alert::amount).sortable(),
            Column.<Alert>text("acknowledgedBy", "Acknowledged by", Alert::acknowledgedBy),
            Column.<Alert>text("comment", "Comment", Alert::comment),
            Column.<Alert>number("id", "Id", Alert::id).sortable()),
            new Rows.Sort("openedAt", true), 50);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PageSupport support;
    private final AlertsConsole alerts;

    /** @param alerts the alerts, or null when they are off ({@code alerts.enabled: false}) */
    public AlertsRoutes(PageSupport support, AlertsConsole alerts) {
        this.support = support;
        this.alerts = alerts;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/alerts", this::list);
        routes.get("/alerts/{id}", this::detail);
        routes.post("/alerts/{id}/acknowledge", this::acknowledgeForm);
        routes.get("/api/alerts", ctx -> ctx.json(ALERTS.json(ctx, ALERTS.memory(query(ctx)))));
        routes.get("/api/alerts.csv", ctx -> ALERTS.csv(ctx, ALERTS.memory(query(ctx))));
        routes.get("/api/alerts/rules", ctx -> ctx.json(Map.of("rules", rules().stream().map(AlertsRoutes::json).toList())));
        routes.get("/api/alerts/{id}", ctx -> {
            Alert a = find(ctx);
            Map<String, Object> body = json(a);
            body.put("notices", console().outbox().forAlert(a.id()).stream().map(this::deliveryJson).toList());
            ctx.json(body);
        });
        routes.post("/api/alerts/{id}/acknowledge", ctx -> ctx.json(json(acknowledge(ctx, comment(ctx)))));
        routes.get("/outbox", this::outbox);
        routes.get("/api/outbox", ctx -> ctx.json(Map.of("notices", notices(ctx, console()).stream()
                .map(this::deliveryJson).toList())));
    }

    /** Notices and digests in the outbox shown on the delivery page, newest first. */
    private static final int OUTBOX_ROWS = 200;

    /** A notice with its delivery state and the channels it reached (mail recipients, hooks). */
    private Map<String, Object> deliveryJson(Outbox.QueuedNotice n) {
        Map<String, Object> m = json(n);
        m.put("domain", n.notice().domain());
        m.put("alert_id", n.notice().alertId() == 0 ? null : n.notice().alertId());
        m.put("next_attempt", n.nextAttempt());
        m.put("channels", List.copyOf(console().outbox().channelsDone(n.id())));
        return m;
    }

    private static String deliveryState(Outbox.QueuedNotice n) {
        return n.isDelivered() ? "delivered " + time(n.deliveredAt())
                : "waiting" + (n.attempts() > 0 ? " (" + n.attempts() + " failed attempts, next " + time(n.nextAttempt())
                + ": " + n.lastError() + ")" : "");
    }

    /**
     * The newest notices the reader may see: those about a domain in their scope. Notices about DMARC Lens itself
     * and digests across all domains name other domains, so only a reader of every domain sees them.
     */
    private static List<Outbox.QueuedNotice> notices(Context ctx, AlertsConsole alerts) {
        DomainScope scope = PageSupport.scope(ctx);
        return alerts.outbox().recent(OUTBOX_ROWS).stream().filter(n -> scope.permits(n.notice().domain())).toList();
    }

    private void outbox(Context ctx) {
        List<Outbox.QueuedNotice> notices = alerts == null ? List.of() : notices(ctx, alerts);
        support.page(ctx, "Alert delivery", "/alerts", null, h -> {
            h.el("p", "Every alert notice and digest is written here before it is sent, and sent to each mail "
                    + "recipient and web hook once; a relay or hook that is down is tried again with a growing wait."
                    + " JSON: /api/outbox.", "class", "muted");
            h.open("section", "class", "card", "id", "outbox");
            h.el("h2", "Notices and digests");
            h.open("table", "class", "data").open("thead").open("tr");
            for (String col : List.of("Kind", "Domain", "Subject", "Written", "Delivery", "Reached")) {
                h.el("th", col);
            }
            h.close().close().open("tbody");
            for (Outbox.QueuedNotice n : notices) {
                h.open("tr", "data-delivered", Boolean.toString(n.isDelivered()))
                        .el("td", n.notice().kind().name().toLowerCase(Locale.ROOT))
                        .el("td", domainLabel(n.notice().domain()));
                h.open("td");
                if (n.notice().alertId() > 0) {
                    h.a("/alerts/" + n.notice().alertId(), n.notice().subject());
                } else {
                    h.text(n.notice().subject());
                }
                h.close().el("td", time(n.notice().createdAt())).el("td", deliveryState(n))
                        .el("td", String.join(", ", alerts.outbox().channelsDone(n.id())), "class", "mono").close();
            }
            h.close().close().close();
        });
    }

    private AlertsConsole console() {
        if (alerts == null) {
            throw new NotFoundResponse("alerts are off (alerts.enabled: false)");
        }
        return alerts;
    }

    private List<AlertRule> rules() {
        return alerts == null ? List.of() : alerts.rules();
    }

    /** The request's filters: state (open, acknowledged, resolved, unresolved), domain, rule. */
    private List<Alert> query(Context ctx) {
        String state = ctx.queryParam("state");
        Set<AlertState> states = switch (state == null ? "" : state.toLowerCase(Locale.ROOT)) {
            case "" -> Set.of();
            case "open" -> Set.of(AlertState.OPEN);
            case "acknowledged" -> Set.of(AlertState.ACKNOWLEDGED);
            case "unresolved" -> Set.of(AlertState.OPEN, AlertState.ACKNOWLEDGED);
            case "resolved" -> Set.of(AlertState.RESOLVED);
            default -> throw new BadRequestResponse("state must be open, acknowledged, unresolved or resolved");
        };
        String domain = blankToNull(ctx.queryParam("domain"));
        String rule = blankToNull(ctx.queryParam("rule"));
        if (rule != null && rules().stream().noneMatch(r -> r.id().equals(rule))) {
            throw new BadRequestResponse("no rule named '" + rule + "'; see /api/alerts/rules");
        }
        // the newest MAX_ALERTS of the filter; the table pages and sorts them. Only alerts of the reader's
        // domains: a service alert ('*') is about DMARC Lens as a whole, for readers of every domain.
        DomainScope scope = PageSupport.scope(ctx);
        return console().log().alerts(new AlertQuery(states, domain == null ? null : domain.toLowerCase(Locale.ROOT),
                rule, 0, MAX_ALERTS)).stream().filter(a -> scope.permits(a.domain())).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private Alert find(Context ctx) {
        long id = PageSupport.id(ctx, "id");
        return console().log().alert(id).filter(a -> PageSupport.scope(ctx).permits(a.domain()))
                .orElseThrow(() -> new NotFoundResponse("no alert with id " + id));
    }

    private String comment(Context ctx) {
        String comment = ctx.formParam("comment");
        if ((comment == null || comment.isBlank()) && ctx.contentType() != null
                && ctx.contentType().startsWith("application/json")) {
            try {
                JsonNode body = JSON.readTree(ctx.body());
                comment = body != null && body.hasNonNull("comment") ? body.get("comment").asText() : null;
            } catch (java.io.IOException e) {
                throw new BadRequestResponse("the body is not JSON: send {\"comment\": \"...\"}");
            }
        }
        if (comment == null || comment.isBlank()) {
            throw new BadRequestResponse("a comment is required: say what was done or why the alert is expected");
        }
        comment = comment.strip();
        if (comment.length() > MAX_COMMENT) {
            throw new BadRequestResponse("the comment is longer than " + MAX_COMMENT + " characters");
        }
        return comment;
    }

    private Alert acknowledge(Context ctx, String comment) {
        Alert a = find(ctx);
        return console().log().acknowledge(a.id(), AuthGate.principal(ctx).user(), comment, support.clock().instant())
                .orElseThrow(() -> new BadRequestResponse("alert " + a.id() + " is resolved: there is nothing to acknowledge"));
    }

    private void acknowledgeForm(Context ctx) {
        String comment = comment(ctx);
        Alert a = acknowledge(ctx, comment);
        ctx.redirect("/alerts/" + a.id() + "?notice=acknowledged", HttpStatus.SEE_OTHER);
    }

    // ---- pages

    private void list(Context ctx) {
        List<Alert> list = alerts == null ? List.of() : query(ctx);
        support.page(ctx, "Alerts", "/alerts", null, h -> {
            if (alerts == null) {
                h.el("p", "Alerts are off (alerts.enabled: false in the configuration).", "class", "notice");
                return;
            }
            Map<AlertState, Long> counts = counts(ctx);
            h.open("div", "class", "kpis");
            kpi(h, "Open", counts.get(AlertState.OPEN), counts.get(AlertState.OPEN) > 0 ? " bad" : " good", "alerts-open");
            kpi(h, "Acknowledged", counts.get(AlertState.ACKNOWLEDGED), "", "alerts-acknowledged");
            kpi(h, "Resolved", counts.get(AlertState.RESOLVED), "", "alerts-resolved");
            h.close();
            filters(h, ctx);
            h.open("section", "class", "card", "id", "alerts");
            h.el("h2", "Alerts");
            ALERTS.render(h, ctx, ALERTS.memory(list), "/api/alerts.csv");
            h.close();
            rulesCard(h);
            h.open("p", "id", "delivery-link").a("/outbox", "Delivery of notices and digests").close();
        });
    }

    /** Alerts per state: all of them for a reader of every domain, else counted over the reader's domains. */
    private Map<AlertState, Long> counts(Context ctx) {
        DomainScope scope = PageSupport.scope(ctx);
        if (scope.isAll()) {
            return alerts.log().countByState();
        }
        Map<AlertState, Long> counts = new java.util.EnumMap<>(AlertState.class);
        for (AlertState s : AlertState.values()) {
            counts.put(s, 0L);
        }
        for (int offset = 0; ; offset += 1000) {
            List<Alert> page = alerts.log().alerts(new AlertQuery(Set.of(), null, null, offset, 1000));
            for (Alert a : page) {
                if (scope.permits(a.domain())) {
                    counts.merge(a.state(), 1L, Long::sum);
                }
            }
            if (page.size() < 1000) {
                break;
            }
        }
        return counts;
    }

    private void filters(Html h, Context ctx) {
        String state = ctx.queryParam("state");
        String domain = ctx.queryParam("domain");
        String rule = ctx.queryParam("rule");
        DomainScope scope = PageSupport.scope(ctx);
        TreeSet<String> domains = new TreeSet<>(support.options(ctx).domains());
        alerts.log().alerts(AlertQuery.all(1000)).stream().filter(a -> scope.permits(a.domain()))
                .forEach(a -> domains.add(a.domain()));
        h.open("form", "method", "get", "action", "/alerts", "class", "filters", "id", "alert-filters");
        h.open("label").text("State");
        h.open("select", "name", "state");
        option(h, "", "all", state);
        for (String s : List.of("unresolved", "open", "acknowledged", "resolved")) {
            option(h, s, s, state);
        }
        h.close().close();
        h.open("label").text("Domain");
        h.open("select", "name", "domain");
        option(h, "", "all", domain);
        for (String d : domains) {
            option(h, d, domainLabel(d), domain);
        }
        h.close().close();
        h.open("label").text("Rule");
        h.open("select", "name", "rule");
        option(h, "", "all", rule);
        for (AlertRule r : alerts.rules()) {
            option(h, r.id(), r.title(), rule);
        }
        h.close().close();
        h.el("button", "Show", "type", "submit", "class", "button");
        h.close();
    }

    private static void option(Html h, String value, String label, String selected) {
        h.el("option", label, "value", value, "selected", value.equals(selected == null ? "" : selected) ? "selected" : null);
    }

    private void rulesCard(Html h) {
        h.open("section", "class", "card", "id", "rules");
        h.el("h2", "Rules in force");
        h.el("p", "Every rule runs every " + alerts.evaluateEvery().toMinutes() + " minutes; the rules about reports"
                + " also run after each commit of reports. One alert per rule and domain while its condition holds; it"
                + " resolves by itself when the condition clears.", "class", "muted");
        h.open("table", "class", "data").open("thead").open("tr");
        for (String col : List.of("Rule", "Scope", "Runs", "Thresholds", "Cooldown")) {
            h.el("th", col);
        }
        h.close().close().open("tbody");
        for (AlertRule r : alerts.rules()) {
            h.open("tr", "data-rule", r.id());
            h.open("td").el("strong", r.title()).el("div", r.id(), "class", "mono muted").close();
            h.el("td", r.scope() == AlertRule.Scope.DOMAIN ? "each domain" : "DMARC Lens itself");
            h.el("td", r.afterCommits() ? "after commits and on schedule" : "on schedule");
            h.open("td").open("ul", "class", "plain");
            for (AlertRule.Threshold t : r.thresholds()) {
                h.open("li").el("span", t.key() + " = " + t.value(), "class", "mono").text(": " + t.description()).close();
            }
            h.close().close();
            h.el("td", r.cooldown().isZero() ? "none" : r.cooldown().toHours() + " h");
            h.close();
        }
        h.close().close().close();
    }

    private void detail(Context ctx) {
        Alert a = find(ctx);
        List<Outbox.QueuedNotice> notices = console().outbox().forAlert(a.id());
        support.page(ctx, "Alert " + a.id() + ": " + title(a.rule()), "/alerts", null, h -> {
            if ("acknowledged".equals(ctx.queryParam("notice"))) {
                h.el("p", "Acknowledged.", "class", "notice", "id", "acknowledged");
            }
            h.open("section", "class", "card", "id", "alert");
            h.open("p").el("span", stateLabel(a.state()), "class", "badge " + stateBadge(a.state())).text(" " + a.summary()).close();
            h.open("table", "class", "kv");
            PageSupport.kv(h, "Rule", title(a.rule()) + " (" + a.rule() + ")");
            PageSupport.kv(h, "Domain", domainLabel(a.domain()));
            PageSupport.kv(h, "Since", time(a.since()));
            PageSupport.kv(h, "Opened", time(a.openedAt()));
            PageSupport.kv(h, "Last seen", time(a.updatedAt()) + " (" + a.evaluations() + " evaluations)");
            PageSupport.kv(h, "Resolved", a.resolvedAt() == null ? null : time(a.resolvedAt()));
            PageSupport.kv(h, "How much", a.amount());
            PageSupport.kv(h, "Acknowledged", a.acknowledgedBy() == null ? null
                    : a.acknowledgedBy() + " at " + time(a.acknowledgedAt()) + ": " + a.comment());
            h.close();
            h.close();
            notices.stream().filter(n -> n.notice().kind() == Notice.Kind.OPENED).findFirst().ifPresent(n -> {
                h.open("section", "class", "card", "id", "alert-text");
                h.el("h2", "What the alert says");
                h.el("pre", n.notice().text(), "class", "alert-text");
                h.el("h3", "In the dashboard");
                h.open("ul");
                for (Notice.DashboardLink l : n.notice().links()) {
                    h.open("li").a(l.path(), l.label()).close();
                }
                h.close();
                h.close();
            });
            if (a.unresolved()) {
                h.open("section", "class", "card", "id", "acknowledge");
                h.el("h2", "Acknowledge");
                h.open("form", "method", "post", "action", "/alerts/" + a.id() + "/acknowledge");
                h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", AuthGate.principal(ctx).csrfToken());
                h.open("label", "for", "ack-comment").text("Comment (what was done, or why it is expected)").close();
                h.open("div").el("textarea", "", "name", "comment", "id", "ack-comment", "rows", "3", "cols", "80",
                        "maxlength", String.valueOf(MAX_COMMENT), "required", "required").close();
                h.el("button", "Acknowledge", "type", "submit", "class", "button");
                h.close();
                h.close();
            }
            h.open("section", "class", "card", "id", "evidence");
            h.el("h2", "Evidence");
            h.el("pre", pretty(a.evidence()));
            h.close();
            h.open("section", "class", "card", "id", "notices");
            h.el("h2", "Notices");
            h.open("table", "class", "data").open("thead").open("tr");
            for (String col : List.of("Kind", "Subject", "Written", "Delivery")) {
                h.el("th", col);
            }
            h.close().close().open("tbody");
            for (Outbox.QueuedNotice n : notices) {
                h.open("tr").el("td", n.notice().kind().name().toLowerCase(Locale.ROOT)).el("td", n.notice().subject())
                        .el("td", time(n.notice().createdAt()))
                        .el("td", deliveryState(n))
                        .close();
            }
            h.close().close().close();
            h.a("/alerts?" + "domain=" + DashboardFilter.enc(a.domain()) + "&rule=" + DashboardFilter.enc(a.rule()),
                    "All alerts of this rule and domain");
        });
    }

    private static void kpi(Html h, String label, long n, String cls, String id) {
        h.open("div", "class", "kpi" + cls, "id", id).el("div", label, "class", "label").el("div", n, "class", "value").close();
    }

    private String title(String rule) {
        return rules().stream().filter(r -> r.id().equals(rule)).map(AlertRule::title).findFirst().orElse(rule);
    }

    private static String domainLabel(String domain) {
        return AlertLog.ALL_DOMAINS.equals(domain) ? "(DMARC Lens)" : domain;
    }

    private static String stateLabel(AlertState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String stateBadge(AlertState s) {
        return switch (s) {
            case OPEN -> "badge-bad";
            case ACKNOWLEDGED -> "badge-warn";
            case RESOLVED -> "badge-good";
        };
    }

    private static String time(Instant t) {
        return t == null ? "\u2014" : t.toString().replace('T', ' ').replace("Z", "");
    }

    private static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (java.io.IOException e) {
            return json;
        }
    }

    // ---- JSON

    static Map<String, Object> json(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("rule", a.rule());
        m.put("domain", a.domain());
        m.put("state", a.state().name().toLowerCase(Locale.ROOT));
        m.put("summary", a.summary());
        m.put("since", a.since());
        m.put("opened_at", a.openedAt());
        m.put("updated_at", a.updatedAt());
        m.put("resolved_at", a.resolvedAt());
        m.put("amount", a.amount());
        m.put("evaluations", a.evaluations());
        m.put("acknowledged_by", a.acknowledgedBy());
        m.put("acknowledged_at", a.acknowledgedAt());
        m.put("comment", a.comment());
        try {
            m.put("evidence", JSON.readTree(a.evidence()));
        } catch (java.io.IOException e) {
            m.put("evidence", a.evidence());
        }
        return m;
    }

    private static Map<String, Object> json(Outbox.QueuedNotice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("kind", n.notice().kind().name().toLowerCase(Locale.ROOT));
        m.put("subject", n.notice().subject());
        m.put("created_at", n.notice().createdAt());
        m.put("delivered_at", n.deliveredAt());
        m.put("attempts", n.attempts());
        m.put("last_error", n.lastError());
        m.put("links", n.notice().links().stream().map(l -> Map.of("label", l.label(), "path", l.path())).toList());
        return m;
    }

    private static Map<String, Object> json(AlertRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("title", r.title());
        m.put("scope", r.scope().name().toLowerCase(Locale.ROOT));
        m.put("after_commits", r.afterCommits());
        m.put("cooldown_seconds", r.cooldown().toSeconds());
        List<Map<String, String>> thresholds = new ArrayList<>();
        r.thresholds().forEach(t -> thresholds.add(Map.of("key", t.key(), "value", t.value(), "description", t.description())));
        m.put("thresholds", thresholds);
        m.put("why", r.why());
        return m;
    }
}
