package io.dmarclens.store.query;

import java.time.LocalDate;

/** The totals of one UTC day. */
public record DailyTotals(LocalDate day, Totals totals) {
}
