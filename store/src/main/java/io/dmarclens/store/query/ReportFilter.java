package io.dmarclens.store.query;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which reports a query looks at: a range of UTC days (both ends inclusive, either may be null for
 * open), policy domains and reporters (empty = all), and whether reports mailed in without a verified
 * origin count. Domains compare case-insensitively.
 *
 * @param from              first day, or null
 * @param to                last day, or null
 * @param domains           policy domains, empty for all
 * @param reporters         reporting organisations (as in reports' org_name), empty for all
 * @param excludeUnverified leave out the reports whose verdict is {@code Authenticity.Verdict#UNVERIFIED}
 *                          (every read model honours it: totals, series, sources, lists)
 * @param scope             the policy domains the reader may see ({@link DomainScope#all()} when unlimited); unlike
 *                          {@code domains}, which the reader chose, it is authorisation and bounds every answer
 */
public record ReportFilter(LocalDate from, LocalDate to, Set<String> domains, Set<String> reporters,
                           boolean excludeUnverified, DomainScope scope) {
    public ReportFilter {
        scope = scope == null ? DomainScope.all() : scope;
        domains = domains == null ? Set.of()
                : domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        reporters = reporters == null ? Set.of() : Set.copyOf(reporters);
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the range ends (" + to + ") before it begins (" + from + ")");
        }
    }

    /** Every report, verified or not. */
    public ReportFilter(LocalDate from, LocalDate to, Set<String> domains, Set<String> reporters) {
        this(from, to, domains, reporters, false, DomainScope.all());
    }

    public ReportFilter(LocalDate from, LocalDate to, Set<String> domains, Set<String> reporters,
                        boolean excludeUnverified) {
        this(from, to, domains, reporters, excludeUnverified, DomainScope.all());
    }

    /** Everything stored. */
    public static ReportFilter all() {
        return new ReportFilter(null, null, Set.of(), Set.of());
    }

    /** The {@code days} days ending with {@code today}. */
    public static ReportFilter lastDays(int days, LocalDate today) {
        Objects.requireNonNull(today, "today");
        return new ReportFilter(today.minusDays(days - 1L), today, Set.of(), Set.of());
    }

    public ReportFilter withRange(LocalDate from, LocalDate to) {
        return new ReportFilter(from, to, domains, reporters, excludeUnverified, scope);
    }

    public ReportFilter withDomains(Set<String> domains) {
        return new ReportFilter(from, to, domains, reporters, excludeUnverified, scope);
    }

    public ReportFilter withReporters(Set<String> reporters) {
        return new ReportFilter(from, to, domains, reporters, excludeUnverified, scope);
    }

    /** The same filter, leaving unverified reports out ({@code true}) or not. */
    public ReportFilter excludingUnverified(boolean exclude) {
        return new ReportFilter(from, to, domains, reporters, exclude, scope);
    }

    /** First epoch day, or Long.MIN_VALUE when open. */
    /** This filter limited to what a reader may see; the stores apply it to every answer. */
    public ReportFilter withScope(DomainScope scope) {
        return new ReportFilter(from, to, domains, reporters, excludeUnverified, scope);
    }

    public long fromDay() {
        return from == null ? Long.MIN_VALUE / 4 : from.toEpochDay();
    }

    /** Last epoch day, or Long.MAX_VALUE when open. */
    public long toDay() {
        return to == null ? Long.MAX_VALUE / 4 : to.toEpochDay();
    }

    /** First second covered, for tables keyed by timestamps. */
    public long fromSecond() {
        return from == null ? Long.MIN_VALUE / 4 : from.toEpochDay() * 86_400;
    }

    /** First second after the range. */
    public long toSecondExclusive() {
        return to == null ? Long.MAX_VALUE / 4 : (to.toEpochDay() + 1) * 86_400;
    }
}
