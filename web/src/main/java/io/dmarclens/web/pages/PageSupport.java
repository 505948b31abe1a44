package io.dmarclens.web.pages;

import io.dmarclens.store.Authenticity;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReporterStats;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.UnverifiedReports;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.html.Html;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/** What every page and API handler needs: the store, the filters of the request, the page frame. */
public final class PageSupport {
    private static final java.time.Duration OPTIONS_TTL = java.time.Duration.ofSeconds(60);

    private final Store store;
    private final Clock clock;
    private final UnverifiedReports unverified;
    /** The filter bar's lists scan all data; a minute old is fresh enough and keeps pages fast. */
    private final java.util.concurrent.atomic.AtomicReference<CachedOptions> options = new java.util.concurrent.atomic.AtomicReference<>();

    private record CachedOptions(Layout.FilterOptions value, java.time.Instant until) {
    }

    public PageSupport(Store store, Clock clock) {
        this(store, clock, UnverifiedReports.INCLUDED);
    }

    /** @param unverified whether reports of unverified origin count in the figures */
    public PageSupport(Store store, Clock clock, UnverifiedReports unverified) {
        this.store = store;
        this.clock = clock;
        this.unverified = java.util.Objects.requireNonNull(unverified, "unverified");
    }

    /** Whether the figures leave unverified reports out (setting {@code reports.exclude_unverified}). */
    public boolean excludesUnverified() {
        return unverified == UnverifiedReports.EXCLUDED;
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public DashboardFilter filter(Context ctx) {
        return DashboardFilter.from(ctx, clock);
    }

    /**
     * The store's filter for the dashboard filter; domains and reporters only pass as values. Every figure
     * goes through here, so the setting on unverified reports reaches them all.
     */
    public ReportFilter reportFilter(DashboardFilter f) {
        return new ReportFilter(f.from(), f.to(), new HashSet<>(f.domains()), new HashSet<>(f.reporters()),
                excludesUnverified());
    }

    public ReportFilter reportFilter(Context ctx) {
        return reportFilter(filter(ctx));
    }

    /** Domains and reporters known to the store, for the filter bar. */
    public Layout.FilterOptions options() {
        java.time.Instant now = clock.instant();
        CachedOptions cached = options.get();
        if (cached != null && now.isBefore(cached.until())) {
            return cached.value();
        }
        Layout.FilterOptions fresh = loadOptions();
        options.set(new CachedOptions(fresh, now.plus(OPTIONS_TTL)));
        return fresh;
    }

    private Layout.FilterOptions loadOptions() {
        List<String> domains = store.domains().policyImpact(ReportFilter.all()).stream().map(PolicyImpact::domain)
                .distinct().sorted().toList();
        List<String> reporters = store.reporters().reporters(ReportFilter.all(), Page.first(500)).stream()
                .map(ReporterStats::reporter).distinct().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        return new Layout.FilterOptions(domains, reporters);
    }

    /** Renders a page with the filter bar. */
    public void page(Context ctx, String title, String active, DashboardFilter filter, Consumer<Html> body) {
        html(ctx, Layout.page(title, active, AuthGate.principal(ctx), filter, filter == null ? null : options(), body));
    }

    public static void html(Context ctx, String html) {
        ctx.contentType("text/html; charset=utf-8").result(html);
    }

    /** A numeric path parameter, 404 when it is not one. */
    public static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no such " + name);
        }
    }

    /** A key/value table row; null values show as a dash. */
    public static void kv(Html h, String key, Object value) {
        h.open("tr").el("th", key).el("td", value == null || value.toString().isEmpty() ? "\u2014" : value).close();
    }

    /**
     * The "Origin" row of a report's key-value table: the verdict on the report mail's origin as a badge
     * ({@code data-origin} holds its code) and the reason beside it.
     */
    public static void originRow(Html h, Authenticity a) {
        h.open("tr").el("th", "Origin").open("td");
        String origin = a.verdict().code();
        h.el("span", origin, "class", "badge badge-" + switch (a.verdict()) {
            case VERIFIED -> "good";
            case UNVERIFIED -> "bad";
            default -> "plain";
        }, "data-origin", origin);
        h.text(" " + a.reason());
        h.close().close();
    }

    /** A store page window from an offset and limit. */
    public static Page window(int offset, int limit) {
        return new Page(offset, Math.min(limit, Page.MAX_LIMIT));
    }

    /**
     * The last moment a report range covers, for showing as a date: many reporters end a day's report at
     * the next midnight (exclusive), which would otherwise show as the day after.
     */
    static java.time.Instant lastDay(java.time.Instant end) {
        return end.getEpochSecond() % 86_400 == 0 ? end.minusSeconds(1) : end;
    }
}
