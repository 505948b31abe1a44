package io.dmarclens.alerts.rules;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.ReportFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * What one evaluation sees: the store, the moment, the windows of days it compares, and the rules' memory.
 * The current window is the {@code windowDays} UTC days ending today (reports of a day arrive the next
 * day); the baseline is the {@code baselineDays} days before it.
 *
 * @param store             the report store (read models only)
 * @param now               the evaluation's moment, from the injected clock
 * @param windowDays        days of the current window, today included
 * @param baselineDays      days of the baseline before it
 * @param minHistoryDays    days with reports a baseline needs before rules compare against it
 * @param excludeUnverified leave reports of unverified origin out (as the dashboard's figures do)
 * @param memory            the rules' durable memory
 */
public record RuleContext(Store store, Instant now, int windowDays, int baselineDays, int minHistoryDays,
                          boolean excludeUnverified, RuleMemory memory) {

    public LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    /** First day of the current window. */
    public LocalDate windowStart() {
        return today().minusDays(windowDays - 1L);
    }

    /** First day of the baseline. */
    public LocalDate baselineStart() {
        return windowStart().minusDays(baselineDays);
    }

    /** Last day of the baseline (the day before the window). */
    public LocalDate baselineEnd() {
        return windowStart().minusDays(1);
    }

    /** The store's filter for one domain over days {@code from} to {@code to}. */
    public ReportFilter filter(String domain, LocalDate from, LocalDate to) {
        return new ReportFilter(from, to, Set.of(domain), Set.of(), excludeUnverified);
    }

    /** The current window of one domain. */
    public ReportFilter window(String domain) {
        return filter(domain, windowStart(), today());
    }

    /** The baseline of one domain. */
    public ReportFilter baseline(String domain) {
        return filter(domain, baselineStart(), baselineEnd());
    }

    /** Whether the domain's baseline holds reports on enough days to compare against. */
    public boolean hasHistory(String domain) {
        return store.overview().daily(baseline(domain)).size() >= minHistoryDays;
    }

    /** The first instant of a UTC day. */
    public static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
