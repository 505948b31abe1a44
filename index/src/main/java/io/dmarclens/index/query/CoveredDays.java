package io.dmarclens.index.query;

import java.util.HashSet;
import java.util.Set;

/**
 * The UTC days a set of reports covers. A report covers every day from the one its range begins on to
 * the one holding its last second (ends at midnight are exclusive, as most reporters write them); a
 * range longer than {@link #MAX_DAYS} (a broken report) counts for its first day only.
 */
final class CoveredDays {
    static final int MAX_DAYS = 31;

    private final Set<Long> days = new HashSet<>();

    void add(long begin, long end) {
        long first = Math.floorDiv(begin, 86_400);
        long last = Math.floorDiv(Math.max(begin, end - 1), 86_400);
        if (last - first >= MAX_DAYS) {
            last = first;
        }
        for (long d = first; d <= last; d++) {
            days.add(d);
        }
    }

    long count() {
        return days.size();
    }
}
