package io.dmarclens.index.query;

import java.time.LocalDate;

/** The totals of one UTC day. */
public record DailyTotals(LocalDate day, Totals totals) {
}
