package io.dmarclens.web.pages;

import io.dmarclens.store.Authenticity;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.DomainScope;
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
    private static final int MAX_CACHED_SCOPES = 256;
    /** One view per request, so that a raw download is granted by the report found in the same request. */
    private static final String READS = "dmarclens.reads";

    /**
     * The filter bar's lists scan all data; a minute old is fresh enough and keeps pages fast. One entry per
     * scope: readers of different domains never share a list.
     */
    private final java.util.concurrent.ConcurrentHashMap<DomainScope, CachedOptions> options = new java.util.concurrent.ConcurrentHashMap<>();

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

    /**
     * The store as this request's reader may see it. Handlers read through this view only: it bounds every
     * answer by the reader's domain scope.
     */
    public ScopedReads reads(Context ctx) {
        ScopedReads reads = ctx.attribute(READS);
        if (reads == null) {
            reads = new ScopedReads(store, scope(ctx));
            ctx.attribute(READS, reads);
        }
        return reads;
    }

    /** The store as the reader of a dashboard filter may see it (for figures that need no object by id). */
    public ScopedReads reads(DashboardFilter f) {
        return new ScopedReads(store, f.scope());
    }

    /** The policy domains the request's reader may see. */
    public static DomainScope scope(Context ctx) {
        return AuthGate.principal(ctx).scope();
    }

    public Clock clock() {
        return clock;
    }

    /** The dashboard filters of a request, with the reader's scope (which every store filter built from it carries). */
    public DashboardFilter filter(Context ctx) {
        return DashboardFilter.from(ctx, clock, scope(ctx));
    }

    /**
     * The store's filter for the dashboard filter; domains and reporters only pass as values. Every figure
     * goes through here, so the setting on unverified reports and the reader's scope reach them all.
     */
    public ReportFilter reportFilter(DashboardFilter f) {
        return new ReportFilter(f.from(), f.to(), new HashSet<>(f.domains()), new HashSet<>(f.reporters()),
                excludesUnverified(), f.scope());
    }

    public ReportFilter reportFilter(Context ctx) {
        return reportFilter(filter(ctx));
    }

    /** Domains and reporters of the reader's scope, for the filter bar. */
    public Layout.FilterOptions options(Context ctx) {
        DomainScope scope = scope(ctx);
        java.time.Instant now = clock.instant();
        CachedOptions cached = options.get(scope);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.value();
        }
        Layout.FilterOptions fresh = loadOptions(reads(ctx));
        if (options.size() >= MAX_CACHED_SCOPES) {
            options.clear();
        }
        options.put(scope, new CachedOptions(fresh, now.plus(OPTIONS_TTL)));
        return fresh;
    }

    private static Layout.FilterOptions loadOptions(ScopedReads reads) {
        List<String> domains = reads.policyImpact(ReportFilter.all()).stream().map(PolicyImpact::domain)
                .distinct().sorted().toList();
        List<String> reporters = reads.reporters(ReportFilter.all(), Page.first(500)).stream()
                .map(ReporterStats::reporter).distinct().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        return new Layout.FilterOptions(domains, reporters);
    }

    /** Renders a page with the filter bar. */
    public void page(Context ctx, String title, String active, DashboardFilter filter, Consumer<Html> body) {
        html(ctx, Layout.page(title, active, AuthGate.principal(ctx), filter, filter == null ? null : options(ctx), body));
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
