package io.dmarclens.app.config;

import io.dmarclens.store.retention.RetentionPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How long reports and their raw bytes are kept, and how often {@code serve} applies it ({@code retention.*}).
 * An age of null keeps that part forever.
 *
 * @param reports    age after which whole reports go, or null for forever
 * @param rawSources age after which raw source bytes go, or null for forever
 * @param every      how often {@code serve} runs retention (on the node holding the jobs lease)
 */
public record RetentionSettings(Duration reports, Duration rawSources, Duration every) {
    /** The shortest age accepted: "13m" is 13 minutes, and one day is already the smallest unit of a report. */
    static final Duration MIN_AGE = Duration.ofDays(1);

    public RetentionSettings {
        Objects.requireNonNull(every, "every");
        checkAge("retention.reports", reports);
        checkAge("retention.raw_sources", rawSources);
        if (every.toMillis() < 1000) {
            throw new ConfigException("retention.every must be at least 1s, not " + every);
        }
    }

    private static void checkAge(String key, Duration age) {
        if (age != null && age.compareTo(MIN_AGE) < 0) {
            throw new ConfigException(key + " must be at least 1d (or 'forever'), not " + age
                    + ": 'm' means minutes, write 400d for about 13 months");
        }
    }

    /** Keeps everything forever; runs (when an age is set) daily. */
    public static RetentionSettings defaults() {
        return new RetentionSettings(null, null, Duration.ofDays(1));
    }

    /** The policy the store applies. */
    public RetentionPolicy policy() {
        return new RetentionPolicy(rawSources, reports);
    }

    /** Whether anything is ever removed (an age is set). */
    public boolean removesAnything() {
        return reports != null || rawSources != null;
    }

    /** The policy in words, e.g. {@code reports 400d, raw sources 90d}. */
    public String describe() {
        return "reports " + age(reports) + ", raw sources " + age(rawSources);
    }

    /** An age in days when whole, else as ISO-8601; {@code forever} for null. */
    public static String age(Duration d) {
        if (d == null) {
            return "forever";
        }
        return d.toSeconds() % 86_400 == 0 ? d.toDays() + "d" : d.toString();
    }
}
