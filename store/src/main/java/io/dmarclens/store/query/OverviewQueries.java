package io.dmarclens.store.query;

import java.util.List;
import java.util.Optional;

/** The overview: totals, daily series and the span of days stored. Every store implements it with the same answers (the contract kit checks). */
public interface OverviewQueries {
    /** Totals over the filter. */
    Totals totals(ReportFilter filter);
    /** Totals per UTC day, oldest first; days without messages are left out. */
    List<DailyTotals> daily(ReportFilter filter);
    /** The days the rollups cover, or empty when nothing is stored. Every domain: for trusted callers only. */
    default Optional<DateSpan> dateSpan() {
        return dateSpan(DomainScope.all());
    }

    /** The days the rollups of the domains in {@code scope} cover, or empty when they hold nothing. */
    Optional<DateSpan> dateSpan(DomainScope scope);
}
