package io.dmarclens.alerts.rules;

import java.time.Duration;
import java.util.Locale;

/** Numbers and durations as alerts write them. */
final class Words {
    private Words() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String points(double points) {
        return String.format(Locale.ROOT, "%.1f", points);
    }

    static String plural(long n, String one, String many) {
        return count(n) + " " + (n == 1 ? one : many);
    }

    /** {@code 6h}, {@code 30m}, {@code 2d}: as the configuration writes durations. */
    static String duration(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
