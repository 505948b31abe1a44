package io.dmarclens.web;

import io.dmarclens.store.query.DomainScope;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The filters every page and API call share, read from and written to the query string so that a view
 * can be bookmarked: {@code range=7|30|90|custom}, {@code from}/{@code to} (ISO dates, inclusive, UTC)
 * for a custom range, repeated {@code domain} and {@code reporter}.
 *
 * @param range     the preset ("7", "30", "90") or "custom"
 * @param from      first day, inclusive
 * @param to        last day, inclusive
 * @param domains   policy domains to keep, empty for all
 * @param reporters reporting organisations to keep, empty for all
 * @param scope     the policy domains the reader may see (not from the query string: from the reader's account);
 *                  every store filter made from this one carries it. A chosen domain outside it is kept as
 *                  chosen and simply matches nothing, exactly like a domain that was never stored
 */
public record DashboardFilter(String range, LocalDate from, LocalDate to, List<String> domains,
                              List<String> reporters, DomainScope scope) {
    private static final int MAX_VALUES = 50;
    private static final int MAX_DAYS = 3660;

    public DashboardFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(scope, "scope");
        domains = List.copyOf(domains);
        reporters = List.copyOf(reporters);
    }

    /** Reads the filters of a request for a reader of {@code scope}; a bad value is a 400 that says which. */
    public static DashboardFilter from(Context ctx, Clock clock, DomainScope scope) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String range = Objects.requireNonNullElse(ctx.queryParam("range"), "30");
        LocalDate from;
        LocalDate to;
        switch (range) {
            case "7", "30", "90", "365" -> {
                to = today;
                from = today.minusDays(Integer.parseInt(range) - 1L);
            }
            case "custom" -> {
                from = date(ctx.queryParam("from"), "from", today.minusDays(29));
                to = date(ctx.queryParam("to"), "to", today);
                if (to.isBefore(from)) {
                    throw new BadRequestResponse("the end date " + to + " is before the start date " + from);
                }
                if (from.plusDays(MAX_DAYS).isBefore(to)) {
                    throw new BadRequestResponse("a custom range may span at most " + MAX_DAYS + " days");
                }
            }
            default -> throw new BadRequestResponse("range must be 7, 30, 90, 365 or custom, not '" + range + "'");
        }
        return new DashboardFilter(range, from, to, values(ctx, "domain"), values(ctx, "reporter"), scope);
    }

    /** First second of {@code from}, UTC epoch seconds. */
    public long fromEpochSecond() {
        return from.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** First second after {@code to}, UTC epoch seconds (exclusive end). */
    public long toEpochSecondExclusive() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    /** The filters as a query string without the leading '?', for links that keep them. */
    public String toQuery() {
        StringBuilder b = new StringBuilder("range=").append(enc(range));
        if (range.equals("custom")) {
            b.append("&from=").append(from).append("&to=").append(to);
        }
        domains.forEach(d -> b.append("&domain=").append(enc(d)));
        reporters.forEach(r -> b.append("&reporter=").append(enc(r)));
        return b.toString();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static LocalDate date(String value, String name, LocalDate dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse(name + " must be a date like 2024-05-31, not '" + value + "'");
        }
    }

    private static List<String> values(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String v : ctx.queryParams(name)) {
            if (v != null && !v.isBlank() && !out.contains(v.trim())) {
                out.add(v.trim());
            }
        }
        if (out.size() > MAX_VALUES) {
            throw new BadRequestResponse("at most " + MAX_VALUES + " values of " + name);
        }
        return out;
    }
}
