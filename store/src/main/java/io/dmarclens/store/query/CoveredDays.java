package io.dmarclens.store.query;

import java.util.HashSet;
import java.util.Set;

/**
 * The UTC days a set of reports covers. A report covers every day from the one its range begins on to
 * the one holding its last second (ends at midnight are exclusive, as most reporters write them); a
 * range longer than {@link #MAX_DAYS} (a broken report) counts for its first day only. One rule for every
 * store, so that {@link ReporterStats#daysCovered()} answers alike. Not thread-safe.
 */
public final class CoveredDays {
    /** The most days one report covers. */
    public static final int MAX_DAYS = 31;

    private final Set<Long> days = new HashSet<>();

    /** Adds the days of a report ranging over {@code [begin, end)}, in epoch seconds. */
    public void add(long begin, long end) {
        long first = Math.floorDiv(begin, 86_400);
        long last = Math.floorDiv(Math.max(begin, end - 1), 86_400);
        if (last - first >= MAX_DAYS) {
            last = first;
        }
        for (long d = first; d <= last; d++) {
            days.add(d);
        }
    }

    /** The number of distinct days covered. */
    public long count() {
        return days.size();
    }
}
