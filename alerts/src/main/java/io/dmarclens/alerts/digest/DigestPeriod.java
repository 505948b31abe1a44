package io.dmarclens.alerts.digest;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The UTC days a digest covers, both included, and the period before it that it compares against.
 *
 * @param from first day
 * @param to   last day
 */
public record DigestPeriod(LocalDate from, LocalDate to) {
    public DigestPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a digest period ends (" + to + ") before it begins (" + from + ")");
        }
    }

    /** Number of days. */
    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The period of as many days just before this one. */
    public DigestPeriod previous() {
        return new DigestPeriod(from.minusDays(days()), from.minusDays(1));
    }

    @Override
    public String toString() {
        return days() == 1 ? from.toString() : from + " to " + to;
    }
}
