package io.dmarclens.alerts.digest;

import java.time.DayOfWeek;
import java.util.Objects;

/**
 * When digests are written and for whom.
 *
 * @param cadence    daily, weekly or off
 * @param perDomain  a digest for each policy domain with reports in the period
 * @param allDomains one digest across all domains
 * @param hour       the UTC hour a digest is written, the day after its period ends (0 to 23)
 * @param weekStart  the first day of a weekly digest's week (the digest is written on that day)
 */
public record DigestSettings(Cadence cadence, boolean perDomain, boolean allDomains, int hour, DayOfWeek weekStart) {
    public DigestSettings {
        Objects.requireNonNull(cadence, "cadence");
        Objects.requireNonNull(weekStart, "weekStart");
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("the digest hour is 0 to 23 (UTC), not " + hour);
        }
    }

    /** Weekly, per domain and across all domains, at 06:00 UTC on Mondays. */
    public static DigestSettings defaults() {
        return new DigestSettings(Cadence.WEEKLY, true, true, 6, DayOfWeek.MONDAY);
    }

    /** How often. */
    public enum Cadence {
        OFF, DAILY, WEEKLY;

        /** The word in subjects. */
        public String word() {
            return this == DAILY ? "daily" : "weekly";
        }
    }
}
