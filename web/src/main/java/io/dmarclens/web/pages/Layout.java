package io.dmarclens.web.pages;

import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.Principal;
import io.dmarclens.web.html.Html;

import java.util.List;
import java.util.function.Consumer;

/**
 * The frame of every dashboard page: head with the stylesheet and scripts (all static files, nothing
 * inline, so the Content-Security-Policy can forbid inline scripts), navigation, the shared filter bar.
 */
public final class Layout {
    /** The pages in the navigation: path and label. */
    public static final List<String[]> NAV = List.of(
            new String[]{"/", "Overview"}, new String[]{"/sources", "Sources"},
            new String[]{"/forwarding", "Forwarding"}, new String[]{"/domains", "Domains"},
            new String[]{"/posture", "Posture"},
            new String[]{"/reporters", "Reporters"}, new String[]{"/reports", "Reports"},
            new String[]{"/failures", "Failure reports"}, new String[]{"/tls", "TLS reports"},
            new String[]{"/search", "Search"}, new String[]{"/alerts", "Alerts"}, new String[]{"/ingest", "Ingest"});

    public static final String CHART_JS = "/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

    private Layout() {
    }

    /**
     * A whole page.
     *
     * @param active  the navigation path to highlight
     * @param filter  the filters to show, or null for pages without them
     * @param options the domains and reporters the filter can offer
     */
    public static String page(String title, String active, Principal who, DashboardFilter filter,
                              FilterOptions options, Consumer<Html> body) {
        Html h = new Html().doctype();
        h.open("html", "lang", "en");
        h.open("head");
        h.empty("meta", "charset", "utf-8");
        h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        h.el("title", title + " \u00B7 DMARC Lens");
        h.empty("link", "rel", "stylesheet", "href", "/static/app.css");
        h.empty("link", "rel", "icon", "href", "/static/favicon.svg", "type", "image/svg+xml");
        h.el("script", "", "src", CHART_JS, "defer", "");
        h.el("script", "", "src", "/static/app.js", "defer", "");
        h.close();
        h.open("body", "data-csrf", who == null ? "" : who.csrfToken());
        h.open("header", "class", "topbar");
        h.open("a", "href", "/" + (filter == null ? "" : "?" + filter.toQuery()), "class", "brand");
        h.el("span", "", "class", "logo", "aria-hidden", "true");
        h.text("DMARC Lens").close();
        h.open("nav", "class", "mainnav");
        for (String[] item : NAV) {
            String href = item[0] + (filter == null ? "" : "?" + filter.toQuery());
            h.a(href, item[1], "class", item[0].equals(active) ? "active" : null);
        }
        if (who != null && who.role() == io.dmarclens.store.users.Role.ADMIN) {
            h.a("/users", "Users", "class", "/users".equals(active) ? "active" : null);
            h.a("/audit", "Audit log", "class", "/audit".equals(active) ? "active" : null);
        }
        h.close();
        if (who != null) {
            h.open("form", "method", "post", "action", "/logout", "class", "logout");
            h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", who.csrfToken());
            h.a("/account/two-factor", who.user() + " (" + who.role().id() + ")", "class", "user",
                    "title", "Your two-factor login");
            h.a("/account/tokens", "My tokens", "class", "user", "id", "my-tokens");
            h.el("button", "Log out", "type", "submit", "class", "link");
            h.close();
        }
        h.close();
        h.open("main");
        h.el("h1", title);
        if (filter != null) {
            filterBar(h, filter, options);
        }
        body.accept(h);
        h.close();
        h.open("footer").text("DMARC Lens \u00B7 all times UTC").close();
        h.close().close();
        return h.toString();
    }

    private static void filterBar(Html h, DashboardFilter f, FilterOptions options) {
        h.open("form", "method", "get", "class", "filters", "id", "filters");
        h.open("label").text("Period ");
        h.open("select", "name", "range", "id", "range");
        for (String[] r : new String[][]{{"7", "Last 7 days"}, {"30", "Last 30 days"}, {"90", "Last 90 days"},
                {"365", "Last 365 days"}, {"custom", "Custom"}}) {
            h.el("option", r[1], "value", r[0], "selected", f.range().equals(r[0]) ? "selected" : null);
        }
        h.close().close();
        h.open("label", "class", "custom-range").text("From ");
        h.empty("input", "type", "date", "name", "from", "value", f.from().toString());
        h.close();
        h.open("label", "class", "custom-range").text("To ");
        h.empty("input", "type", "date", "name", "to", "value", f.to().toString());
        h.close();
        multi(h, "domain", "Domains", options.domains(), f.domains());
        multi(h, "reporter", "Reporters", options.reporters(), f.reporters());
        h.el("button", "Apply", "type", "submit", "class", "button");
        h.el("span", f.from() + " \u2013 " + f.to(), "class", "muted period");
        h.close();
    }

    private static void multi(Html h, String name, String label, List<String> all, List<String> chosen) {
        h.open("details", "class", "multi");
        h.el("summary", chosen.isEmpty() ? label + ": all" : label + ": " + String.join(", ", chosen));
        h.open("div", "class", "multi-list");
        java.util.LinkedHashSet<String> values = new java.util.LinkedHashSet<>(chosen);
        values.addAll(all);
        for (String v : values) {
            h.open("label");
            h.empty("input", "type", "checkbox", "name", name, "value", v,
                    "checked", chosen.contains(v) ? "checked" : null);
            h.text(" " + v).close();
        }
        if (values.isEmpty()) {
            h.el("span", "none yet", "class", "muted");
        }
        h.close().close();
    }

    /** The domains and reporters offered by the filter bar. */
    public record FilterOptions(List<String> domains, List<String> reporters) {
        public static final FilterOptions NONE = new FilterOptions(List.of(), List.of());
    }
}
